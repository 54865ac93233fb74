package org.parley.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.testkit.Rfc4475;

/**
 * The parser's checks made in one walk over the lines (the required headers, the single ones,
 * Max-Forwards and Expires found on the way) and the Vias a relay stamps or puts on top written
 * from their parts (issue 13): each must refuse what the general path refused, with the same
 * reason, and write what the text would give. A datagram in an array of its own is read where it
 * stands, its head not copied: it must give what the copying path gives.
 */
@DisplayName("RFC 3261 §8.1.1, §18.2.1, §20.42, §25, RFC 4475 §3.3.8, issue 13: checks in one walk, Vias written from their parts")
class OnePassParsingTest {
    private static final String REQUEST = "MESSAGE sip:bob@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP client.example.com:5070;branch=z9hG4bK-1;rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: <sip:bob@example.com>\r\n"
            + "From: <sip:alice@example.com>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710\r\n"
            + "CSeq: 7 MESSAGE\r\n"
            + "Expires: 60\r\n"
            + "Content-Type: text/plain\r\n";

    private static SipMessage parse(String head) {
        return SipParser.parse((head + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private static String without(String name) {
        return REQUEST.replaceFirst("(?m)^" + name + ": [^\r]*\r\n", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Via", "From", "To", "Call-ID", "CSeq"})
    @DisplayName("§8.1.1, §25: a request without one of Via, From, To, Call-ID and CSeq is a 400 naming it")
    void missingRequired(String name) {
        assertThat(without(name)).doesNotContain(name + ": ");
        assertThatThrownBy(() -> parse(without(name))).isInstanceOfSatisfying(SipParseException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo("missing " + name + " header");
        });
    }

    @Test
    @DisplayName("§8.1.1: the first required header missing is the one named, in the order Via, From, To, Call-ID, CSeq")
    void firstMissingNamed() {
        String head = without("CSeq").replace("From: <sip:alice@example.com>;tag=1928301774\r\n", "");
        assertThatThrownBy(() -> parse(head)).isInstanceOf(SipParseException.class).hasMessage("missing From header");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "t: <sip:carol@example.com>|i: second|more than one To header",
        "max-forwards: 69|c: text/html|more than one Max-Forwards header",
        "c: text/html|EXPIRES: 10|more than one Content-Type header",
        "Min-Expires: 5|min-expires: 6|more than one Min-Expires header",
        "v: SIP/2.0/UDP second.example.com;branch=z9hG4bK-2|f: <sip:eve@example.com>;tag=2|more than one From header"})
    @DisplayName("RFC 4475 §3.3.8, §7.3.3: of single headers given twice (compact forms too) the first in line order is named; Vias may repeat")
    void firstDuplicateInLineOrder(String first, String second, String reason) {
        String head = REQUEST + first + "\r\n" + second + "\r\n";
        assertThatThrownBy(() -> parse(head)).isInstanceOfSatisfying(SipParseException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo(reason);
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Via: SIP/2.0/UDP client.example.com:5070;branch=z9hG4bK-1;rport|Via: SIP/2.0/UDP cl_ient.example.com;branch=z9hG4bK-1|bad sent-by host in Via",
        "Via: SIP/2.0/UDP client.example.com:5070;branch=z9hG4bK-1;rport|Via: SIP/2.0/UDP client.example.com:70000;branch=z9hG4bK-1|bad sent-by port in Via",
        "Via: SIP/2.0/UDP client.example.com:5070;branch=z9hG4bK-1;rport|Via: SIP/2.0/UDP client.example.com;branch=\"z9hG4bK-1|unterminated quoted string in Via",
        "Via: SIP/2.0/UDP client.example.com:5070;branch=z9hG4bK-1;rport|Via: SIP/2.0/UDP client.example.com;branch=|empty parameter value in Via",
        "Via: SIP/2.0/UDP client.example.com:5070;branch=z9hG4bK-1;rport|Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK-1, SIP/2.0/UDP b_x;branch=2|bad sent-by host in Via",
        "From: <sip:alice@example.com>;tag=1928301774|From: <sip:alice@exa mple.com>;tag=1|bad From header: illegal character in URI",
        "From: <sip:alice@example.com>;tag=1928301774|From: sip:alice@example.com?x=1;tag=1|bad From header: URI with",
        "To: <sip:bob@example.com>|To: <sip:bob@example.com:99999>|bad To header: port out of range in SIP URI",
        "To: <sip:bob@example.com>|To: <sip:bob@example.com|bad To header: missing",
        "To: <sip:bob@example.com>|To: Bob <sip:@example.com>|bad To header: empty user part in SIP URI",
        "Call-ID: a84b4c76e66710|Call-ID: a84b\tc76e66710|bad Call-ID",
        "Call-ID: a84b4c76e66710|Call-ID: a84b\u0001c76e66710|bad Call-ID",
        "Max-Forwards: 70|Max-Forwards: 7x|Max-Forwards is not a number",
        "Max-Forwards: 70|Max-Forwards: 256|Max-Forwards out of range",
        "Expires: 60|Expires: 4294967296|Expires out of range",
        "Max-Forwards: 70|Max-Forwards 70|header line without a name and colon",
        "Content-Type: text/plain|Content-Type: text|Content-Type"})
    @DisplayName("§25.1, §20.42, §20.10, §20.8, RFC 4475 §3.1.2: a bad Via sent-by or branch, a bad URI in From or To, a control character, a missing colon: a 400 naming the fault")
    void malformedRefused(String line, String replacement, String reason) {
        String head = REQUEST.replace(line, replacement);
        assertThat(head).isNotEqualTo(REQUEST);
        assertThatThrownBy(() -> parse(head)).isInstanceOfSatisfying(SipParseException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).contains(reason);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"Via: SIP/2.0/UDP client.example.com;\r\n branch=\"z9hG4bK-1", "Via: SIP/2.0/UDP\r\n\tcl_ient.example.com;branch=z9hG4bK-1",
        "From: <sip:alice@example.com>;\r\n tag=\"1"})
    @DisplayName("§7.3.1, §25.1: a folded Via or From is checked as one joined value and refused when its grammar is broken")
    void foldedMalformed(String line) {
        String name = line.substring(0, line.indexOf(':'));
        String head = REQUEST.replaceFirst("(?m)^" + name + ": [^\r]*", line.replace("\\", "\\\\").replace("$", "\\$"));
        assertThatThrownBy(() -> parse(head)).isInstanceOfSatisfying(SipParseException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).contains(name);
        });
    }

