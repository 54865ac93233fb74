package org.parley.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The paths issue 13 added to spare copies: the CSeq read from the received octets, lines appended
 * into a shared array's free slots, header names compared by identity, parameters compared in
 * place, the Request-URI written from its parts. Each must agree with the general path it spares.
 */
@DisplayName("RFC 3261 §7.3, §19.1.4, §20.16, §25.1: the in-place parsing paths agree with the general ones")
class InPlacePathsTest {

    private static String request(String cseq) {
        return "MESSAGE sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP client.example.com;branch=z9hG4bK-1\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: <sip:bob@example.com>\r\n"
                + "From: <sip:alice@example.com>;tag=1\r\n"
                + "Call-ID: a84b4c76e66710\r\n"
                + "CSeq: " + cseq + "\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private static SipMessage parse(String text) {
        return SipParser.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource({"'7 MESSAGE', 7, MESSAGE", "'2147483647 MESSAGE', 2147483647, MESSAGE",
        "'0000000000007 MESSAGE', 7, MESSAGE", "'7   MESSAGE', 7, MESSAGE"})
    @DisplayName("§20.16: a CSeq read from the octets, or by the general parser when written otherwise, gives the same number and method")
    void cseqReadInPlace(String cseq, long number, String method) {
        SipMessage m = parse(request(cseq));
        assertThat(m.cseq()).isEqualTo(new CSeq(number, method));
        assertThat(m.cseq().method()).isSameAs("MESSAGE");
        assertThat(m.cseq()).isEqualTo(CSeq.parse(cseq));
        assertThat(parse(request(cseq.replace(' ', '\t'))).cseq()).as("tab-separated").isEqualTo(m.cseq());
    }

    @Test
    @DisplayName("§20.16: an extension method in CSeq is read by the general parser (copied, compared by value)")
    void cseqExtensionMethod() {
        String text = request("3 FOO").replace("MESSAGE sip:", "FOO sip:");
        assertThat(parse(text).cseq()).isEqualTo(new CSeq(3, "FOO"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2147483648 MESSAGE", "99999999999 MESSAGE", "7", "7 ", "x7 MESSAGE", "7 MESSAGE extra",
        "7 MES SAGE", "-1 MESSAGE", "7 OPTIONS"})
    @DisplayName("§20.16, RFC 4475 §3.1.2.*: a malformed CSeq, an out-of-range number or a mismatched method is a 400 naming CSeq")
    void malformedCseq(String cseq) {
        assertThatThrownBy(() -> parse(request(cseq)))
                .isInstanceOfSatisfying(SipParseException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("CSeq");
                });
    }

    @Test
    @DisplayName("appending to a response fills its free slots once; two copies appending to the same one never see each other's line")
    void appendIsCopyOnWriteOnce() {
        SipRequest r = (SipRequest) parse(request("7 MESSAGE"));
        SipResponse base = r.createResponse(407, "t1");
        SipResponse challenged = base.withHeader(HeaderNames.PROXY_AUTHENTICATE, "Digest realm=\"a\"");
        SipResponse other = base.withHeader(HeaderNames.RETRY_AFTER, "30");
        SipResponse third = challenged.withHeader(HeaderNames.DATE, "Mon, 07 Dec 2026 07:00:00 GMT");

        assertThat(base.headers().has(HeaderNames.PROXY_AUTHENTICATE)).isFalse();
        assertThat(base.headers().asList()).hasSize(5);
        assertThat(challenged.headers().asList()).extracting(Header::name)
                .containsExactly("Via", "To", "From", "Call-ID", "CSeq", "Proxy-Authenticate");
        assertThat(other.headers().asList()).extracting(Header::name)
                .containsExactly("Via", "To", "From", "Call-ID", "CSeq", "Retry-After");
        assertThat(other.headers().has(HeaderNames.PROXY_AUTHENTICATE)).isFalse();
        assertThat(third.headers().asList()).extracting(Header::name)
                .containsExactly("Via", "To", "From", "Call-ID", "CSeq", "Proxy-Authenticate", "Date");
        assertThat(new String(other.encode(), StandardCharsets.UTF_8))
                .contains("Retry-After: 30\r\n").doesNotContain("Proxy-Authenticate").doesNotContain("Date");
    }

    @Test
    @DisplayName("lines appended beyond any room (a response built from nothing) keep their order")
    void appendBeyondRoom() {
        Headers h = Headers.EMPTY;
        for (int i = 0; i < 20; i++) {
            h = h.append("X-Line", Integer.toString(i));
        }
        assertThat(h.lines("x-line")).hasSize(20).first().isEqualTo("0");
        assertThat(h.lines("X-LINE").get(19)).isEqualTo("19");
        assertThat(Headers.EMPTY.asList()).isEmpty();
    }

    @Test
    @DisplayName("§7.3.1: field names are case-insensitive: known names by their constants, unknown ones in any spelling")
    void namesCaseInsensitive() {
        String text = request("7 MESSAGE").replace("Content-Length: 0", "X-Custom: one\r\nx-CUSTOM: two\r\nCONTENT-LENGTH: 0");
        Headers h = parse(text).headers();
        assertThat(h.value("call-id")).isEqualTo("a84b4c76e66710");
        assertThat(h.value("i")).isEqualTo("a84b4c76e66710");
        assertThat(h.lines("X-CUSTOM")).containsExactly("one", "two");
        assertThat(h.has("x-custom")).isTrue();
        assertThat(h.has("Route")).isFalse();
        assertThat(h.remove("X-custom").has("X-Custom")).isFalse();
        assertThat(h.set("x-custom", "three").lines("X-Custom")).containsExactly("three");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"c: text/plain|Content-Type: text/plain|more than one Content-Type",
        "Expires: 10|Expires: 20|more than one Expires", "t: <sip:carol@example.com>|To: <sip:bob@example.com>|more than one To",
        "Route: <sip:p.example.com;lr>|Route: sip:p2.example.com, <sip:p3.example.com;lr>|",
        "Contact: <sip:a@host>|m: <sip:b@host>, <bad uri>|Contact"})
    @DisplayName("RFC 4475 §3.3.8, §20: single headers twice (compact forms too) are a 400; every Route, Contact line is checked")
    void singleAndListHeaders(String first, String second, String fault) {
        String text = request("7 MESSAGE").replace("Content-Length: 0", first + "\r\n" + second + "\r\nContent-Length: 0");
        if (fault == null) {
            assertThat(parse(text).headers().values(HeaderNames.ROUTE)).hasSize(3);
        } else {
            assertThatThrownBy(() -> parse(text)).isInstanceOfSatisfying(SipParseException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.getMessage()).contains(fault);
            });
        }
        HeaderNames.SINGLE.forEach(n -> assertThat(HeaderNames.isSingle(n)).as(n).isTrue());
        assertThat(HeaderNames.isSingle(HeaderNames.VIA)).isFalse();
    }

    @Test
    @DisplayName("§19.1.4, §20.42: a host seen again is the same text, its case as written; other hosts are never mixed up with it")
    void recentHosts() {
        SipMessage a = parse(request("7 MESSAGE"));
        SipMessage b = parse(request("8 MESSAGE"));
        SipUri from = (SipUri) a.from().uri();
        assertThat(from.host()).isEqualTo("example.com").isSameAs(((SipUri) b.to().uri()).host());
        assertThat(a.topVia().host()).isEqualTo("client.example.com").isSameAs(b.topVia().host());
        assertThat(SipUri.parse("sip:bob@Example.COM").host()).isEqualTo("Example.COM");
        assertThat(SipUri.parse("sip:bob@example.com").host()).isEqualTo("example.com");
        for (int i = 0; i < 2000; i++) { // far more hosts than the table keeps: each still reads as written
            String host = "h" + i + ".example.net";
            assertThat(SipUri.parse("sip:u@" + host + ":5060").host()).isEqualTo(host);
            assertThat(Via.parse("SIP/2.0/TCP " + host + ";branch=z9hG4bK" + i).host()).isEqualTo(host);
        }
        String longHost = "a".repeat(70) + ".example.org";
        assertThat(SipUri.parse("sip:" + longHost).host()).isEqualTo(longHost);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIP/2.0/UDP ;branch=z9hG4bK1", "SIP/2.0/UDP :5060", "SIP/2.0/UDP h_st", "SIP/2.0/UDP host:99999",
        "SIP/2.0/UDP host;;branch=1", "SIP/2.0/UDP host;branch=1;", "SIP/2.0/UDP host;=1"})
    @DisplayName("§20.42, RFC 4475 §3.1.2.*: a Via with an empty or bad host, port or parameter is refused")
    void malformedVia(String via) {
        assertThatThrownBy(() -> Via.parse(via)).isInstanceOf(SipParseException.class);
        assertThatThrownBy(() -> parse(request("7 MESSAGE").replace("Via: SIP/2.0/UDP client.example.com;branch=z9hG4bK-1", "Via: " + via)))
                .isInstanceOfSatisfying(SipParseException.class, e -> assertThat(e.getMessage()).contains("Via"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sip:bob@example.com;", "sip:bob@example.com;;lr", "sip:bob@", "sip:bob@host:x", "sip:bob@ho st"})
    @DisplayName("§19.1.1, RFC 4475 §3.1.2.*: a SIP URI with an empty parameter, host or a bad port is refused")
    void malformedUri(String uri) {
        assertThatThrownBy(() -> SipUri.parse(uri)).isInstanceOf(SipParseException.class);
    }

    @Test
    @DisplayName("§18.2.1, RFC 3581, §16.6 step 8: received and rport stamped on the top Via, a Via put on top; every copy keeps its own Vias")
    void stampAndPrependVias() {
        SipMessage m = parse(request("7 MESSAGE"));
        Via top = m.topVia();
        Via stamped = top.withParam("received", "192.0.2.1").withParam("rport", "5070").withParam("RPORT", "5071");
        assertThat(stamped.params().asList()).extracting(Params.Param::name).containsExactly("branch", "received", "RPORT");
        assertThat(stamped.toString()).isEqualTo("SIP/2.0/UDP client.example.com;branch=z9hG4bK-1;received=192.0.2.1;RPORT=5071");
        Headers withStamp = m.headers().withTopVia(stamped);
        Via ours = Via.parse("SIP/2.0/TCP [2001:db8::9]:5061;branch=z9hG4bK-ours;rport");
        Headers relayed = withStamp.prependVia(ours);
        assertThat(relayed.vias()).containsExactly(ours, stamped);
        assertThat(withStamp.vias()).containsExactly(stamped);
        assertThat(m.vias()).containsExactly(top);
        assertThat(relayed.lines(HeaderNames.VIA)).containsExactly(ours.toString(), stamped.toString());
        assertThat(Via.parse(ours.toString())).isEqualTo(ours);
        assertThat(Via.parse(relayed.lines(HeaderNames.VIA).get(1))).isEqualTo(stamped);
        assertThat(Address.parse("\"Bob \\\"B\\\"\" <sip:bob:pw@example.com:5070;lr?Subject=x>;tag=9").toString())
                .isEqualTo("\"Bob \\\"B\\\"\" <sip:bob:pw@example.com:5070;lr?Subject=x>;tag=9");
        assertThat(Address.parse("<tel:+15551234>;tag=1").toString()).isEqualTo("<tel:+15551234>;tag=1");
    }

    @Test
    @DisplayName("§19.1.4: URI parameters compare names case-insensitively and values exactly, in order; equal ones hash alike")
    void paramsCompareInPlace() {
        SipUri a = SipUri.parse("sip:bob@example.com;Transport=tcp;LR");
        SipUri b = SipUri.parse("sip:bob@example.com;transport=tcp;lr");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(SipUri.parse("sip:bob@example.com;transport=TCP;lr"));
        assertThat(a).isNotEqualTo(SipUri.parse("sip:bob@example.com;transport=tcp"));
        assertThat(a.params()).isNotEqualTo(SipUri.parse("sip:bob@example.com;lr;transport=tcp").params());
        assertThat(Params.EMPTY).isEqualTo(Params.builder().build()).isNotEqualTo(a.params());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sip:bob@example.com", "sips:bob:secret@example.com:5061;transport=tcp;lr;maddr=10.0.0.1",
        "sip:[2001:db8::1]:65535;ob", "sip:example.com?Subject=hi", "sip:%62ob@example.com:0"})
    @DisplayName("§7.1, §25.1: the Request-URI written from its parts is the URI's text")
    void requestUriWritten(String uri) {
        SipRequest r = ((SipRequest) parse(request("7 MESSAGE"))).withRequestUri(SipUri.parse(uri).withoutHeaders());
        String wire = new String(r.encode(), StandardCharsets.UTF_8);
        assertThat(wire).startsWith("MESSAGE " + r.requestUri() + " SIP/2.0\r\n");
        assertThat(((SipRequest) parse(wire)).requestUri()).isEqualTo(r.requestUri());
    }

    @Test
    @DisplayName("§7.1: a Request-URI with other than ASCII (a user given as text) is written as UTF-8")
    void requestUriUtf8() {
        SipRequest r = ((SipRequest) parse(request("7 MESSAGE"))).withRequestUri(SipUri.of("jürgen", "example.com"));
        assertThat(new String(r.encode(), StandardCharsets.UTF_8)).startsWith("MESSAGE sip:jürgen@example.com SIP/2.0\r\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Bob Smith <sip:bob@example.com>|Bob Smith", "Bob  Smith <sip:bob@example.com>|Bob  Smith",
        "  Bob   <sip:bob@example.com>|Bob"})
    @DisplayName("§25.1: an unquoted display name is tokens separated by white space")
    void unquotedDisplayName(String value, String display) {
        assertThat(Address.parse(value).displayName()).isEqualTo(display);
        assertThat(Address.parse(value.replace(' ', '\t')).displayName()).as("tab-separated").isEqualTo(display.replace(' ', '\t'));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bob \"Smith\" <sip:bob@example.com>", "Bob@home <sip:bob@example.com>", "Bob, Jr <sip:bob@example.com>"})
    @DisplayName("§25.1, RFC 4475 §3.1.2.*: a display name with other than token characters must be quoted")
    void unquotedDisplayNameMalformed(String value) {
        assertThatThrownBy(() -> Address.parse(value)).isInstanceOf(SipParseException.class);
        assertThatThrownBy(() -> parse(request("7 MESSAGE").replace("To: <sip:bob@example.com>", "To: " + value)))
                .isInstanceOfSatisfying(SipParseException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @ParameterizedTest
    @CsvSource({"200, OK", "407, Proxy Authentication Required", "299, OK", "199, Trying", "699, Global Failure",
        "-1, Global Failure", "1000, Global Failure"})
    @DisplayName("§21: default reason phrases, by class for unknown codes")
    void reasons(int status, String reason) {
        assertThat(StatusCodes.reason(status)).isEqualTo(reason);
    }

    private static String register(String... contactLines) {
        StringBuilder sb = new StringBuilder("REGISTER sip:example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP client.example.com;branch=z9hG4bK-1\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: <sip:alice@example.com>\r\n"
                + "From: <sip:alice@example.com>;tag=1\r\n"
                + "Call-ID: a84b4c76e66710\r\n"
                + "CSeq: 1 REGISTER\r\n");
        for (String c : contactLines) {
            sb.append(c).append("\r\n");
        }
        return sb.append("Content-Length: 0\r\n\r\n").toString();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Contact: <sip:alice@192.0.2.4:5062;transport=udp>;expires=60|",
        "Contact: \"Alice, at home\" <sip:alice@192.0.2.4>;q=0.5, <sip:alice@192.0.2.5>|",
        "Contact: <sip:alice@192.0.2.4>|m: sip:alice@192.0.2.5;expires=0",
        "Contact: <sip:alice@192.0.2.4>;+sip.instance=\"<urn:uuid:1,2>\", sip:alice@192.0.2.5|",
        "Contact: tel:+15551234567|",
        "Contact: *|"})
    @DisplayName("§20.10, §10.2.2: the Contact addresses the parser checked and kept are those of every line and element, in order, * left out")
    void contactsKeptFromTheCheck(String first, String second) {
        SipMessage m = parse(second == null ? register(first) : register(first, second));
        java.util.List<Address> general = new java.util.ArrayList<>();
        for (String value : m.headers().values(HeaderNames.CONTACT)) {
            if (!value.equals("*")) {
                general.add(Address.parse(value));
            }
        }
        assertThat(m.headers().contacts()).isEqualTo(general);
        assertThat(m.headers().contacts()).as("parsed once").isSameAs(m.headers().contacts());
        assertThat(m.headers().hasWildcardContact()).isEqualTo(first.endsWith("*"));
        assertThat(m.headers().remove(HeaderNames.MAX_FORWARDS).contacts()).as("kept by a change of another header")
                .isSameAs(m.headers().contacts());
        assertThat(m.headers().append(HeaderNames.CONTACT, "<sip:alice@192.0.2.9>").contacts())
                .as("read afresh after a Contact was added").endsWith(Address.parse("<sip:alice@192.0.2.9>"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Contact: <sip:alice@192.0.2.4", "Contact: sip:alice@192.0.2.4>", "Contact: <sip:alice@192.0.2.4>,",
        "Contact: , <sip:alice@192.0.2.4>", "Contact: <sip:alice@192.0.2.4>, *", "Contact: Al;ice <sip:alice@192.0.2.4>",
        "Contact: A@lice <sip:alice@192.0.2.4>", "Contact: <sip:@192.0.2.4>", "Contact: <sip:alice@192.0.2.4:99999>",
        "Contact: <alice@192.0.2.4>", "Contact: \"Alice <sip:alice@192.0.2.4>", "Contact: <sip:alice@192.0.2.4>;=x",
        "Contact: <sip:alice@192.0.2.4>;q=", "Contact: sip:alice@192.0.2.4?subject=x", "Contact:"})
    @DisplayName("§25.1 (Contact, name-addr / addr-spec), RFC 4475 §3.1.2: a malformed Contact is a 400 naming Contact, however the list is written")
    void malformedContact(String line) {
        assertThatThrownBy(() -> parse(register(line)))
                .isInstanceOfSatisfying(SipParseException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("Contact");
                });
        assertThatThrownBy(() -> parse(register("Contact: <sip:alice@192.0.2.5>", line)))
                .as("on a second line").isInstanceOf(SipParseException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sip:example.com", "sips:alice@example.com:5061", "sip:alice:secret@example.com;transport=tcp;lr",
        "sip:alice@[2001:db8::1]:5060;maddr=192.0.2.1?subject=hi", "sip:%61lice@EXAMPLE.com;user=phone", "sip:example.com:0"})
    @DisplayName("§19.1.4, §22.4: a text is a SIP URI as written exactly when it is its text; a near miss is not")
    void writtenAs(String text) {
        SipUri uri = SipUri.parse(text);
        assertThat(uri.isWrittenAs(text)).isTrue();
        String[] nearMisses = {text + ";", text + "x", text.substring(0, text.length() - 1), text.replace("sip", "SIP"),
            text.replace(':', ';'), text.replace("example", "exemple"), text.replace("5061", "5062"), text.replace("5060", "05060"),
            text.replace("=", ""), text.replace("?", ";"), text.replace("@", ":"), "", "sip:"};
        for (String miss : nearMisses) {
            assertThat(uri.isWrittenAs(miss)).as(miss).isEqualTo(uri.toString().equals(miss));
        }
    }
}
