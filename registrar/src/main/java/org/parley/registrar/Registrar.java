package org.parley.registrar;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.parley.accounts.Account;
import org.parley.accounts.gate.GateAttempt;
import org.parley.registrar.auth.SipDigestGate;
import org.parley.sip.message.Address;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.HeaderValues;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.Uri;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.transport.Flow;

/**
 * The registrar (RFC 3261 §10.3) with digest authentication, several devices per address of
 * record (GU-1, GU-2), RFC 5626 outbound flows, RFC 3327 Path and RFC 5627 public GRUUs. Every
 * attempt, good or bad, is recorded (Auto Registration requirement).
 */
public final class Registrar {
    /** The attempt log's name for this door. */
    public static final String DOOR = "sip-register";
    /** RFC 3261 §20.17 / RFC 1123 with the two-digit day SIP requires. */
    private static final DateTimeFormatter SIP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private record DateText(long second, String text) {
    }

    private final LocalDomains domains;
    private final IdentityResolver identities;
    private final SipDigestGate digest;
    private final LocationService location;
    private final RegistrarSettings settings;
    /** Read and written without a lock: a race only formats the same second twice. */
    private volatile DateText lastDate;

    public Registrar(LocalDomains domains, IdentityResolver identities, SipDigestGate digest,
                     LocationService location, RegistrarSettings settings) {
        this.domains = domains;
        this.identities = identities;
        this.digest = digest;
        this.location = location;
        this.settings = settings;
    }

    public RegistrarReply register(SipRequest req, Flow flow, String toTag, Instant now) {
        if (!domains.isLocal(req.requestUri())) {
            return RegistrarReply.now(req.createResponse(404, "Domain not served here", toTag));
        }
        Address to = req.to();
        if (!(to.uri() instanceof SipUri) && !to.uri().scheme().equals("tel")) {
            return RegistrarReply.now(req.createResponse(416, "Unsupported URI Scheme in To", toTag));
        }
        SipDigestGate.Result result = digest.authenticate(req, flow, toTag, DOOR, true, now);
        if (result.verified().isEmpty()) {
            return new RegistrarReply(result.refusal(), result.delay(), List.of(), null);
        }
        String username = result.verified().get().username();
        GateAttempt attempt = result.verified().get().attempt();
        Optional<String> owner = namesUser(to.uri(), username) ? Optional.of(username)
                : identities.resolve(to.uri()).map(Account::username);
        if (owner.isEmpty()) {
            digest.gate().record(attempt, false, "no such address of record: " + to.uri(), now);
            return RegistrarReply.now(req.createResponse(404, "No such user", toTag));
        }
        if (!owner.get().equals(username)) {
            digest.gate().failed(attempt, "not allowed to register " + to.uri(), now);
            return RegistrarReply.now(req.createResponse(403, "Not allowed to register this address", toTag));
        }
        digest.gate().succeeded(attempt, false, now);
        List<Binding> registered = new ArrayList<>();
        String aor = domains.aorOf(username);
        try {
            SipResponse ok = updateBindings(req, flow, aor, toTag, now, registered);
            digest.gate().record(attempt, ok.isSuccess(), ok.isSuccess() ? "registered" : ok.reason(), now);
            return new RegistrarReply(ok, Duration.ZERO, ok.isSuccess() ? registered : List.of(), ok.isSuccess() ? aor : null);
        } catch (SipParseException e) {
            digest.gate().record(attempt, false, e.getMessage(), now);
            return RegistrarReply.now(req.createResponse(e.status(), e.getMessage(), toTag));
        }
    }

    /** Applies the REGISTER (§10.3 steps 6-8); the bindings it adds or refreshes go into {@code registered}. */
    private SipResponse updateBindings(SipRequest req, Flow flow, String aor, String toTag, Instant now,
                                       List<Binding> registered) {
        // parsed once, by the parser's check
        List<Address> contacts = req.headers().contacts();
        String expiresValue = req.headers().value(HeaderNames.EXPIRES);
        long expiresHeader = expiresValue == null ? -1 : HeaderValues.boundedNumber(expiresValue, 0xFFFFFFFFL, "Expires");
        String callId = req.callId();
        long cseq = req.cseq().number();
        if (req.headers().hasWildcardContact()) {
            // a "*" among other elements of its line is no address: the parser refused it already
            if (req.headers().lines(HeaderNames.CONTACT).size() != 1 || expiresHeader != 0) {
                return req.createResponse(400, "Contact * needs Expires: 0 and no other contact", toTag);
            }
            for (Binding b : location.lookup(aor, now)) {
                if (b.callId().equals(callId) && cseq <= b.cseq()) {
                    return req.createResponse(500, "CSeq out of order", toTag);
                }
            }
            location.removeAll(aor);
            return okWithBindings(req, aor, toTag, now, false);
        }
        List<String> supported = req.headers().values(HeaderNames.SUPPORTED);
        List<String> path = supports(supported, "path") ? req.headers().values(HeaderNames.PATH) : List.of();
        boolean outbound = false;
        List<Binding> changes = new ArrayList<>();
        List<String> removals = new ArrayList<>();
        List<Binding> existing = location.lookup(aor, now);
        for (int c = 0; c < contacts.size(); c++) {
            Address contact = contacts.get(c);
            if (!(contact.uri() instanceof SipUri uri)) {
                return req.createResponse(416, "Contact must be a SIP or SIPS URI", toTag);
            }
            String contactExpires = contact.params().get("expires").orElse(null);
            long requested = contactExpires != null ? HeaderValues.boundedNumber(contactExpires, 0xFFFFFFFFL, "Contact expires")
                    : expiresHeader >= 0 ? expiresHeader : settings.defaultExpires().toSeconds();
            if (requested > 0 && requested < settings.minExpires().toSeconds()) {
                return req.createResponse(423, "Interval Too Brief", toTag)
                        .withHeader(HeaderNames.MIN_EXPIRES, Long.toString(settings.minExpires().toSeconds()));
            }
            long granted = Math.min(requested, settings.maxExpires().toSeconds());
            String instance = contact.params().get("+sip.instance").orElse(null);
            int regId = contact.params().get("reg-id").map(v -> (int) HeaderValues.boundedNumber(v, Integer.MAX_VALUE, "reg-id")).orElse(0);
            if (regId > 0 && instance != null && supports(supported, "outbound")) {
                outbound = true;
            } else {
                regId = 0;
            }
            float q = contact.params().get("q").map(Registrar::q).orElse(1.0f);
            Binding b = new Binding(aor, uri, instance, regId, q, now.plusSeconds(granted), callId, cseq, path, flow,
                    req.headers().value(HeaderNames.USER_AGENT), req.headers().value(HeaderNames.P_ACCESS_NETWORK_INFO), now);
            for (int i = 0; i < existing.size(); i++) { // by index: no iterator per contact of every REGISTER
                Binding e = existing.get(i);
                if (e.callId().equals(callId) && cseq <= e.cseq() && e.key().equals(b.key())) {
                    return req.createResponse(500, "CSeq out of order", toTag);
                }
            }
            if (granted == 0) {
                removals.add(b.key());
            } else {
                changes.add(b);
            }
        }
        removals.forEach(k -> location.remove(aor, k));
        changes.forEach(location::put);
        registered.addAll(changes);
        SipResponse ok = okWithBindings(req, aor, toTag, now, supports(supported, "gruu"));
        if (outbound) {
            ok = ok.withHeader(HeaderNames.REQUIRE, "outbound");
        }
        for (String p : path) {
            ok = ok.withHeader(HeaderNames.PATH, p);
        }
        return ok;
    }

