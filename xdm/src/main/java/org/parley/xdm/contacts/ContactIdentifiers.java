package org.parley.xdm.contacts;

import org.parley.accounts.Account;
import org.parley.accounts.AccountService;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what a user typed to name a contact into the contact's URI (UC 5.19, PP-45): a user name,
 * an alias, an E.164 number in any spelling ("+44 20 7946-0000", "tel:+442079460000") or a SIP
 * URI such as a directory search result's XUI. Local users must exist; a SIP URI of another
 * domain is taken as it is, since lists may hold contacts of other networks (IWF-6).
 */
final class ContactIdentifiers {
    private static final Pattern SIP = Pattern.compile("(sips?):([^@;?]+)@([^;?]+)(?:[;?].*)?", Pattern.CASE_INSENSITIVE);

    /** A resolved contact; {@code local} when it is an account of this server. */
    record Target(String uri, Optional<String> defaultNickname, boolean local) {
    }

    private final AccountService accounts;
    private final String domain;

    ContactIdentifiers(AccountService accounts, String domain) {
        this.accounts = accounts;
        this.domain = domain.toLowerCase(Locale.ROOT);
    }

    Target resolve(String identifier) {
        String input = identifier == null ? "" : identifier.strip();
        if (input.isEmpty()) {
            throw new ContactException(ContactException.Kind.INVALID, "name the contact to add");
        }
        Matcher sip = SIP.matcher(input);
        if (sip.matches() && !sip.group(3).toLowerCase(Locale.ROOT).equals(domain)) {
            String uri = sip.group(1).toLowerCase(Locale.ROOT) + ":" + sip.group(2) + "@" + sip.group(3).toLowerCase(Locale.ROOT);
            return new Target(uri, Optional.of(sip.group(2)), false);
        }
        // A local SIP URI names the account by its user part, which may be a name, an alias or a number.
        String name = sip.matches() ? sip.group(2) : input;
        Account account = accounts.resolve(name).orElseThrow(() -> new ContactException(
                ContactException.Kind.NOT_FOUND, "there is no user " + input));
        return new Target(xui(account.username()), Optional.of(nickname(account)), true);
    }

    String xui(String username) {
        return "sip:" + username + "@" + domain;
    }

    /** UC 5.19.5: the nickname is the alias the added user chose; the user name when they have none. */
    private static String nickname(Account account) {
        return account.aliases().isEmpty() ? account.username() : account.aliases().getFirst();
    }
}
