package org.parley.testkit.msrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.testkit.TestCertificate;

/**
 * The Python MSRP peer's TLS link (RFC 4975 §6: msrps is MSRP over TLS) against a TLS 1.3 server
 * that sends post-handshake messages while the peer writes. The peer reads on one thread and
 * writes on another, and OpenSSL allows only one thread at a time in a connection: a reader that
 * took in the server's NewSessionTicket (which the JDK sends just as the handshake ends) while
 * the writer sent the first request broke the connection about once in a few hundred — the
 * intermittent "[SSL] internal error" and unanswered AUTHs of the MSRP wire tests over TLS. A
 * KeyUpdate that asks for one back (RFC 8446 §4.6.3) makes the reader write, so a stream of them
 * during a long write meets that moment every time.
 */
@DisplayName("RFC 4975 §6, RFC 8446 §4.6.3: the Python peer's TLS link stays intact while the server updates its keys as the peer writes")
class PythonMsrpPeerTlsTest {
    private static final int WRITES = 24;
    private static final int WRITE_BYTES = 64 * 1024;

    @Test
    @DisplayName("RFC 8446 §4.6.3: 1.5 MiB written as the server sends KeyUpdates arrive intact, and a SEND after them is read")
    void keyUpdatesWhileWriting() throws Exception {
        byte[] data = new byte[WRITES * WRITE_BYTES];
        new Random(4975).nextBytes(data);
        try (SSLServerSocket listener = (SSLServerSocket) TestCertificate.get().jdkServerContext()
                .getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             PythonMsrpPeer peer = PythonMsrpPeer.start()) {
            listener.setEnabledProtocols(new String[] {"TLSv1.3"});
            Future<SSLSocket> accepted = threads.submit(() -> {
                SSLSocket s = (SSLSocket) listener.accept();
                s.startHandshake();
                return s;
            });
            String uri = peer.connect("tls", listener.getLocalPort(), TestCertificate.get().pemFile());
            try (SSLSocket server = accepted.get(10, TimeUnit.SECONDS)) {
                AtomicBoolean reading = new AtomicBoolean(true);
                Future<byte[]> received = threads.submit(() -> readFully(server.getInputStream(), data.length, reading));
                Future<Integer> updates = threads.submit(() -> {
                    int sent = 0;
                    while (reading.get()) {
                        server.startHandshake(); // on a TLS 1.3 connection: a KeyUpdate, update_requested
                        sent++;
                        Thread.sleep(1);
                    }
                    return sent;
                });
                for (int i = 0; i < WRITES; i++) {
                    byte[] piece = new byte[WRITE_BYTES];
                    System.arraycopy(data, i * WRITE_BYTES, piece, 0, WRITE_BYTES);
                    peer.raw(piece);
                }
                assertThat(received.get(60, TimeUnit.SECONDS)).as("what the peer wrote, as the server read it")
                        .isEqualTo(data);
                assertThat(updates.get(10, TimeUnit.SECONDS)).as("KeyUpdates sent while the peer wrote")
                        .isGreaterThan(1);

                String tid = "ku1";
                server.getOutputStream().write(("MSRP " + tid + " SEND\r\nTo-Path: " + uri + "\r\nFrom-Path: msrps://127.0.0.1:"
                        + listener.getLocalPort() + "/s1;tcp\r\nMessage-ID: m1\r\nByte-Range: 1-5/5\r\n"
                        + "Content-Type: text/plain\r\n\r\nhello\r\n-------" + tid + "$\r\n").getBytes(StandardCharsets.UTF_8));
                server.getOutputStream().flush();
                PythonMsrpPeer.Reply send = peer.next(Duration.ofSeconds(10));
                assertThat(send.method()).as(send.fields().toString()).isEqualTo("SEND");
                assertThat(send.text()).isEqualTo("hello");
                assertThat(peer.command("close", Map.of()).fields()).isEmpty();
            }
        }
    }

    /** {@code length} bytes, or what came before the stream ended or failed; says when done. */
    private static byte[] readFully(InputStream in, int length, AtomicBoolean reading) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        byte[] buffer = new byte[16 * 1024];
        try {
            while (out.size() < length) {
                int n = in.read(buffer, 0, Math.min(buffer.length, length - out.size()));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
            }
        } finally {
            reading.set(false);
        }
        return out.toByteArray();
    }
}
