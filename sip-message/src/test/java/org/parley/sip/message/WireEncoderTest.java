package org.parley.sip.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The encoder every relayed message passes (RFC 3261 §7, §7.4.1, §20.14; issue 13 §3). */
@DisplayName("RFC 3261 §7, §20.14: the wire form, ASCII and UTF-8 heads, Content-Length always the body's")
class WireEncoderTest {
    private static final String HEAD = "MESSAGE sip:bob@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP client.example.com;branch=z9hG4bK776asdhds\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: <sip:bob@example.com>\r\n"
            + "From: %s<sip:alice@example.com>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710\r\n"
            + "CSeq: 1 MESSAGE\r\n"
            + "Content-Length: 5\r\n"
            + "Content-Type: text/plain\r\n\r\n"
            + "hello";

    private static SipMessage parse(String text) {
        return SipParser.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("RFC 3261 §7.3.1, §20.14: an ASCII message encodes to its canonical form, Content-Length last and true")
    void asciiHead() {
        SipMessage m = parse(HEAD.formatted(""));
        String wire = new String(m.encode(), StandardCharsets.UTF_8);
        assertThat(wire).isEqualTo("MESSAGE sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP client.example.com;branch=z9hG4bK776asdhds\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: <sip:bob@example.com>\r\n"
                + "From: <sip:alice@example.com>;tag=1928301774\r\n"
                + "Call-ID: a84b4c76e66710\r\n"
                + "CSeq: 1 MESSAGE\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: 5\r\n\r\n"
                + "hello");
        SipMessage lying = m.withHeaders(m.headers().set(HeaderNames.CONTENT_LENGTH, "99"));
        assertThat(new String(lying.encode(), StandardCharsets.UTF_8)).contains("Content-Length: 5\r\n\r\nhello")
                .doesNotContain("99");
    }

    @Test
    @DisplayName("RFC 3261 §25.1 (UTF8-NONASCII): a head with other characters is UTF-8 and parses back the same")
    void utf8Head() {
        SipMessage m = parse(HEAD.formatted("\"Grüße ✓ 😀\" "));
        byte[] wire = m.encode();
        SipMessage again = SipParser.parse(wire);
        assertThat(again.from().displayName()).isEqualTo(m.from().displayName());
        assertThat(again.header("From")).isEqualTo(m.header("From"));
        assertThat(again.body()).isEqualTo(m.body());
        assertThat(new String(wire, StandardCharsets.UTF_8)).contains("From: \"Grüße ✓ 😀\" <sip:alice@example.com>")
                .endsWith("Content-Length: 5\r\n\r\nhello");
    }

    @Test
    @DisplayName("RFC 3261 §20.14: no body is Content-Length: 0")
    void noBody() {
        SipRequest options = (SipRequest) parse(HEAD.formatted("").replace("MESSAGE", "OPTIONS")
                .replace("Content-Length: 5", "Content-Length: 0").replace("hello", ""));
        assertThat(new String(options.encode(), StandardCharsets.US_ASCII)).endsWith("Content-Length: 0\r\n\r\n");
    }
}
