package org.parley.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The parsed Vias, From, To and CSeq a message keeps (issue 13 §3): read once, never stale. */
@DisplayName("RFC 3261 §8.1.1, §8.2.6.2: a message's parsed Via, From, To and CSeq follow its header lines")
class ParsedViewsTest {
    private static final String REQUEST = "MESSAGE sip:bob@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP client.example.com:5070;branch=z9hG4bK-top, SIP/2.0/TCP proxy.example.com;branch=z9hG4bK-2\r\n"
            + "Via: SIP/2.0/UDP first.example.com;branch=z9hG4bK-3\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: <sip:bob@example.com>\r\n"
            + "From: <sip:alice@example.com>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710\r\n"
            + "CSeq: 7 MESSAGE\r\n"
            + "Content-Length: 0\r\n\r\n";

    private static SipRequest request() {
        return (SipRequest) SipParser.parse(REQUEST.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("§8.1.1.7: the top Via is the first element of the first line; vias() flattens lines and commas in order")
    void viasInOrder() {
        SipRequest r = request();
        assertThat(r.topVia().branch()).contains("z9hG4bK-top");
        assertThat(r.vias()).extracting(v -> v.branch().orElseThrow())
                .containsExactly("z9hG4bK-top", "z9hG4bK-2", "z9hG4bK-3");
        assertThat(r.topVia()).isSameAs(r.vias().get(0));
    }

    @Test
    @DisplayName("a changed message reads its own lines: a Via put on top, a From replaced, are what it reports")
    void changedHeadersAreReadAfresh() {
        SipRequest r = request();
        assertThat(r.topVia().host()).isEqualTo("client.example.com");
        assertThat(r.from().tag()).contains("1928301774");

        SipRequest changed = r.withHeaders(r.headers()
                .prepend(HeaderNames.VIA, "SIP/2.0/UDP parley.example.com;branch=z9hG4bK-ours")
                .set(HeaderNames.FROM, "<sip:carol@example.com>;tag=99"));
        assertThat(changed.topVia().host()).isEqualTo("parley.example.com");
        assertThat(changed.vias()).hasSize(4);
        assertThat(changed.from().tag()).contains("99");
        assertThat(r.topVia().host()).as("the original is unchanged").isEqualTo("client.example.com");
    }

    @Test
    @DisplayName("§8.2.6.2: a response carries the request's Vias, From and CSeq, and its own To with the tag added")
    void responseFromRequest() {
        SipRequest r = request();
        SipResponse tagged = r.createResponse(200, "resp-tag");
        assertThat(tagged.vias()).isEqualTo(r.vias());
        assertThat(tagged.from()).isEqualTo(r.from());
        assertThat(tagged.cseq()).isEqualTo(new CSeq(7, "MESSAGE"));
        assertThat(tagged.to().tag()).contains("resp-tag");
        assertThat(tagged.header(HeaderNames.TO)).contains("<sip:bob@example.com>;tag=resp-tag");

        SipResponse trying = r.createResponse(100, "resp-tag");
        assertThat(trying.to().tag()).as("no tag on a 100 (§8.2.6.2)").isEmpty();
        String wire = new String(tagged.encode(), StandardCharsets.UTF_8);
        assertThat(wire).startsWith("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP client.example.com:5070;branch=z9hG4bK-top, "
                + "SIP/2.0/TCP proxy.example.com;branch=z9hG4bK-2\r\nVia: SIP/2.0/UDP first.example.com;branch=z9hG4bK-3\r\n");
    }

    @Test
    @DisplayName("a malformed From is refused at every read, never remembered as something else")
    void malformedStaysMalformed() {
        Headers h = Headers.of(java.util.List.of(new Header(HeaderNames.FROM, "<sip:alice@example.com;tag=1"),
                new Header(HeaderNames.VIA, "SIP/2.0/UDP")));
        assertThatThrownBy(h::from).isInstanceOf(SipParseException.class);
        assertThatThrownBy(h::from).isInstanceOf(SipParseException.class);
        assertThatThrownBy(h::topVia).isInstanceOf(SipParseException.class);
        assertThatThrownBy(Headers.EMPTY::topVia).isInstanceOf(java.util.NoSuchElementException.class);
    }

    @Test
    @DisplayName("issue 13: a change keeps the parsed views of the headers it did not touch, and drops the one it did")
    void changesKeepUntouchedViews() {
        SipRequest r = request();
        Headers h = r.headers();
        java.util.List<Via> vias = h.vias();
        Address from = h.from();
        Address to = h.to();
        CSeq cseq = h.cseq();

        Headers fewer = h.remove(HeaderNames.MAX_FORWARDS).remove("P-Asserted-Identity");
        assertThat(fewer.has(HeaderNames.MAX_FORWARDS)).isFalse();
        assertThat(fewer.vias()).isSameAs(vias);
        assertThat(fewer.from()).isSameAs(from);
        assertThat(fewer.to()).isSameAs(to);
        assertThat(fewer.cseq()).isSameAs(cseq);
        assertThat(h.remove("P-Asserted-Identity")).as("nothing to remove: the same headers").isSameAs(h);

        Headers newFrom = h.set(HeaderNames.FROM, "<sip:carol@example.com>;tag=5");
        assertThat(newFrom.from().uri().toString()).isEqualTo("sip:carol@example.com");
        assertThat(newFrom.to()).isSameAs(to);
        Headers newTo = h.append("t", "<sip:dave@example.com>");
        assertThatThrownBy(() -> SipParser.parse(r.withHeaders(newTo).encode()))
                .as("two To lines, the compact one appended, are still refused").isInstanceOf(SipParseException.class);
    }

    @Test
    @DisplayName("§18.2.1, §16.6 step 8, §16.7 step 3: a Via stamped, put on top or removed leaves the others as parsed and as written")
    void viaChanges() {
        SipRequest r = request();
        java.util.List<Via> vias = r.vias();
        Via stamped = r.topVia().withParam("received", "192.0.2.9").withParam("rport", "5070");

        Headers h = r.headers().withTopVia(stamped);
        assertThat(h.vias()).containsExactly(stamped, vias.get(1), vias.get(2));
        assertThat(h.vias().get(2)).isSameAs(vias.get(2));
        assertThat(h.lines(HeaderNames.VIA)).containsExactly(
                "SIP/2.0/UDP client.example.com:5070;branch=z9hG4bK-top;received=192.0.2.9;rport=5070",
                "SIP/2.0/TCP proxy.example.com;branch=z9hG4bK-2",
                "SIP/2.0/UDP first.example.com;branch=z9hG4bK-3");
        assertThat(h.from()).isSameAs(r.from());

        Via ours = Via.parse("SIP/2.0/UDP parley.example.com;branch=z9hG4bK-ours;rport");
        Headers relayed = h.prependVia(ours);
        assertThat(relayed.vias()).containsExactly(ours, stamped, vias.get(1), vias.get(2));
        assertThat(relayed.vias()).as("what a reader parsing the lines afresh gets")
                .isEqualTo(SipParser.parse(r.withHeaders(relayed).encode()).vias());

        Headers back = relayed.removeFirstValue(HeaderNames.VIA);
        assertThat(back.vias()).containsExactly(stamped, vias.get(1), vias.get(2));
        Headers second = back.removeFirstValue(HeaderNames.VIA);
        assertThat(second.vias()).containsExactly(vias.get(1), vias.get(2));
        assertThat(second.lines(HeaderNames.VIA)).containsExactly("SIP/2.0/TCP proxy.example.com;branch=z9hG4bK-2",
                "SIP/2.0/UDP first.example.com;branch=z9hG4bK-3");
        assertThat(second.vias()).isEqualTo(SipParser.parse(r.withHeaders(second).encode()).vias());
        assertThatThrownBy(() -> Headers.EMPTY.withTopVia(ours)).isInstanceOf(java.util.NoSuchElementException.class);
    }
}
