package org.parley.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipParseException;

/** RFC 3261 §20.1, RFC 6665 §8.3.3: what a subscriber's Accept lets a notifier send. */
class AcceptHeaderTest {
    private static AcceptHeader of(String... lines) {
        String[] headers = new String[lines.length];
        for (int i = 0; i < lines.length; i++) {
            headers[i] = "Accept: " + lines[i];
        }
        return AcceptHeader.of(ProxyTestSupport.request("SUBSCRIBE", "sip:a@example.com", headers));
    }

    @Test
    @DisplayName("RFC 3261 §20.1: ranges over several lines and commas, parameters cut, case ignored, wildcards cover their range")
    void ranges() {
        AcceptHeader a = of("application/PIDF+xml;q=0.5 , text/plain", "application/pidf-diff+xml");
        assertThat(a.allowsAny("application/pidf+xml")).isTrue();
        assertThat(a.names("application/pidf-diff+xml")).isTrue();
        assertThat(a.names("TEXT/PLAIN")).isTrue();
        assertThat(a.allowsAny("application/rlmi+xml")).isFalse();
        assertThat(of("application/*").allowsAny("application/rlmi+xml")).isTrue();
        assertThat(of("application/*").names("application/rlmi+xml")).isFalse();
        assertThat(of("*/*;q=0.1").allowsAny("message/cpim")).isTrue();
    }

    @Test
    @DisplayName("RFC 3261 §20.1: no Accept, or an empty one, leaves the package's default; an element that is no media "
            + "range is the parser's to refuse (400), never read as one")
    void malformed() {
        assertThat(AcceptHeader.of(ProxyTestSupport.request("SUBSCRIBE", "sip:a@example.com")).allowsAny("x/y")).isTrue();
        assertThat(of("").allowsAny("application/pidf+xml")).isTrue();
        for (String bad : new String[] {"application/pidf+xml, ,text/plain", "application/pidf+xml;q=1,;", "pidf"}) {
            assertThatThrownBy(() -> ProxyTestSupport.request("SUBSCRIBE", "sip:a@example.com", "Accept: " + bad))
                    .as(bad).isInstanceOf(SipParseException.class);
        }
    }
}
