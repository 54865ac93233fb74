package org.parley.accounts;

import java.util.ArrayList;
import java.util.List;

/**
 * The addresses an account is known by in the SIP domain (PP-45): its canonical address of record
 * {@code sip:user@domain} first, then one per alias and, with an E.164 number, its SIP and tel forms.
 * Modules match stored data against these when they export or erase an account.
 */
public final class AccountAddresses {
    private AccountAddresses() {
    }

    /** The canonical address of record, as the registrar and the messaging server store it. */
    public static String aor(Account account, String domain) {
        return "sip:" + account.username() + "@" + domain;
    }

    public static List<String> of(Account account, String domain) {
        List<String> addresses = new ArrayList<>();
        addresses.add(aor(account, domain));
        account.aliases().forEach(alias -> addresses.add("sip:" + alias + "@" + domain));
        account.e164().ifPresent(number -> {
            addresses.add("sip:" + number + "@" + domain + ";user=phone");
            addresses.add("tel:" + number);
        });
        return List.copyOf(addresses);
    }
}
