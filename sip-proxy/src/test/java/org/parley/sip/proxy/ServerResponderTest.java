package org.parley.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipResponse;

@DisplayName("RFC 3261 §11.2 (OPTIONS), §8.2.1 (405 with Allow), RFC 4475 §3.3.11: ServerResponder")
class ServerResponderTest {
    final ServerResponder responder = new ServerResponder(ProxySettings.defaults());

    @Test
    @DisplayName("OPTIONS to the server: 200 with Allow, Accept, Supported and a To tag")
    void options() {
        SipResponse r = responder.answer(ProxyTestSupport.request("OPTIONS", "sip:example.com"), "srv-tag");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.to().tag()).contains("srv-tag");
        assertThat(r.headers().values(HeaderNames.ALLOW)).containsExactlyInAnyOrder("ACK", "BYE", "CANCEL", "INFO",
                "INVITE", "MESSAGE", "NOTIFY", "OPTIONS", "PRACK", "PUBLISH", "REFER", "REGISTER", "SUBSCRIBE", "UPDATE");
        assertThat(r.headers().values(HeaderNames.ACCEPT)).containsExactly("application/sdp");
        assertThat(r.headers().values(HeaderNames.SUPPORTED)).containsExactlyInAnyOrder("path", "outbound", "gruu", "recipient-list-message");
        assertThat(r.header(HeaderNames.SERVER)).contains("Parley");
        assertThat(r.callId()).isEqualTo("call-1@198.51.100.7");
        assertThat(r.cseq().method()).isEqualTo("OPTIONS");
    }

    @Test
    @DisplayName("the lists are written in a stable (sorted) order")
    void stableOrder() {
        SipResponse r = responder.answer(ProxyTestSupport.request("OPTIONS", "sip:example.com"), "t");
        assertThat(r.header(HeaderNames.SUPPORTED)).contains("gruu, outbound, path, recipient-list-message");
        assertThat(r.headers().values(HeaderNames.ALLOW)).isSorted();
    }

    @Test
    @DisplayName("any other method sent to the server itself: 405 with Allow")
    void otherMethods() {
        for (String m : new String[] {"INVITE", "MESSAGE", "SUBSCRIBE", "FOOBAR"}) {
            SipResponse r = responder.answer(ProxyTestSupport.request(m, "sip:example.com"), "t");
            assertThat(r.status()).as(m).isEqualTo(405);
            assertThat(r.headers().values(HeaderNames.ALLOW)).as(m).contains("OPTIONS", "INVITE");
        }
    }
}
