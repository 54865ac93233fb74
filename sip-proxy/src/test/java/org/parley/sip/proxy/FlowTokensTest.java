package org.parley.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;

@DisplayName("RFC 5626 §5.2, §5.3: flow tokens in Record-Route are sealed and never trusted unverified")
class FlowTokensTest {
    static final InetSocketAddress LOCAL = new InetSocketAddress("192.0.2.1", 5060);
    final FlowTokens tokens = new FlowTokens();

    @Test
    @DisplayName("TCP, TLS, WS and UDP flows, IPv4 and IPv6, come back unchanged")
    void roundTrip() {
        Flow[] flows = {
            new Flow(Transport.TCP, LOCAL, new InetSocketAddress("198.51.100.7", 40123), "conn-17"),
            new Flow(Transport.TLS, LOCAL, new InetSocketAddress("198.51.100.7", 40124), "c/with/slashes"),
            new Flow(Transport.WS, LOCAL, new InetSocketAddress("198.51.100.7", 8080), "ws-1"),
            new Flow(Transport.UDP, LOCAL, new InetSocketAddress("198.51.100.7", 5062), null),
            new Flow(Transport.UDP, new InetSocketAddress("2001:db8::1", 5060), new InetSocketAddress("2001:db8::7", 5062), null),
        };
        for (Flow f : flows) {
            String token = tokens.encode(f);
            assertThat(tokens.decode(token)).as(f.token()).contains(f);
        }
    }

    @Test
    @DisplayName("a token is usable as the user part of a SIP URI without escaping")
    void uriSafe() {
        String token = tokens.encode(new Flow(Transport.TCP, LOCAL, new InetSocketAddress("198.51.100.7", 40123), "conn-17"));
        assertThat(token).matches("[A-Za-z0-9_-]+");
    }

    @Test
    @DisplayName("any altered byte, in the MAC or in the flow, makes the token worthless")
    void tampered() {
        Flow f = new Flow(Transport.TCP, LOCAL, new InetSocketAddress("198.51.100.7", 40123), "conn-17");
        byte[] raw = Base64.getUrlDecoder().decode(tokens.encode(f));
        for (int i = 0; i < raw.length; i++) {
            byte[] copy = raw.clone();
            copy[i] ^= 0x04;
            assertThat(tokens.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(copy))).as("byte %d", i).isEmpty();
        }
    }

    @Test
    @DisplayName("a token pointing at another device cannot be made without the key")
    void forgedPayload() {
        Flow mine = new Flow(Transport.TCP, LOCAL, new InetSocketAddress("198.51.100.7", 40123), "conn-17");
        byte[] raw = Base64.getUrlDecoder().decode(tokens.encode(mine));
        byte[] payload = new Flow(Transport.TCP, LOCAL, new InetSocketAddress("203.0.113.66", 40123), "conn-99")
                .token().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] forged = new byte[10 + payload.length];
        System.arraycopy(raw, 0, forged, 0, 10); // the MAC of the genuine token
        System.arraycopy(payload, 0, forged, 10, payload.length);
        assertThat(tokens.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(forged))).isEmpty();
    }

    @Test
    @DisplayName("tokens of another proxy instance (another key), garbage and empty strings are rejected")
    void foreignAndGarbage() {
        Flow f = new Flow(Transport.TCP, LOCAL, new InetSocketAddress("198.51.100.7", 40123), "conn-17");
        assertThat(tokens.decode(new FlowTokens().encode(f))).isEmpty();
        assertThat(tokens.decode("")).isEmpty();
        assertThat(tokens.decode("alice")).isEmpty();
        assertThat(tokens.decode("not base64 at all!")).isEmpty();
        assertThat(tokens.decode("AAAAAAAAAAAAAA")).isEmpty();
    }
}
