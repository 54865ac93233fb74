package org.parley.server.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import io.netty.buffer.Unpooled;
import org.parley.sip.message.Headers;
import org.parley.sip.message.RawMessage;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;

/**
 * A bare SIP user agent for wire tests: sends hand-written messages over UDP, TCP or TLS and
 * reads what comes back, so tests see exactly the bytes Parley puts on the wire (RFC 3261 §18).
 */
public final class SipTestClient implements AutoCloseable {
    private final DatagramSocket udp;
    private final Socket stream;
    private final InetSocketAddress server;
    private final String transport;
    private final java.util.Deque<SipMessage> unread = new java.util.ArrayDeque<>();

    private SipTestClient(DatagramSocket udp, Socket stream, InetSocketAddress server, String transport) {
        this.udp = udp;
        this.stream = stream;
        this.server = server;
        this.transport = transport;
    }

    public static SipTestClient udp(int serverPort) throws IOException {
        return udpFrom("127.0.0.1", serverPort);
    }

    /** A UDP client bound to another loopback address, to play a second source host (127.0.0.2 ...). */
    public static SipTestClient udpFrom(String localAddress, int serverPort) throws IOException {
        return udpOn(localAddress, 0, serverPort);
    }

    public static SipTestClient udpOn(String localAddress, int localPort, int serverPort) throws IOException {
        DatagramSocket s = new DatagramSocket(null);
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), localPort));
        s.setSoTimeout(5000);
        return new SipTestClient(s, null, new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort), "UDP");
    }

    public static SipTestClient tcp(int serverPort) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), serverPort);
        s.setSoTimeout(5000);
        return new SipTestClient(null, s, new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort), "TCP");
    }

    public static SipTestClient over(Socket connected, String transport) throws IOException {
        connected.setSoTimeout(5000);
        return new SipTestClient(null, connected, (InetSocketAddress) connected.getRemoteSocketAddress(), transport);
    }

    /** The same UDP socket, now talking to another server port (a device outliving a server restart). */
    public static SipTestClient udpTo(SipTestClient socketOwner, int serverPort) {
        return new SipTestClient(socketOwner.udp, null,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort), "UDP");
    }

    public void sendTo(SipMessage message, int serverPort) throws IOException {
        byte[] bytes = message.encode();
        udp.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort)));
    }

    public String transport() {
        return transport;
    }

    public int localPort() {
        return udp != null ? udp.getLocalPort() : stream.getLocalPort();
    }

    public String localAddress() {
        return (udp != null ? udp.getLocalAddress() : stream.getLocalAddress()).getHostAddress();
    }

    public String via() {
        return "SIP/2.0/" + transport + " " + localAddress() + ":" + localPort() + ";branch=z9hG4bK" + UUID.randomUUID() + ";rport";
    }

    public void send(String message) throws IOException {
        sendBytes(message.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    public void sendBytes(byte[] bytes) throws IOException {
        if (udp != null) {
            udp.send(new DatagramPacket(bytes, bytes.length, server));
        } else {
            OutputStream out = stream.getOutputStream();
            out.write(bytes);
            out.flush();
        }
    }

    public void send(SipMessage message) throws IOException {
        sendBytes(message.encode());
    }

    /** The next message, or an AssertionError after 5 s. */
    public SipMessage receive() throws IOException {
        SipMessage held = held();
        return held != null ? held : read();
    }

    private synchronized SipMessage held() {
        return unread.poll();
    }

    private SipMessage read() throws IOException {
        try {
            if (udp != null) {
                byte[] buf = new byte[65535];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                return lenient(Arrays.copyOf(buf, p.getLength()));
            }
            return lenient(readFrame(stream.getInputStream()));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no SIP message within 5 s", e);
        }
    }

    /**
     * The next final response. Requests that arrive first are kept for {@link #receiveRequest}:
     * a server may send a device a request before the 200 of its REGISTER has arrived.
     */
    public SipResponse receiveResponse() throws IOException {
        synchronized (this) {
            for (java.util.Iterator<SipMessage> it = unread.iterator(); it.hasNext(); ) {
                if (it.next() instanceof SipResponse r && r.status() != 100) {
                    it.remove();
                    return r;
                }
            }
        }
        while (true) {
            SipMessage m = read();
            if (m instanceof SipResponse r) {
                if (r.status() != 100) {
                    return r;
                }
            } else {
                synchronized (this) {
                    unread.add(m);
                }
            }
        }
    }

    public SipRequest receiveRequest() throws IOException {
        synchronized (this) {
            for (java.util.Iterator<SipMessage> it = unread.iterator(); it.hasNext(); ) {
                if (it.next() instanceof SipRequest r) {
                    it.remove();
                    return r;
                }
            }
        }
        SipMessage m = read();
        if (m instanceof SipRequest r) {
            return r;
        }
        throw new AssertionError("expected a request, got " + m.startLine());
    }

    /** A request a device answered in the background (see {@link #answerNext}). */
    public record Reply(java.util.concurrent.CompletableFuture<SipRequest> future) {
        public SipRequest request() {
            try {
                return future.get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("the device got no request within 5 s", e);
            }
        }
    }

    /**
     * Answers the next request with {@code status} on another thread, so that the test can send
     * and wait for the final response meanwhile (a device answering while the sender waits).
     */
    public Reply answerNext(int status) {
        return new Reply(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                SipRequest r = receiveRequest();
                send(r.createResponse(status, "dev"));
                return r;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
    }

    /** True when nothing arrives within the time given (what does arrive is consumed). */
    public boolean silentFor(int millis) throws IOException {
        return poll(millis).isEmpty();
    }

    /** The next message if one arrives within the time given. */
    public java.util.Optional<SipMessage> poll(int millis) throws IOException {
        try {
            if (udp != null) {
                udp.setSoTimeout(millis);
            } else {
                stream.setSoTimeout(millis);
            }
            return java.util.Optional.of(receive());
        } catch (AssertionError e) {
            return java.util.Optional.empty();
        } finally {
            if (udp != null) {
                udp.setSoTimeout(5000);
            } else {
                stream.setSoTimeout(5000);
            }
        }
    }

    /**
     * Parses strictly, except that a response to a malformed request may carry the malformed
     * header lines it copied (§8.2.6.2): then only its status line is judged.
     */
    private static SipMessage lenient(byte[] bytes) {
        try {
            return SipParser.parse(bytes);
        } catch (SipParseException e) {
            RawMessage raw = SipParser.split(Unpooled.wrappedBuffer(bytes), true);
            if (!raw.isResponse()) {
                throw e;
            }
            String[] parts = raw.startLine().split(" ", 3);
            return new SipResponse(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "",
                    Headers.of(raw.headers()), raw.body());
        }
    }

    private static byte[] readFrame(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            head.append((char) b);
            if (head.toString().equals("\r\n")) {
                head.setLength(0); // keep-alive pong
            }
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).strip();
                if (name.equalsIgnoreCase("Content-Length") || name.equals("l")) {
                    length = Integer.parseInt(line.substring(colon + 1).strip());
                }
            }
        }
        byte[] body = in.readNBytes(length);
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    @Override
    public void close() throws IOException {
        if (udp != null) {
            udp.close();
        }
        if (stream != null) {
            stream.close();
        }
    }
}
