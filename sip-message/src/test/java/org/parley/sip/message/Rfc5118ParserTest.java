package org.parley.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.testkit.Corpus;

/**
 * RFC 5118 IPv6 torture messages at the parser (testkit corpora/rfc5118-ipv6-torture): the
 * well-formed ones parse with their IPv6 references intact, the two malformed ones are refused
 * with 400 and a reason.
 */
@DisplayName("RFC 5118 §4 IPv6 torture messages: parser outcome per message")
class Rfc5118ParserTest {

    private static SipMessage parse(String name) {
        return SipParser.parse(Unpooled.wrappedBuffer(Corpus.bytes("rfc5118-ipv6-torture/" + name + ".dat")), true);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ipv6-good", "port-ambiguous", "port-unambiguous", "via-received-param-with-delim",
            "via-received-param-no-delim", "ipv6-in-sdp", "mult-ip-in-header", "mult-ip-in-sdp", "ipv4-mapped-ipv6",
            "ipv6-correct-abnf-2-colons"})
    @DisplayName("RFC 5118 §4.1, §4.3-§4.10: well-formed IPv6 messages parse")
    void wellFormedParse(String name) {
        assertThat(parse(name).callId()).isNotEmpty();
    }

    @Test
    @DisplayName("RFC 5118 §4.1, §4.4: the Request-URI keeps its bracketed IPv6 host, and the port apart from it")
    void ipv6HostAndPort() {
        SipRequest good = (SipRequest) parse("ipv6-good");
        assertThat(((SipUri) good.requestUri()).host()).isEqualTo("[2001:db8::10]");
        SipRequest port = (SipRequest) parse("port-unambiguous");
        assertThat(((SipUri) port.requestUri()).host()).isEqualTo("[2001:db8::10]");
        assertThat(((SipUri) port.requestUri()).port()).isEqualTo(5070);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ipv6-bad", "ipv6-bug-abnf-3-colons"})
    @DisplayName("RFC 5118 §4.2, §4.10: an unbracketed IPv6 Request-URI and a three-colon address are refused with 400")
    void malformedAreRefused(String name) {
        assertThatThrownBy(() -> parse(name)).isInstanceOfSatisfying(SipParseException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isNotBlank();
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sip:a@[::1]", "sip:a@[1:2:3:4:5:6:7:8]", "sip:a@[::ffff:192.0.2.2]:5060",
            "sip:a@[2001:db8::]", "sip:a@[1:2:3:4:5:6:1.2.3.4]"})
    @DisplayName("RFC 3986 §3.2.2: IPv6 references in SIP URIs, with and without '::' and an IPv4 tail")
    void ipv6ReferencesAccepted(String uri) {
        assertThat(SipUri.parse(uri).host()).startsWith("[");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sip:a@[]", "sip:a@[2001:db8::1::2]", "sip:a@[12345::]", "sip:a@[1:2:3:4:5:6:7]",
            "sip:a@[1:2:3:4:5:6:7:8:9]", "sip:a@[::1.2.3.256]", "sip:a@[g::1]", "sip:a@[1:2:3:4:5:6:7:1.2.3.4]",
            "sip:a@[::1.2.3]", "sip:a@[:1:2:3:4:5:6:7]"})
    @DisplayName("RFC 5118 §4.10, RFC 3986 §3.2.2: malformed IPv6 references are refused with a reason")
    void malformedIpv6ReferencesRefused(String uri) {
        assertThatThrownBy(() -> SipUri.parse(uri)).isInstanceOf(SipParseException.class).hasMessageContaining("IPv6");
    }

    @Test
    @DisplayName("every RFC 5118 §4 message is in the corpus")
    void corpusComplete() {
        for (String name : List.of("ipv6-good", "ipv6-bad", "port-ambiguous", "port-unambiguous",
                "via-received-param-with-delim", "via-received-param-no-delim", "ipv6-in-sdp", "mult-ip-in-header",
                "mult-ip-in-sdp", "ipv4-mapped-ipv6", "ipv6-bug-abnf-3-colons", "ipv6-correct-abnf-2-colons")) {
            assertThat(Corpus.bytes("rfc5118-ipv6-torture/" + name + ".dat")).as(name).isNotEmpty();
        }
    }
}
