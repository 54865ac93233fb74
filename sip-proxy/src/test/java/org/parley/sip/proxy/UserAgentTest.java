package org.parley.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipUri;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;

/**
 * The requests this server writes as a user agent (RFC 3261 §8.1.1, §12.2.1.1; issue 14 §6):
 * no Via of their own (the transaction layer adds the one of the real transport), and the
 * headers a UAC must send.
 */
class UserAgentTest {
    private static final byte[] NONE = new byte[0];

    @Test
    @DisplayName("§8.1.1: outside a dialog — new Call-ID, From tag, CSeq 1, Max-Forwards 70, no Via, Content-Type with the body")
    void outOfDialog() {
        SipRequest r = UserAgent.request("MESSAGE", SipUri.parse("sip:bob@example.org"), "<sip:parley@example.org>",
                "<sip:bob@example.org>", Headers.EMPTY.append("Expires", "60"), "text/plain",
                "hi".getBytes(StandardCharsets.UTF_8));
        assertThat(r.vias()).isEmpty();
        assertThat(r.from().tag()).isPresent();
        assertThat(r.to().tag()).isEmpty();
        assertThat(r.cseq().number()).isEqualTo(1);
        assertThat(r.cseq().method()).isEqualTo("MESSAGE");
        assertThat(r.maxForwards()).hasValue(70);
        assertThat(r.header("Content-Type")).hasValue("text/plain");
        assertThat(r.header("Expires")).hasValue("60");
        assertThat(r.header("Contact")).isEmpty();
        SipRequest other = UserAgent.request("MESSAGE", SipUri.parse("sip:bob@example.org"), "<sip:parley@example.org>",
                "<sip:bob@example.org>", Headers.EMPTY, "text/plain", NONE);
        assertThat(other.callId()).isNotEqualTo(r.callId());
        assertThat(other.header("Content-Type")).as("no body, no Content-Type").isEmpty();
    }

    @Test
    @DisplayName("RFC 5365 §4.1: a From that has a tag (a list copy's sender) keeps it")
    void fromTagKept() {
        SipRequest r = UserAgent.request("MESSAGE", SipUri.parse("sip:bob@example.org"),
                "\"Alice\" <sip:alice@example.org>;tag=a1", "<sip:bob@example.org>", Headers.EMPTY, "text/plain", NONE);
        assertThat(r.from().tag()).hasValue("a1");
        assertThat(r.header("From")).hasValue("\"Alice\" <sip:alice@example.org>;tag=a1");
    }

    @Test
    @DisplayName("§12.2.1.1: in a dialog — remote target as Request-URI, route set as Route in order, tags, Contact, CSeq given")
    void inDialog() {
        UserAgent.Dialog d = new UserAgent.Dialog("call-1", "<sip:alice@example.org>;tag=ours", "<sip:bob@example.org>;tag=theirs",
                SipUri.parse("sip:bob@192.0.2.7:5070;transport=tcp"), List.of("<sip:p1.example.net;lr>", "<sip:p2.example.net;lr>"),
                "<sip:alice@192.0.2.1:5060;transport=tcp>");
        SipRequest r = UserAgent.request(d, "NOTIFY", 7, Headers.EMPTY.append("Event", "presence"), "application/pidf+xml",
                "<x/>".getBytes(StandardCharsets.UTF_8));
        assertThat(r.requestUri().toString()).isEqualTo("sip:bob@192.0.2.7:5070;transport=tcp");
        assertThat(r.headers().values("Route")).containsExactly("<sip:p1.example.net;lr>", "<sip:p2.example.net;lr>");
        assertThat(r.from().tag()).hasValue("ours");
        assertThat(r.to().tag()).hasValue("theirs");
        assertThat(r.callId()).isEqualTo("call-1");
        assertThat(r.cseq().number()).isEqualTo(7);
        assertThat(r.header("Contact")).hasValue("<sip:alice@192.0.2.1:5060;transport=tcp>");
        assertThat(r.header("Event")).hasValue("presence");
        assertThat(r.vias()).isEmpty();
    }

    @Test
    @DisplayName("RFC 6665 §4.2.1: a notifier's Contact names its resource's user at the address the peer reached; "
            + "resources asked in turn each get their own (issue 13: the last one's user is kept, not parsed again)")
    void contactPerResource() {
        ProxyTestSupport s = new ProxyTestSupport();
        UserAgent ua = new UserAgent(new Forker(s.layer, s.transport, s.scheduler));
        Flow tcp = new Flow(Transport.TCP, ProxyTestSupport.ADVERTISED, new InetSocketAddress("198.51.100.7", 40000), "c1");
        for (int i = 0; i < 3; i++) {
            assertThat(ua.contact("sip:alice@example.org", ProxyTestSupport.CALLER)).isEqualTo("<sip:alice@192.0.2.1:5060>");
            assertThat(ua.contact("sip:alice@example.org", tcp)).isEqualTo("<sip:alice@192.0.2.1:5060;transport=tcp>");
            assertThat(ua.contact("sip:bob@example.org", ProxyTestSupport.CALLER)).isEqualTo("<sip:bob@192.0.2.1:5060>");
            assertThat(ua.contact("sip:example.org", ProxyTestSupport.CALLER)).as("no user").isEqualTo("<sip:192.0.2.1:5060>");
            assertThat(ua.contact("not a uri", ProxyTestSupport.CALLER)).as("unparsable").isEqualTo("<sip:192.0.2.1:5060>");
        }
    }

    @Test
    @DisplayName("what it writes parses back once the transaction layer's Via is on")
    void encodesToValidSip() {
        SipRequest r = UserAgent.request("MESSAGE", SipUri.parse("sip:bob@example.org"), "<sip:parley@example.org>",
                "<sip:bob@example.org>", Headers.EMPTY, "text/plain", "x".getBytes(StandardCharsets.UTF_8));
        SipRequest withVia = r.withHeaders(r.headers().prepend("Via", "SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-1"));
        SipRequest again = (SipRequest) SipParser.parse(withVia.encode());
        assertThat(again.vias()).hasSize(1);
        assertThat(again.body()).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
    }
}
