package org.parley.registrar;

import java.util.Optional;
import org.parley.accounts.Account;
import org.parley.accounts.AccountService;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.TelUri;
import org.parley.sip.message.Uri;
import org.parley.sip.proxy.LocalDomains;

/**
 * Maps a SIP or tel URI to the account it names (PP-45): sip:user@domain, an alias at the
 * domain, sip:+number@domain;user=phone and tel:+number all reach the same account.
 */
public final class IdentityResolver {
    private final AccountService accounts;
    private final LocalDomains domains;

    public IdentityResolver(AccountService accounts, LocalDomains domains) {
        this.accounts = accounts;
        this.domains = domains;
    }

    public Optional<Account> resolve(Uri uri) {
        if (uri instanceof TelUri tel) {
            return tel.isGlobal() ? accounts.resolve(tel.digits()) : Optional.empty();
        }
        if (uri instanceof SipUri sip && domains.isLocal(sip.host()) && sip.user() != null) {
            String user = sip.unescapedUser().orElseThrow();
            if (sip.isPhoneNumber() || user.startsWith("+")) {
                return accounts.resolve(withoutVisualSeparators(user));
            }
            return accounts.resolve(user);
        }
        return Optional.empty();
    }

    /** RFC 3966 §5.1.1: the visual separators of a phone number ('-', '.', '(' and ')') left out. */
    private static String withoutVisualSeparators(String number) {
        StringBuilder sb = null;
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            boolean separator = c == '-' || c == '.' || c == '(' || c == ')';
            if (separator && sb == null) {
                sb = new StringBuilder(number.length()).append(number, 0, i);
            } else if (!separator && sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? number : sb.toString();
    }

    /** The canonical AOR of the account a URI names. */
    public Optional<String> aor(Uri uri) {
        return resolve(uri).map(a -> domains.aorOf(a.username()));
    }
}