    @Test
    @DisplayName("§7.3.1, §20.42: a folded Via and an extra Via line are read in order; Max-Forwards and Expires found in any place")
    void wellFormedOddlyPlaced() {
        SipMessage m = parse("MESSAGE sip:bob@example.com SIP/2.0\r\n"
                + "expires: 0060\r\n"
                + "v: SIP/2.0/UDP client.example.com:5070;\r\n branch=z9hG4bK-1;rport\r\n"
                + "Via: SIP/2.0/TCP second.example.com;branch=z9hG4bK-2\r\n"
                + "t: <sip:bob@example.com>\r\nf: <sip:alice@example.com>;tag=1\r\ni: a84b4c76e66710\r\n"
                + "CSeq: 7 MESSAGE\r\nmax-forwards: 0\r\n");
        assertThat(m.vias()).extracting(Via::host).containsExactly("client.example.com", "second.example.com");
        assertThat(((SipRequest) m).maxForwards()).contains(0);
        assertThat(m.header(HeaderNames.EXPIRES)).contains("0060");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIP/2.0/UDP client.example.com:5070;branch=z9hG4bK-1;rport",
        "SIP/2.0/tcp [2001:db8::1];branch=z9hG4bK-2;received=192.0.2.1",
        "SIP/2.0/WSS h.example;branch=z9hG4bK-3;x=\"quoted ; value\";ttl=1;maddr=239.1.1.1",
        "SIP/2.0/SCTP h.example:0;branch=z9hG4bK-4;x=\"j\u00fcrgen\""})
    @DisplayName("§18.2.1, RFC 3581, §16.6 step 8, §8.2.6.2: a Via stamped or put on top is written from its parts as its text would be, ASCII or UTF-8")
    void viaWrittenFromParts(String via) {
        SipMessage m = parse(REQUEST.replace("SIP/2.0/UDP client.example.com:5070;branch=z9hG4bK-1;rport", via));
        Via stamped = m.topVia().withParam("received", "198.51.100.7").withParam("rport", "5071");
        Via ours = Via.parse("SIP/2.0/UDP 127.0.0.1:24000;branch=z9hG4bKp1c2f9a0e7d3b41a6;rport");
        SipMessage relayed = m.withHeaders(m.headers().withTopVia(stamped).prependVia(ours));
        SipMessage asText = m.withHeaders(m.headers().remove(HeaderNames.VIA)
                .prepend(HeaderNames.VIA, stamped.toString()).prepend(HeaderNames.VIA, ours.toString()));
        assertThat(relayed.encode()).isEqualTo(asText.encode());
        String wire = new String(relayed.encode(), StandardCharsets.UTF_8);
        assertThat(wire).contains("\r\nVia: " + ours + "\r\nVia: " + stamped + "\r\n");
        assertThat(SipParser.parse(relayed.encode()).vias()).containsExactly(ours, stamped);
        assertThat(relayed.headers().lines(HeaderNames.VIA)).containsExactly(ours.toString(), stamped.toString());
        assertThat(relayed.headers().asList()).startsWith(new Header(HeaderNames.VIA, ours.toString()),
                new Header(HeaderNames.VIA, stamped.toString()));

        SipResponse answer = ((SipRequest) m.withHeaders(m.headers().withTopVia(stamped))).createResponse(200, "t1");
        assertThat(new String(answer.encode(), StandardCharsets.UTF_8)).startsWith("SIP/2.0 200 OK\r\nVia: " + stamped + "\r\n");
        assertThat(SipParser.parse(answer.encode()).topVia()).isEqualTo(stamped);
    }

    static Iterable<String> corpus() {
        return Rfc4475.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @DisplayName("RFC 4475 §3, §7.5, §18.3: a datagram read in its own array, a direct buffer, a buffer inside a larger array: the same message, or the same refusal")
    void ownedDatagramAsCopied(String name) {
        byte[] bytes = Rfc4475.message(name);
        byte[] kept = bytes.clone();
        Object copied = outcome(() -> SipParser.parse(Unpooled.wrappedBuffer(bytes), true));
        Object owned = outcome(() -> SipParser.parse(bytes));
        assertThat(owned).isEqualTo(copied);
        assertThat(bytes).isEqualTo(kept);
        // the end of the head found on a direct buffer, and on an array the buffer starts inside of
        assertThat(outcome(() -> SipParser.parse(Unpooled.directBuffer(bytes.length).writeBytes(bytes), true))).isEqualTo(copied);
        byte[] padded = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, padded, 5, bytes.length);
        padded[4] = '\n';
        padded[bytes.length + 5] = '\n';
        padded[bytes.length + 6] = '\n';
        assertThat(outcome(() -> SipParser.parse(Unpooled.wrappedBuffer(padded, 5, bytes.length), true))).isEqualTo(copied);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r\n\r\n", "\n", ""})
    @DisplayName("§7.5, §18.3, RFC 3629: CRLFs before the start line, a body larger than the head, invalid UTF-8: read in place as when copied")
    void ownedDatagramEdges(String before) {
        String head = before + REQUEST.replace("Content-Type: text/plain\r\n", "Content-Type: text/plain\r\nX-Odd:  a  b \r\n");
        for (String body : new String[] {"", "short", "x".repeat(2000)}) {
            byte[] bytes = (head + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
            SipMessage m = SipParser.parse(bytes);
            assertThat(outcome(() -> m)).isEqualTo(outcome(() -> SipParser.parse(Unpooled.wrappedBuffer(bytes), true)));
            assertThat(m.header("X-Odd")).contains("a  b");
            assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo(body);
            assertThat(m.encode()).isEqualTo(SipParser.parse(Unpooled.wrappedBuffer(bytes), true).encode());
        }
        byte[] badUtf8 = (head + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        int at = new String(badUtf8, StandardCharsets.ISO_8859_1).indexOf("a  b");
        badUtf8[at + 1] = (byte) 0xC3;
        assertThatThrownBy(() -> SipParser.parse(badUtf8)).isInstanceOf(SipParseException.class)
                .hasMessage("invalid UTF-8 in the X-Odd header");
        byte[] badStart = (head.replace("MESSAGE sip:", "MESSAGE si\u00ff:") + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> SipParser.parse(badStart)).isInstanceOf(SipParseException.class)
                .hasMessage("invalid UTF-8 in the start line");
    }

    /** What a parse gave, comparable: the encoded message and its views, or the refusal's status and reason. */
    private static Object outcome(java.util.function.Supplier<SipMessage> parse) {
        try {
            SipMessage m = parse.get();
            return Arrays.asList(new String(m.encode(), StandardCharsets.UTF_8), m.vias(), m.from(), m.to(), m.cseq(),
                    m.callId(), m.headers().contacts(), m.headers().asList());
        } catch (SipParseException e) {
            return e.status() + " " + e.getMessage();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"To: <sip:bob@example.com>|t1", "t:  Bob <sip:bob@example.com;transport=udp>;x=1 |a-Much.Longer_tag!~*+",
        "To: sip:bob@example.com|7", "To: \"B\u00f6b\" <sip:bob@example.com>|t1"})
    @DisplayName("§8.2.6.2, §19.3: the To tag a response adds is written after the received To, ASCII or UTF-8, and reads back as the tag")
    void toTagAfterReceivedOctets(String to, String tag) {
        SipRequest r = (SipRequest) parse(REQUEST.replace("To: <sip:bob@example.com>", to));
        String received = r.headers().line(HeaderNames.TO).value();
        SipResponse answer = r.createResponse(202, tag);
        assertThat(answer.header(HeaderNames.TO)).contains(received + ";tag=" + tag);
        assertThat(answer.to().tag()).contains(tag);
        assertThat(answer.headers().asList()).contains(new Header(HeaderNames.TO, received + ";tag=" + tag));
        byte[] wire = answer.encode();
        assertThat(new String(wire, StandardCharsets.UTF_8)).contains("\r\nTo: " + received + ";tag=" + tag + "\r\n");
        SipMessage back = SipParser.parse(wire);
        assertThat(back.to()).isEqualTo(answer.to());
        assertThat(back.cseq()).isEqualTo(r.cseq());
        assertThat(r.createResponse(100, tag).header(HeaderNames.TO)).contains(received);
        assertThat(back.headers().line(HeaderNames.TO).value()).isEqualTo(received + ";tag=" + tag);
    }

    @Test
    @DisplayName("§8.2.6.2: a To tag given with other than ASCII is joined as text and written as UTF-8")
    void toTagNotAscii() {
        SipResponse answer = ((SipRequest) parse(REQUEST)).createResponse(202, "t\u00fcg");
        assertThat(answer.header(HeaderNames.TO)).contains("<sip:bob@example.com>;tag=t\u00fcg");
        assertThat(new String(answer.encode(), StandardCharsets.UTF_8)).contains("\r\nTo: <sip:bob@example.com>;tag=t\u00fcg\r\n");
    }
}
