package org.parley.store;

import java.time.Instant;

/** (RFC 3261 §10 binding) Sample bindings for the tests. */
final class Bindings {
    static final Instant NOW = Instant.parse("2025-01-01T10:00:00.123456Z");

    private Bindings() {
    }

    static StoredBinding binding(String aor, String contact, Instant expiresAt) {
        return new StoredBinding(aor, contact, contact, "<urn:uuid:00000000-0000-1000-8000-000A95A0E128>", 1, 0.7f,
                expiresAt, "call-" + contact, 42, "<sip:edge.example.com;lr>,<sip:core.example.com;lr>", "TLS",
                "192.0.2.1:5061", "[2001:db8::7]:49152", "conn-7", "Parley-Test/1.0",
                "3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=234151D0FCE11", NOW);
    }
}
