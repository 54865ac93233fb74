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

    @Test
    @DisplayName("RFC 6665 §8.2.1, RFC 3261 §25.1: compared in place — white space around the token and case ignored, "
            + "a prefix or a longer token never matches; the same answer as the parsed package (an Event that is no "
            + "token is the parser's 400)")
    void comparedInPlace() {
        String[] values = {"presence", " PRESENCE ;id=7", "presence\t;x", "pres", "presences", "presence.winfo;x",
                "message-summary", "p"};
        for (String value : values) {
            var req = ProxyTestSupport.request("SUBSCRIBE", "sip:a@example.com", "Event: " + value);
            boolean parsed = EventHeader.eventPackage(req).map("presence"::equals).orElse(false);
            assertThat(EventHeader.subscribes(req, "presence")).as(value).isEqualTo(parsed);
        }
        assertThat(EventHeader.subscribes(ProxyTestSupport.request("SUBSCRIBE", "sip:a@example.com",
                "Event: \tPresence ;id=1"), "presence")).isTrue();
        assertThat(EventHeader.subscribes(ProxyTestSupport.request("SUBSCRIBE", "sip:a@example.com",
                "Event: pres;id=1"), "presence")).isFalse();
        assertThat(EventHeader.subscribes(ProxyTestSupport.request("SUBSCRIBE", "sip:a@example.com"), "presence")).isFalse();
    }
}
