package org.parley.messaging;

import java.util.Optional;
import org.parley.accounts.Account;
import org.parley.registrar.IdentityResolver;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.Uri;

/**
 * RFC 3862 §7: the sender named inside a message/cpim body is checked against the authenticated
 * sender. Clients show the CPIM From as the author, so a body naming somebody else is refused
 * with 403 rather than rewritten: the body travels byte-exact (it may be signed, and IMDN
 * reports refer to it), and a refusal tells an honest client at once what is wrong. Accepted are
 * any identity of the sender's own account (username, alias, E.164, as {@code sip:}, {@code tel:}
 * or CPIM's {@code im:}) and an anonymous From ({@code anonymous.invalid}, RFC 3323).
 */
final class CpimSender {
    /** Why a MESSAGE is refused: the status and reason phrase. */
    record Refusal(int status, String reason) {
    }

    private final IdentityResolver identities;

    CpimSender(IdentityResolver identities) {
        this.identities = identities;
    }

    /** Empty when the request carries no CPIM body or its From is the sender's. */
    Optional<Refusal> check(SipRequest req, Account sender) {
        if (!req.contentType().map(PagerService::baseType).orElse("").equals("message/cpim")) {
            return Optional.empty();
        }
        Optional<Cpim> cpim = Cpim.parse(req.body());
        if (cpim.isEmpty()) {
            return Optional.of(new Refusal(400, "Malformed message/cpim body (RFC 3862 §3)"));
        }
        Optional<String> from;
        Uri uri;
        try {
            from = cpim.get().fromUri();
            if (from.isEmpty()) {
                return Optional.empty();
            }
            uri = Uri.parse(asSip(from.get()));
        } catch (IllegalArgumentException | SipParseException e) {
            return Optional.of(new Refusal(400, "Malformed CPIM From header (RFC 3862 §5.1)"));
        }
        if (uri instanceof SipUri sip && "anonymous.invalid".equalsIgnoreCase(sip.host())) {
            return Optional.empty();
        }
        boolean own = identities.resolve(uri).map(a -> a.id() == sender.id()).orElse(false);
        return own ? Optional.empty()
                : Optional.of(new Refusal(403, "The CPIM From is not the authenticated sender (RFC 3862 §7)"));
    }

    /** CPIM's instant-messaging URI names the same address as the SIP URI (RFC 3860, RFC 3862 §2). */
    private static String asSip(String uri) {
        return uri.regionMatches(true, 0, "im:", 0, 3) ? "sip:" + uri.substring(3) : uri;
    }
}
