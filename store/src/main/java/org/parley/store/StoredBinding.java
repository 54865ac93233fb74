package org.parley.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One registration binding as persisted (RFC 3261 §10): flat and free of SIP types so that the
 * store knows nothing of the registrar's model. {@code bindingKey} is the registrar's identity of
 * the binding within its address of record (RFC 5626 §6: instance and reg-id, else the contact). {@code regId} 0 means none; {@code path} is the
 * Path header values joined with commas, empty when there were none; addresses are "ip:port".
 */
public record StoredBinding(String aor, String bindingKey, String contactUri, String instanceId, int regId, float q,
                            Instant expiresAt, String callId, long cseq, String path, String transport,
                            String localAddress, String remoteAddress, String connectionId,
                            String userAgent, String accessNetworkInfo, Instant registeredAt) {
    public StoredBinding {
        Objects.requireNonNull(aor, "aor");
        Objects.requireNonNull(bindingKey, "bindingKey");
        Objects.requireNonNull(contactUri, "contactUri");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(registeredAt, "registeredAt");
    }
}
