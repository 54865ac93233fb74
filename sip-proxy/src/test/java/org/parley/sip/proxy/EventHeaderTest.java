package org.parley.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** RFC 6665 §8.2.1: event packages are tokens, matched exactly and without their parameters. */
class EventHeaderTest {
    @Test
    @DisplayName("RFC 6665 §8.2.1: 'Presence;id=1' is presence; presence.winfo and message-summary-x are other packages")
    void exactPackages() {
        assertThat(EventHeader.subscribes(ProxyTestSupport.request("SUBSCRIBE", "sip:a@example.com",
                "Event: Presence;id=1"), "presence")).isTrue();
        assertThat(EventHeader.subscribes(ProxyTestSupport.request("SUBSCRIBE", "sip:a@example.com",
                "Event: presence.winfo"), "presence")).isFalse();
        assertThat(EventHeader.subscribes(ProxyTestSupport.request("SUBSCRIBE", "sip:a@example.com",
                "Event: message-summary-x"), "message-summary")).isFalse();
        assertThat(EventHeader.subscribes(ProxyTestSupport.request("PUBLISH", "sip:a@example.com",
                "Event: presence"), "presence")).isFalse();
        assertThat(EventHeader.eventPackage(ProxyTestSupport.request("SUBSCRIBE", "sip:a@example.com"))).isEmpty();
    }
}
