package org.parley.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Header values kept as regions of the received head, made into text when read, and encoded from the
 * octets received (issue 13): what a relay and a response write must be what the text would give.
 */
@DisplayName("RFC 3261 §7.3, §16.6, §8.2.6.2: values read lazily from the received head, relayed and answered as received")
class ReceivedOctetsTest {
    private static final String REQUEST = "MESSAGE sip:bob@example.com SIP/2.0\r\n"
            + "v:  SIP/2.0/UDP client.example.com:5070;branch=z9hG4bK-1;rport \t\r\n"
            + "max-forwards: 070\r\n"
            + "To: <sip:bob@example.com>\r\n"
            + "From :\t<sip:alice@example.com>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710\r\n"
            + "CSeq: 0007 MESSAGE\r\n"
            + "Proxy-Authorization: Digest username=\"alice\", realm=\"example.com\",\r\n"
            + "  nonce=\"n1\", response=\"r1\"\r\n"
            + "X-Odd:   kept  as  written   \r\n"
            + "Content-Type: text/plain\r\n"
            + "l: 5\r\n\r\n"
            + "hello";

    private static SipRequest request(String text) {
        return (SipRequest) SipParser.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String wire(SipMessage m) {
        return new String(m.encode(), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("§7.3.1: a value read is the trimmed text of its line, a folded line joined; equal to the same line given as text")
    void valuesAsReceived() {
        SipRequest r = request(REQUEST);
        assertThat(r.header("X-Odd")).contains("kept  as  written");
        assertThat(r.header(HeaderNames.VIA)).contains("SIP/2.0/UDP client.example.com:5070;branch=z9hG4bK-1;rport");
        assertThat(r.header(HeaderNames.PROXY_AUTHORIZATION))
                .contains("Digest username=\"alice\", realm=\"example.com\", nonce=\"n1\", response=\"r1\"");
        assertThat(r.headers().asList()).contains(new Header("X-Odd", "kept  as  written"),
                new Header(HeaderNames.CALL_ID, "a84b4c76e66710"));
        assertThat(r.headers().line(HeaderNames.CALL_ID)).hasSameHashCodeAs(new Header(HeaderNames.CALL_ID, "a84b4c76e66710"))
                .hasToString("Header[name=Call-ID, value=a84b4c76e66710]");
        assertThat(r.maxForwards()).contains(70);
        assertThat(r.cseq()).isEqualTo(new CSeq(7, "MESSAGE"));
        assertThat(r.cseq().method()).isSameAs(r.method());
    }

    @Test
    @DisplayName("§16.6: a relayed request writes the lines nobody changed as received, the changed ones from their text")
    void relayedAsReceived() {
        SipRequest r = request(REQUEST);
        Via ours = Via.parse("SIP/2.0/UDP proxy.example.com;branch=z9hG4bK-p1");
        SipRequest relayed = r.withHeaders(r.headers().withTopVia(r.topVia().withParam("received", "192.0.2.1"))
                .prependVia(ours)
                .set(HeaderNames.MAX_FORWARDS, "69")
                .remove(HeaderNames.PROXY_AUTHORIZATION));
        assertThat(wire(relayed)).isEqualTo("MESSAGE sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK-p1\r\n"
                + "Via: SIP/2.0/UDP client.example.com:5070;branch=z9hG4bK-1;rport;received=192.0.2.1\r\n"
                + "Max-Forwards: 69\r\n"
                + "To: <sip:bob@example.com>\r\n"
                + "From: <sip:alice@example.com>;tag=1928301774\r\n"
                + "Call-ID: a84b4c76e66710\r\n"
                + "CSeq: 0007 MESSAGE\r\n"
                + "X-Odd: kept  as  written\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: 5\r\n\r\n"
                + "hello");
    }

    @Test
    @DisplayName("§8.2.6.2: a response copies Via, From, To, Call-ID and CSeq as received, a To tag written after the received octets")
    void responseAsReceived() {
        SipRequest r = request(REQUEST);
        assertThat(wire(r.createResponse(407, "Proxy Authentication Required", "t1")
                .withHeader(HeaderNames.PROXY_AUTHENTICATE, "Digest realm=\"example.com\", nonce=\"n2\"")))
                .isEqualTo("SIP/2.0 407 Proxy Authentication Required\r\n"
                        + "Via: SIP/2.0/UDP client.example.com:5070;branch=z9hG4bK-1;rport\r\n"
                        + "To: <sip:bob@example.com>;tag=t1\r\n"
                        + "From: <sip:alice@example.com>;tag=1928301774\r\n"
                        + "Call-ID: a84b4c76e66710\r\n"
                        + "CSeq: 0007 MESSAGE\r\n"
                        + "Proxy-Authenticate: Digest realm=\"example.com\", nonce=\"n2\"\r\n"
                        + "Content-Length: 0\r\n\r\n");
        assertThat(wire(r.createResponse(100, "t1"))).startsWith("SIP/2.0 100 Trying\r\n")
                .contains("To: <sip:bob@example.com>\r\n");
    }

    @Test
    @DisplayName("RFC 3261 §25.1: a head with UTF-8 keeps its values as text; relayed, they are written as UTF-8")
    void utf8HeadRelayed() {
        SipRequest r = request(REQUEST.replace("kept  as  written", "grüße ✓"));
        assertThat(r.header("X-Odd")).contains("grüße ✓");
        assertThat(wire(r.withHeaders(r.headers().remove(HeaderNames.PROXY_AUTHORIZATION))))
                .contains("X-Odd: grüße ✓\r\nContent-Type: text/plain\r\n")
                .contains("Via: SIP/2.0/UDP client.example.com:5070;branch=z9hG4bK-1;rport\r\n");
    }

    @ParameterizedTest(name = "{0}: \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', value = {
        "Max-Forwards   | 7O                    | Max-Forwards is not a number",
        "Max-Forwards   | 256                   | Max-Forwards out of range",
        "Max-Forwards   | -1                    | Max-Forwards is not a number",
        "Expires        | 4294967296            | Expires out of range",
        "Expires        | 1 0                   | Expires is not a number",
        "Content-Length | 5x                    | Content-Length is not a number",
        "Content-Length | 99999999999999999999  | Content-Length out of range",
        "Content-Length | 6                     | Content-Length larger than the message",
        "CSeq           | 1x MESSAGE            | CSeq number is not a number",
        "CSeq           | 2147483648 MESSAGE    | CSeq number out of range",
    })
    @DisplayName("RFC 3261 §20.14, §20.19, §20.22, §20.16; RFC 4475 §3.1.2.5: numbers read from the octets are refused with the same reasons")
    void malformedNumbers(String name, String value, String reason) {
        String line = switch (name) {
            case "Max-Forwards" -> "max-forwards: 070";
            case "Content-Length" -> "l: 5";
            case "CSeq" -> "CSeq: 0007 MESSAGE";
            default -> "X-Odd:   kept  as  written   ";
        };
        String text = REQUEST.replace(line + "\r\n", name + ": " + value + "\r\n");
        assertThat(text).isNotEqualTo(REQUEST);
        assertThatThrownBy(() -> request(text)).isInstanceOf(SipParseException.class)
                .hasMessage(reason)
                .satisfies(e -> assertThat(((SipParseException) e).status()).isEqualTo(400));
    }
}
