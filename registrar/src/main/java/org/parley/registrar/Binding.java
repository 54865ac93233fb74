package org.parley.registrar;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.parley.sip.message.SipUri;
import org.parley.sip.transport.Flow;

/**
 * One registered contact of an address of record (RFC 3261 §10, GU-1/GU-2: several devices per
 * account), with the flow it registered on (RFC 5626), its Path (RFC 3327) and the access it
 * came from (transport, User-Agent, P-Access-Network-Info) for charging later.
 *
 * @param instanceId the +sip.instance value, null without one
 * @param regId the reg-id, 0 without one
 * @param key what identifies the binding within its AOR ({@link #keyOf}), made once by the other
 *            constructor: a REGISTER asks for it half a dozen times (its refresh matched, stored and
 *            indexed, presence comparing devices), and each asking made the contact's text again
 */
public record Binding(String aor, SipUri contact, String instanceId, int regId, float q, Instant expiresAt,
                      String callId, long cseq, List<String> path, Flow flow, String userAgent,
                      String accessNetworkInfo, Instant registeredAt, String key) {

    public Binding {
        path = List.copyOf(path);
    }

    public Binding(String aor, SipUri contact, String instanceId, int regId, float q, Instant expiresAt,
                   String callId, long cseq, List<String> path, Flow flow, String userAgent,
                   String accessNetworkInfo, Instant registeredAt) {
        this(aor, contact, instanceId, regId, q, expiresAt, callId, cseq, path, flow, userAgent, accessNetworkInfo,
                registeredAt, keyOf(instanceId, regId, contact));
    }

    /**
     * What identifies a binding within its AOR: the instance and reg-id when the device gave
     * them (RFC 5626 §6: a new registration of the same flow replaces the old), else the contact.
     */
    public static String keyOf(String instanceId, int regId, SipUri contact) {
        return instanceId != null ? instanceId + "#" + regId : contact.toString();
    }

    public Duration remaining(Instant now) {
        Duration d = Duration.between(now, expiresAt);
        return d.isNegative() ? Duration.ZERO : d;
    }

    public boolean expired(Instant now) {
        return !expiresAt.isAfter(now);
    }

    public Optional<String> instance() {
        return Optional.ofNullable(instanceId);
    }
}
