package org.parley.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;

@DisplayName("Issue 9 §2, RFC 5626 §5.2-§5.3, RFC 3327: Record-Route stamps are sealed, bound to the dialog, never trusted unverified")
class RouteStampsTest {
    static final InetSocketAddress LOCAL = new InetSocketAddress("192.0.2.1", 5060);
    static final String CALL = "call-1@198.51.100.7";
    static final Flow TCP = new Flow(Transport.TCP, LOCAL, new InetSocketAddress("198.51.100.7", 40123), "conn-17");
    final RouteStamps stamps = new RouteStamps();

    @Test
    @DisplayName("TCP, TLS, WS and UDP flows, IPv4 and IPv6, with and without a next hop, come back unchanged")
    void roundTrip() {
        Flow[] flows = {
            TCP,
            new Flow(Transport.TLS, LOCAL, new InetSocketAddress("198.51.100.7", 40124), "c/with/slashes"),
            new Flow(Transport.WS, LOCAL, new InetSocketAddress("198.51.100.7", 8080), "ws-1"),
            new Flow(Transport.UDP, LOCAL, new InetSocketAddress("198.51.100.7", 5062), null),
            new Flow(Transport.UDP, new InetSocketAddress("2001:db8::1", 5060), new InetSocketAddress("2001:db8::7", 5062), null),
        };
        for (Flow f : flows) {
            assertThat(stamps.decode(stamps.encode(CALL, f, null), CALL)).as(f.token())
                    .contains(new RouteStamps.Stamp(Optional.of(f), Optional.empty()));
        }
        assertThat(stamps.decode(stamps.encode(CALL, null, "<sip:edge.example.com;lr>"), CALL))
                .contains(new RouteStamps.Stamp(Optional.empty(), Optional.of("<sip:edge.example.com;lr>")));
        assertThat(stamps.decode(stamps.encode(CALL, null, null), CALL))
                .contains(new RouteStamps.Stamp(Optional.empty(), Optional.empty()));
    }

    @Test
    @DisplayName("a stamp is usable as the user part of a SIP URI without escaping")
    void uriSafe() {
        assertThat(stamps.encode(CALL, TCP, "<sip:edge.example.com;lr>")).matches("[A-Za-z0-9_-]+");
    }

    @Test
    @DisplayName("a stamp of one dialog is worthless in another (another Call-ID)")
    void boundToCallId() {
        assertThat(stamps.decode(stamps.encode(CALL, TCP, null), "other-call@198.51.100.7")).isEmpty();
    }

    @Test
    @DisplayName("any altered byte, in the MAC or in the payload, makes the stamp worthless")
    void tampered() {
        byte[] raw = Base64.getUrlDecoder().decode(stamps.encode(CALL, TCP, "<sip:edge.example.com;lr>"));
        for (int i = 0; i < raw.length; i++) {
            byte[] copy = raw.clone();
            copy[i] ^= 0x04;
            assertThat(stamps.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(copy), CALL)).as("byte %d", i).isEmpty();
        }
    }

    @Test
    @DisplayName("a stamp sending the dialog to another host cannot be made without the key")
    void forgedPayload() {
        byte[] raw = Base64.getUrlDecoder().decode(stamps.encode(CALL, null, null));
        byte[] payload = "\n<sip:127.0.0.95:5999;lr>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] forged = new byte[10 + payload.length];
        System.arraycopy(raw, 0, forged, 0, 10); // the MAC of the genuine stamp
        System.arraycopy(payload, 0, forged, 10, payload.length);
        assertThat(stamps.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(forged), CALL)).isEmpty();
    }

    @Test
    @DisplayName("stamps of another proxy instance (another key), garbage and empty strings are rejected")
    void foreignAndGarbage() {
        assertThat(stamps.decode(new RouteStamps().encode(CALL, TCP, null), CALL)).isEmpty();
        assertThat(stamps.decode("", CALL)).isEmpty();
        assertThat(stamps.decode("alice", CALL)).isEmpty();
        assertThat(stamps.decode("not base64 at all!", CALL)).isEmpty();
        assertThat(stamps.decode("AAAAAAAAAAAAAA", CALL)).isEmpty();
    }
}
