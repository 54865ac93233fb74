package org.parley.registrar.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.Uri;

@DisplayName("RFC 3261 §22.4, issue 9 §3: the digest uri must name the Request-URI")
class SipDigestGateTest {
    static final Uri ALICE = Uri.parse("sip:alice@example.com");

    @Test
    @DisplayName("the Request-URI as written, or an equal URI (§19.1.4: host case, escaped user)")
    void equalUris() {
        assertThat(SipDigestGate.namesRequest("sip:alice@example.com", ALICE)).isTrue();
        assertThat(SipDigestGate.namesRequest("sip:alice@EXAMPLE.com", ALICE)).isTrue();
        assertThat(SipDigestGate.namesRequest("sip:%61lice@example.com", ALICE)).isTrue();
    }

    @Test
    @DisplayName("another user, host, port or scheme is not the Request-URI")
    void otherUris() {
        assertThat(SipDigestGate.namesRequest("sip:bob@example.com", ALICE)).isFalse();
        assertThat(SipDigestGate.namesRequest("sip:alice@example.org", ALICE)).isFalse();
        assertThat(SipDigestGate.namesRequest("sip:alice@example.com:5070", ALICE)).isFalse();
        assertThat(SipDigestGate.namesRequest("sips:alice@example.com", ALICE)).isFalse();
        assertThat(SipDigestGate.namesRequest("tel:+15550100", ALICE)).isFalse();
    }

    @Test
    @DisplayName("malformed digest uris are refused, never an exception")
    void malformed() {
        for (String bad : new String[] {"", "sip:", "not a uri", "sip:@", "sip:alice@", "<sip:alice@example.com>", "\u0000"}) {
            assertThat(SipDigestGate.namesRequest(bad, ALICE)).as(bad).isFalse();
        }
    }
}
