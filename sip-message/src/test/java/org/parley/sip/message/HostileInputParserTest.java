package org.parley.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9 §6 at the parser: every grammar fault of a header the layers above read is a 400
 * whose reason names the header (never an exception later, which was a 500); invalid UTF-8 is
 * a 400 that can still be answered; RFC 5118 §4 IPv6 references are checked.
 */
@DisplayName("Hostile input at the parser: header grammar (RFC 3261 §25.1), UTF-8 (RFC 3629), IPv6 (RFC 5118)")
class HostileInputParserTest {

    private static final String BASE = "OPTIONS sip:bob@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP client.example.com;branch=z9hG4bK776asdhds\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: <sip:bob@example.com>\r\n"
            + "From: <sip:alice@example.com>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710\r\n"
            + "CSeq: 314159 OPTIONS\r\n";

    private static SipMessage parse(String extraHeaders) {
        return SipParser.parse((BASE + extraHeaders + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("Require", ","), Arguments.of("Require", ""), Arguments.of("Require", "a,,b"),
                Arguments.of("Require", "a b"), Arguments.of("Proxy-Require", "a,,b"), Arguments.of("Proxy-Require", ","),
                Arguments.of("Unsupported", ","), Arguments.of("Supported", "100rel,,timer"),
                Arguments.of("Supported", ","), Arguments.of("Allow", "INVITE,,ACK"), Arguments.of("Allow", ","),
                Arguments.of("Privacy", ","), Arguments.of("Privacy", "id;;user"), Arguments.of("Privacy", ""),
                Arguments.of("Accept", ","), Arguments.of("Accept", "text"), Arguments.of("Accept", "text/plain,,a/b"),
                Arguments.of("Accept", "text/plain;"), Arguments.of("Accept-Encoding", ","),
                Arguments.of("Accept-Language", "en,,de"), Arguments.of("Content-Encoding", ","),
                Arguments.of("Content-Language", ","), Arguments.of("Allow-Events", ","),
                Arguments.of("Allow-Events", "presence,,dialog"), Arguments.of("Event", ""), Arguments.of("Event", ","),
                Arguments.of("Event", "presence;;id=1"), Arguments.of("Event", "presence x"),
                Arguments.of("Subscription-State", ","), Arguments.of("Content-Disposition", ","),
                Arguments.of("Content-Type", ","), Arguments.of("Content-Type", "text"),
                Arguments.of("Content-Type", "text/plain;charset="), Arguments.of("Priority", ","),
                Arguments.of("SIP-If-Match", "a b"), Arguments.of("SIP-ETag", ""), Arguments.of("Min-Expires", ","),
                Arguments.of("Session-Expires", ","), Arguments.of("Session-Expires", "90;;refresher=uac"),
                Arguments.of("P-Asserted-Identity", ","), Arguments.of("P-Asserted-Identity", "<sip:a@b>,,<sip:c@d>"),
                Arguments.of("P-Preferred-Identity", ","), Arguments.of("Refer-To", ","), Arguments.of("Referred-By", "<>"),
                Arguments.of("Reply-To", ","), Arguments.of("Expires", ","), Arguments.of("Contact", ","),
                Arguments.of("Route", ","), Arguments.of("Record-Route", "<sip:a@b;lr>,,<sip:c@d;lr>"),
                Arguments.of("Path", ","));
    }

    @ParameterizedTest(name = "{0}: \"{1}\"")
    @MethodSource("malformed")
    @DisplayName("issue 9 §6: a malformed header is a 400 whose reason names it")
    void malformedHeaderIs400NamingIt(String name, String value) {
        assertThatThrownBy(() -> parse(name + ": " + value + "\r\n"))
                .isInstanceOfSatisfying(SipParseException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains(name);
                });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Supported: ", "Accept: ", "Allow: ", "Accept-Encoding: ", "Accept-Language: ",
        "Privacy: id; user", "Privacy: none", "Accept: */*;q=0.5, application/sdp , text/*",
        "Event: presence;id=1", "Allow-Events: presence, message-summary", "Subscription-State: active;expires=60",
        "Content-Disposition: render;handling=optional", "Session-Expires: 90;refresher=uac",
        "P-Asserted-Identity: \"Alice, A.\" <sip:alice@example.com>, <tel:+15551234>", "Require: 100rel , timer",
        "Priority: urgent", "X-Unknown: a,,b"})
    @DisplayName("RFC 3261 §25.1: the well-formed and the legally empty values still parse")
    void wellFormedValuesStillParse(String header) {
        assertThat(parse(header + "\r\n").callId()).isEqualTo("a84b4c76e66710");
    }

    @Test
    @DisplayName("RFC 3261 §7.3.1: white space around a header's name and value is not part of them; a blank value is empty")
    void whiteSpaceAroundNamesAndValues() {
        SipMessage m = parse("Subject \t:\t  hello  world \t\r\nSupported:   \r\nX-Empty:\r\n");
        assertThat(m.header("Subject")).contains("hello  world");
        assertThat(m.header(HeaderNames.SUPPORTED)).contains("");
        assertThat(m.header("X-Empty")).contains("");
        assertThat(m.callId()).isEqualTo("a84b4c76e66710");
    }

    @Test
    @DisplayName("issue 9 §6: invalid UTF-8 in a header is noted as a fault naming it, and the request stays answerable")
    void invalidUtf8IsAnAnswerableFault() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String head = BASE.replace("From: <sip:alice@example.com>", "From: \"Jos");
        int cut = head.indexOf("\"Jos") + 4;
        bytes.writeBytes(head.substring(0, cut).getBytes(StandardCharsets.US_ASCII));
        bytes.write(0xe9); // Latin-1 é: not UTF-8
        bytes.writeBytes((head.substring(cut).replaceFirst("^", "\" <sip:alice@example.com>") + "Content-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        RawMessage raw = SipParser.split(Unpooled.wrappedBuffer(bytes.toByteArray()), true);
        assertThat(raw.fault()).isEqualTo("invalid UTF-8 in the From header");
        assertThat(raw.errorResponse(400, raw.fault()).status()).isEqualTo(400);
        assertThatThrownBy(() -> SipParser.validate(raw)).isInstanceOfSatisfying(SipParseException.class,
                e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    @DisplayName("RFC 3629: an overlong encoding and a truncated sequence in a folded line name the header they continue")
    void overlongAndFoldedUtf8() {
        byte[] start = (BASE + "Subject: hello\r\n  wor").getBytes(StandardCharsets.US_ASCII);
        byte[] end = "ld\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(start);
        bytes.write(0xc0); // overlong '/' (C0 AF)
        bytes.write(0xaf);
        bytes.writeBytes(end);
        assertThat(SipParser.split(Unpooled.wrappedBuffer(bytes.toByteArray()), true).fault())
                .isEqualTo("invalid UTF-8 in the Subject header");
    }

    @Test
    @DisplayName("RFC 3629: valid multi-byte UTF-8 (a display name with é and an emoji) parses")
    void validUtf8Parses() {
        SipMessage m = SipParser.parse((BASE.replace("From: <sip:alice@example.com>", "From: \"José 😀\" <sip:alice@example.com>")
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(m.from().displayName()).contains("José");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2001:db8:::192.0.2.1", "2001:db8::10::1", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
        "2001:db8::12345", "::ffff:192.0.2.256", "::ffff:192.0.2", "2001:db8:g::1", ":1:2:3:4:5:6:7", "192.0.2.1::1",
        "2001:db8::10%eth0"})
    @DisplayName("RFC 5118 §4.10: malformed IPv6 references are refused in the Request-URI, To and Via")
    void badIpv6Refused(String address) {
        String request = "OPTIONS sip:user@[" + address + "] SIP/2.0\r\n";
        assertThatThrownBy(() -> SipParser.parse((request + BASE.substring(BASE.indexOf("\r\n") + 2)
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(SipParseException.class, e -> assertThat(e.getMessage()).contains("IPv6"));
        assertThatThrownBy(() -> parse("Contact: <sip:user@[" + address + "]>\r\n"))
                .isInstanceOf(SipParseException.class);
        assertThatThrownBy(() -> SipParser.parse((BASE.replace("client.example.com", "[" + address + "]")
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(SipParseException.class, e -> assertThat(e.getMessage()).contains("Via"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2001:db8::10", "2001:db8::192.0.2.1", "::ffff:192.0.2.2", "::1", "::", "2001:db8::10:5070",
        "1:2:3:4:5:6:7:8", "1:2:3:4:5:6::8", "1:2:3:4:5:6:7::", "2001:DB8:0:0:0:0:0:1", "1:2:3:4:5:6:192.0.2.1"})
    @DisplayName("RFC 5118 §4.1, §4.3, §4.9, §4.10: well-formed IPv6 references are accepted")
    void goodIpv6Accepted(String address) {
        SipMessage m = SipParser.parse((BASE.replace("client.example.com", "[" + address + "]:5070")
                .replace("sip:bob@example.com SIP", "sip:bob@[" + address + "] SIP") + "Content-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(m.topVia().host()).isEqualTo("[" + address + "]");
    }

    @Test
    @DisplayName("RFC 3261 §7.3.1, §7.5, RFC 4475 §3.1.1.1: LF or CRLF line ends, folding joined, folded start line and a stray CR refused")
    void lineEndsAndFolding() {
        String lf = BASE.replace("\r\n", "\n") + "Subject: one\n\t two\nContent-Length: 0\n\n";
        SipMessage m = SipParser.parse(lf.getBytes(StandardCharsets.UTF_8));
        assertThat(m.header("Subject")).hasValue("one two");
        assertThat(m.callId()).isEqualTo("a84b4c76e66710");

        String mixed = BASE + "Subject: a\n  b\r\n c\r\nContent-Length: 0\n\r\n";
        assertThat(SipParser.parse(mixed.getBytes(StandardCharsets.UTF_8)).header("Subject")).hasValue("a b c");

        assertThatThrownBy(() -> SipParser.parse((" " + BASE + "\r\n").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SipParseException.class).hasMessageContaining("starts with white space");
        assertThatThrownBy(() -> SipParser.parse(BASE.replaceFirst("\r\n", "\r\n folded\r\n")
                .concat("\r\n").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SipParseException.class).hasMessageContaining("start line is folded");
        // a CR alone is no line end: the Call-ID value then holds a control character and is refused
        assertThatThrownBy(() -> SipParser.parse(BASE.replace("Call-ID: a84b4c76e66710\r\n",
                "Call-ID: a84b\rc76e66710\r\n").concat("\r\n").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SipParseException.class).hasMessageContaining("Call-ID");
    }

    static Stream<Arguments> malformedInPlace() {
        String rest = BASE.substring(BASE.indexOf("\r\n") + 2);
        return Stream.of(
                Arguments.of("OPTIONS  sip:bob@example.com SIP/2.0\r\n" + rest, "malformed Request-Line (elements must be separated by one space)"),
                Arguments.of("OPTIONS sip:bob@example.com SIP/2.0 \r\n" + rest, "malformed Request-Line (elements must be separated by one space)"),
                Arguments.of("OPTIONS sip:bob@example.com\r\n" + rest, "malformed Request-Line (elements must be separated by one space)"),
                Arguments.of("OPTIONS sip:bob@example.com SIP/2.00\r\n" + rest, "SIP version not supported"),
                Arguments.of("OPTIONS sip:bob@example.com HTTP/1.1\r\n" + rest, "malformed Request-Line: no SIP version"),
                Arguments.of("OPT:ONS sip:bob@example.com SIP/2.0\r\n" + rest, "bad method name"),
                Arguments.of("OPTIONS sip:bob@example.com:65536 SIP/2.0\r\n" + rest, "port out of range in SIP URI: sip:bob@example.com:65536"),
                Arguments.of("OPTIONS sip:bob@example.com:5o60 SIP/2.0\r\n" + rest, "bad port in SIP URI: sip:bob@example.com:5o60"),
                Arguments.of("OPTIONS sip:bob@example.com: SIP/2.0\r\n" + rest, "bad port in SIP URI: sip:bob@example.com:"),
                Arguments.of("OPTIONS sip:bob@example.com;lr;;x SIP/2.0\r\n" + rest, "empty parameter in SIP URI: sip:bob@example.com;lr;;x"),
                Arguments.of("OPTIONS sip:bob@example.com; SIP/2.0\r\n" + rest, "empty parameter in SIP URI: sip:bob@example.com;"),
                Arguments.of("OPTIONS sip:bob@exa_mple.com SIP/2.0\r\n" + rest, "bad host in SIP URI: sip:bob@exa_mple.com"),
                Arguments.of("OPTIONS sip::pw@example.com SIP/2.0\r\n" + rest, "empty user part in SIP URI: sip::pw@example.com"),
                Arguments.of("OPTIONS sip:bob@[::1 SIP/2.0\r\n" + rest, "unterminated IPv6 reference in SIP URI: sip:bob@[::1"),
                Arguments.of(BASE.replace("client.example.com;", "client.example.com:99999;"), "bad sent-by port in Via: SIP/2.0/UDP client.example.com:99999;branch=z9hG4bK776asdhds"),
                Arguments.of(BASE.replace("SIP/2.0/UDP", "SIP/3.0/UDP"), "unsupported protocol in Via: SIP/3.0"),
                Arguments.of(BASE.replace("SIP/2.0/UDP", "SIPS/2.0/UDP"), "unsupported protocol in Via: SIPS/2.0"),
                Arguments.of(BASE.replace(";branch=", ";=x;branch="), "expected a token in parameter name of Via"),
                Arguments.of(BASE.replace("branch=z9hG4bK776asdhds", "branch=\"z9hG4bK776asdhds"), "unterminated quoted string in Via"),
                Arguments.of(" " + BASE, "message starts with white space"),
                Arguments.of(BASE.replace("SIP/2.0\r\n", "SIP/2.0\r\n folded\r\n"), "start line is folded"),
                Arguments.of(BASE.replace("Max-Forwards: 70", "Max Forwards: 70"), "bad header name: Max Forwards"),
                Arguments.of(BASE.replace("Max-Forwards: 70", "Max-Forwards 70"), "header line without a name and colon"),
                Arguments.of(BASE.replace("Max-Forwards: 70", ": 70"), "header line without a name and colon"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("malformedInPlace")
    @DisplayName("RFC 3261 §7.1, §19.1.1, §20.42, §7.3.1, issue 13: the grammar read in place refuses what it refused before, with the same reason")
    void malformedReadInPlace(String head, String reason) {
        assertThatThrownBy(() -> SipParser.parse((head + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SipParseException.class).hasMessage(reason);
    }

    @Test
    @DisplayName("RFC 3261 §7.3.1: a header folded over lines (CRLF or LF) is one value, its name found in place, compact or not")
    void foldedAndCompactHeadersInPlace() {
        SipMessage m = SipParser.parse((BASE.replace("Max-Forwards: 70\r\n", "")
                + "Subject: lunch  \r\n\t at noon\n   today\r\n"
                + "v : SIP/2.0/TCP second.example.com;branch=z9hG4bK-2\r\n"
                + "MAX-FORWARDS:   70 \r\n"
                + "X-Odd-Name: x\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(m.header("Subject")).contains("lunch at noon today");
        assertThat(m.vias()).hasSize(2);
        assertThat(m.headers().asList()).extracting(Header::name).contains(HeaderNames.MAX_FORWARDS, "X-Odd-Name", HeaderNames.VIA);
        assertThat(m.header(HeaderNames.MAX_FORWARDS)).contains("70");
        assertThat(m.header("x-odd-name")).contains("x");
    }
}
