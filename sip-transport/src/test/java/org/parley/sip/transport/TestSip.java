package org.parley.sip.transport;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** (RFC 3261 §18 transport) Messages and servers for the transport tests: everything on 127.0.0.1, ephemeral ports. */
final class TestSip {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private TestSip() {
    }

    static NettySipTransport start(InboundHandler handler, Consumer<TransportSettings.Builder> customize) {
        TransportSettings.Builder b = TransportSettings.builder(LOOPBACK, "127.0.0.1");
        for (Transport t : Transport.values()) {
            b.port(t, 0);
        }
        customize.accept(b);
        NettySipTransport transport = new NettySipTransport(b.build(), new SimpleMeterRegistry());
        transport.start(handler);
        return transport;
    }

    /** An OPTIONS request; {@code sentBy} and {@code viaParams} shape the top Via. */
    static String options(String transport, String sentBy, String viaParams, String callId) {
        return "OPTIONS sip:parley@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " " + sentBy + ";branch=z9hG4bK-" + callId + viaParams + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\n"
                + "To: <sip:parley@example.com>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** A MESSAGE with a body, so that framing by Content-Length is exercised. */
    static String message(String transport, String callId, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return "MESSAGE sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " 127.0.0.1:5999;branch=z9hG4bK-" + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\n"
                + "To: <sip:bob@example.com>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 MESSAGE\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: " + b.length + "\r\n\r\n"
                + body;
    }

    /** Reads one message off a stream: the header section, then Content-Length octets. */
    static String readMessage(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("stream ended after: " + head.toString(StandardCharsets.UTF_8));
            }
            if (head.size() == 0 && (c == '\r' || c == '\n')) {
                continue;
            }
            head.write(c);
        }
        String h = head.toString(StandardCharsets.UTF_8);
        int length = 0;
        for (String line : h.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
