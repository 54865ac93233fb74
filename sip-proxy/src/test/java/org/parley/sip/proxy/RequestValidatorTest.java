package org.parley.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.sip.proxy.ProxyTestSupport.request;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.OtherUri;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;

@DisplayName("RFC 3261 §16.3 steps 2-4, §8.2.2.3, §20.29, RFC 4475 §3.3.12: RequestValidator (416, 483, 420)")
class RequestValidatorTest {
    final RequestValidator validator = new RequestValidator(ProxySettings.defaults());

    private Optional<SipResponse> check(SipRequest r, boolean forUs) {
        return validator.check(r, "vt", forUs);
    }

    @Test
    @DisplayName("a well-formed request passes, for us or not")
    void passes() {
        SipRequest r = request("INVITE", "sip:bob@example.com");
        assertThat(check(r, false)).isEmpty();
        assertThat(check(r, true)).isEmpty();
        assertThat(check(request("INVITE", "tel:+442079460000"), false)).as("tel is a supported scheme").isEmpty();
    }

    @Test
    @DisplayName("416 for a Request-URI scheme we do not know, for us or not")
    void unsupportedScheme() {
        SipRequest r = request("MESSAGE", "sip:bob@example.com").withRequestUri(new OtherUri("mailto", "mailto:bob@example.com"));
        for (boolean forUs : new boolean[] {false, true}) {
            assertThat(check(r, forUs)).hasValueSatisfying(resp -> {
                assertThat(resp.status()).isEqualTo(416);
                assertThat(resp.to().tag()).contains("vt");
            });
        }
    }

    @Test
    @DisplayName("483 for Max-Forwards: 0 only when the request would be forwarded")
    void maxForwards() {
        SipRequest zero = request("OPTIONS", "sip:bob@example.com").withHeaders(
                request("OPTIONS", "sip:bob@example.com").headers().set(HeaderNames.MAX_FORWARDS, "0"));
        assertThat(check(zero, false)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(483));
        assertThat(check(zero, true)).as("the server answers it itself (RFC 3261 §16.3 step 3)").isEmpty();
        SipRequest one = zero.withHeaders(zero.headers().set(HeaderNames.MAX_FORWARDS, "1"));
        assertThat(check(one, false)).isEmpty();
        SipRequest none = zero.withHeaders(zero.headers().remove(HeaderNames.MAX_FORWARDS));
        assertThat(check(none, false)).as("absent Max-Forwards counts as 70").isEmpty();
    }

    @Test
    @DisplayName("420 for an unknown Proxy-Require tag, with only the unknown tags in Unsupported")
    void proxyRequire() {
        SipRequest r = request("INVITE", "sip:bob@example.com", "Proxy-Require: path, foo, OUTBOUND, bar");
        Optional<SipResponse> resp = check(r, false);
        assertThat(resp).hasValueSatisfying(x -> {
            assertThat(x.status()).isEqualTo(420);
            assertThat(x.headers().values(HeaderNames.UNSUPPORTED)).containsExactly("foo", "bar");
        });
    }

    @Test
    @DisplayName("known tags in any case pass (option tags compare case-insensitively)")
    void knownTags() {
        assertThat(check(request("INVITE", "sip:bob@example.com", "Proxy-Require: GRUU, Path"), false)).isEmpty();
        assertThat(check(request("REGISTER", "sip:example.com", "Require: outbound, path"), true)).isEmpty();
    }

    @Test
    @DisplayName("Require is end-to-end: ignored when forwarding, checked when we are the UAS (RFC 4475 §3.3.12)")
    void requireOnlyForUs() {
        SipRequest r = request("INVITE", "sip:bob@example.com", "Require: 100rel, nothing-we-know");
        assertThat(check(r, false)).isEmpty();
        assertThat(check(r, true)).hasValueSatisfying(x -> {
            assertThat(x.status()).isEqualTo(420);
            assertThat(x.headers().values(HeaderNames.UNSUPPORTED)).containsExactly("100rel", "nothing-we-know");
        });
    }

    @Test
    @DisplayName("for us, unknown tags of Proxy-Require and Require are both listed, and nothing known")
    void both() {
        SipRequest r = request("OPTIONS", "sip:example.com", "Proxy-Require: baz, path", "Require: gruu, qux");
        assertThat(check(r, true)).hasValueSatisfying(x ->
                assertThat(x.headers().values(HeaderNames.UNSUPPORTED)).containsExactlyInAnyOrder("baz", "qux"));
    }
}