    private SipResponse okWithBindings(SipRequest req, String aor, String toTag, Instant now, boolean gruu) {
        SipResponse ok = req.createResponse(200, "OK", toTag);
        List<Binding> bindings = location.lookup(aor, now);
        for (int i = 0; i < bindings.size(); i++) {
            ok = ok.withHeader(HeaderNames.CONTACT, contact(bindings.get(i), aor, now, gruu));
        }
        return ok.withHeader(HeaderNames.DATE, date(now));
    }

    /**
     * A binding as the 200 lists it (§10.3 step 8: each contact with its expires), written out
     * at once: what {@code Address.of(contact).withParam(...)} chains would print, without an
     * Address and its parameters copied per parameter.
     */
    private static String contact(Binding b, String aor, Instant now, boolean gruu) {
        StringBuilder sb = new StringBuilder(96).append('<');
        b.contact().appendTo(sb); // written in place, not made first
        sb.append(">;expires=").append(b.remaining(now).toSeconds());
        if (b.q() != 1.0f) {
            sb.append(";q=").append(b.q());
        }
        if (b.instanceId() != null) {
            sb.append(";+sip.instance=\"").append(unquoted(b.instanceId())).append('"');
            if (b.regId() > 0) {
                sb.append(";reg-id=").append(b.regId());
            }
            if (gruu) {
                sb.append(";pub-gruu=\"").append(publicGruu(aor, b.instanceId())).append('"');
            }
        }
        return sb.toString();
    }

    /** The Date header's text, formatted once per second rather than once per REGISTER. */
    private String date(Instant now) {
        DateText last = lastDate;
        if (last == null || last.second() != now.getEpochSecond()) {
            last = new DateText(now.getEpochSecond(), SIP_DATE.format(now));
            lastDate = last;
        }
        return last.text();
    }

    /**
     * Whether {@code uri} is sip:USERNAME@a-local-domain written as the account name itself, which
     * names that account without a look-up (identities are unique across accounts, PP2-24): the
     * usual REGISTER, whose digest already found the account. Aliases, numbers, escapes and other
     * spellings go through the {@link IdentityResolver}.
     */
    private boolean namesUser(Uri uri, String username) {
        return uri instanceof SipUri sip && username.equals(sip.user()) && !sip.isPhoneNumber()
                && domains.isLocal(sip.host());
    }

    /** RFC 5627 §3.1: the AOR with a "gr" parameter holding the instance URN. */
    public static String publicGruu(String aor, String instanceId) {
        return aor + ";gr=" + stripped(unquoted(instanceId), '<', '>');
    }

    /** {@code s} without a leading and a trailing double quote. */
    private static String unquoted(String s) {
        return stripped(s, '"', '"');
    }

    /** {@code s} without a leading {@code first} and a trailing {@code last} (each where present). */
    private static String stripped(String s, char first, char last) {
        int begin = !s.isEmpty() && s.charAt(0) == first ? 1 : 0;
        int end = s.length() > begin && s.charAt(s.length() - 1) == last ? s.length() - 1 : s.length();
        return s.substring(begin, end);
    }

    private static float q(String v) {
        try {
            float q = Float.parseFloat(v);
            if (q < 0 || q > 1) {
                throw new SipParseException("q-value out of range");
            }
            return q;
        } catch (NumberFormatException e) {
            throw new SipParseException("bad q-value");
        }
    }

    /** Whether an option tag is among the Supported values (option tags compare case-insensitively). */
    private static boolean supports(List<String> supported, String tag) {
        for (String s : supported) {
            if (s.equalsIgnoreCase(tag)) {
                return true;
            }
        }
        return false;
    }
}
