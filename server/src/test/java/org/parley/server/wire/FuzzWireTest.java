package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.server.TestServer;
import org.parley.sip.message.RawMessage;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.Via;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;
import org.slf4j.LoggerFactory;

/**
 * Issue 9 acceptance: seeded mutations of valid requests (bytes changed, header lines deleted or
 * duplicated, truncation, invalid UTF-8, huge values, empty list elements) sent over UDP, TCP and
 * WebSocket to a whole server. Asserted for every message: never a 500; never silence for a
 * request that can be answered; never a stack trace in the server log.
 *
 * <p>"Can be answered" is decided from the bytes sent: the start line is a request line (three
 * parts, a token method other than ACK, RFC 3261 §17.2.3), a Via header is there, and the
 * message can be delimited (over TCP its header section ends and its Content-Length, when a
 * number, fits what was sent: otherwise the server rightly waits for more). Over UDP the answer
 * of a well-formed request follows its Via (§18.2.2), so the top Via must lead back to the client
 * (rport, RFC 3581, or its own address); a malformed one is answered to its source.
 */
@DisplayName("Fuzz: seeded mutations of valid requests over UDP, TCP and WebSocket (issue 9 §6, acceptance)")
class FuzzWireTest {
    private static final long SEED = 0x5eed_9a71L;
    private static final int CASES = Integer.getInteger("parley.fuzz.cases", 2000);
    private static final int ANSWER_MILLIS = 3000;
    /** How long a case nothing is owed for is given before the next: only to keep stray answers apart. */
    private static final int GRACE_MILLIS = 50;

    @TempDir
    static Path dataDir;
    static TestServer server;
    static ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    static void start() {
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
        server = TestServer.start(dataDir, new SystemScheduler(), Map.of());
        server.addUser("alice", "alice-secret", null, List.of());
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        server.close();
    }

    /** One transport's client: sends a case and returns the status line of the answer, if any came. */
    private interface Wire extends AutoCloseable {
        Optional<String> exchange(byte[] message, String token, boolean answerable) throws Exception;

        String via();

        @Override
        void close() throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Transport.class, names = {"UDP", "TCP", "WS"})
    @DisplayName("no 500, no silence on an answerable request, no stack trace")
    void mutatedRequests(Transport transport) throws Exception {
        Random random = new Random(SEED + transport.ordinal());
        List<String> failures = new ArrayList<>();
        int answered = 0;
        int unanswerable = 0;
        long started = System.nanoTime();
        try (Wire wire = open(transport)) {
            for (int i = 0; i < CASES && failures.size() < 10; i++) {
                String token = transport.name().toLowerCase(Locale.ROOT) + "fz" + i;
                byte[] mutated = Mutations.mutate(Requests.pick(random, transport, wire.via(), token), random);
                boolean answerable = answerable(mutated, transport, wire.via());
                unanswerable += answerable ? 0 : 1;
                Optional<String> status = wire.exchange(mutated, token, answerable);
                if (status.isPresent()) {
                    answered++;
                    if (status.get().startsWith("SIP/2.0 500")) {
                        failures.add("500 for case " + i + ": " + status.get() + "\n" + printable(mutated));
                    }
                } else if (answerable) {
                    failures.add("silence for case " + i + ":\n" + printable(mutated));
                }
            }
        }
        System.out.printf("fuzz %s: %d cases, %d answered, %d not answerable, %d s%n", transport, CASES, answered,
                unanswerable, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        assertThat(failures).isEmpty();
        assertThat(answered).as("most mutations are still answered").isGreaterThan(CASES / 2);
        List<String> traces = log.list.stream().filter(e -> e.getThrowableProxy() != null)
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
        assertThat(traces).as("log events with a stack trace").isEmpty();
        assertThat(server.http("GET", "/health", null, null).statusCode()).isEqualTo(200);
    }

    private Wire open(Transport transport) throws Exception {
        int port = server.sipPort(transport);
        return switch (transport) {
            case UDP -> new UdpWire(port);
            case TCP -> new TcpWire(port);
            case WS -> new WebSocketWire(port);
            default -> throw new IllegalArgumentException(transport.name());
        };
    }

    static boolean answerable(byte[] bytes, Transport transport, String clientSentBy) {
        RawMessage raw;
        try {
            raw = SipParser.splitHead(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
        } catch (SipParseException e) {
            return false; // no header section end, or no start line
        }
        String[] parts = raw.startLine().split(" ", -1);
        boolean requestLine = parts.length == 3 && parts[0].chars().allMatch(c -> c > ' ' && c < 127 && c != ':')
                && !parts[0].isEmpty() && !parts[0].equals("ACK") && !raw.isResponse();
        boolean hasVia = raw.headers().stream().anyMatch(h -> h.name().equals("Via"));
        if (!requestLine || !hasVia || bytes.length > 65535) {
            return false;
        }
        if (transport != Transport.UDP) {
            return fitsItsContentLength(bytes, raw);
        }
        try {
            SipMessage m = SipParser.parse(bytes);
            Via top = m.topVia();
            return top.params().has("rport") || (top.host() + ":" + top.port()).equals(clientSentBy);
        } catch (SipParseException e) {
            return true; // malformed: answered to where it came from
        }
    }

    /** False when a stream transport must wait for more octets than were sent (a body still to come). */
    private static boolean fitsItsContentLength(byte[] bytes, RawMessage raw) {
        int head = headLength(bytes);
        for (var h : raw.headers()) {
            if (h.name().equals("Content-Length")) {
                try {
                    return Long.parseLong(h.value().strip()) <= bytes.length - head;
                } catch (NumberFormatException e) {
                    return true; // refused 400, connection closed
                }
            }
        }
        return true;
    }

    private static int headLength(byte[] b) {
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == '\n' && b[i + 1] == '\n') {
                return i + 2;
            }
            if (b[i] == '\n' && i + 2 < b.length && b[i + 1] == '\r' && b[i + 2] == '\n') {
                return i + 3;
            }
        }
        return b.length;
    }

    private static String printable(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : Arrays.copyOf(bytes, Math.min(bytes.length, 1500))) {
            int c = b & 0xff;
            sb.append(c == '\r' ? "" : c == '\n' || c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return sb.toString();
    }

    /** The valid requests mutated: served by the server itself, so every answer is the server's own. */
    static final class Requests {
        static byte[] pick(Random random, Transport transport, String sentBy, String token) {
            String common = "Via: SIP/2.0/" + transport.name() + " " + sentBy + ";rport;branch=z9hG4bK" + token + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "Call-ID: " + token + "@fuzz\r\n"
                    + "Supported: path, gruu, 100rel\r\n"
                    + "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, SUBSCRIBE, NOTIFY\r\n"
                    + "User-Agent: fuzz/1.0\r\n";
            String request = switch (random.nextInt(4)) {
                case 0 -> "OPTIONS sip:localhost SIP/2.0\r\n" + common
                        + "From: \"Fuzz\" <sip:fuzz@example.net>;tag=f" + token + "\r\nTo: <sip:localhost>\r\n"
                        + "CSeq: 1 OPTIONS\r\nAccept: application/sdp, text/plain;q=0.5\r\nContent-Length: 0\r\n\r\n";
                case 1 -> "REGISTER sip:localhost SIP/2.0\r\n" + common
                        + "From: <sip:alice@localhost>;tag=r" + token + "\r\nTo: <sip:alice@localhost>\r\n"
                        + "CSeq: 7 REGISTER\r\nContact: <sip:alice@" + sentBy + ">;expires=600\r\nExpires: 600\r\n"
                        + "Content-Length: 0\r\n\r\n";
                case 2 -> "MESSAGE sip:alice@localhost SIP/2.0\r\n" + common
                        + "From: \"José\" <sip:bob@example.net>;tag=m" + token + "\r\nTo: <sip:alice@localhost>\r\n"
                        + "CSeq: 3 MESSAGE\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: 12\r\n\r\n"
                        + "hello, alice";
                default -> "SUBSCRIBE sip:alice@localhost SIP/2.0\r\n" + common
                        + "From: <sip:bob@example.net>;tag=s" + token + "\r\nTo: <sip:alice@localhost>\r\n"
                        + "CSeq: 9 SUBSCRIBE\r\nEvent: presence\r\nAccept: application/pidf+xml\r\nExpires: 60\r\n"
                        + "Contact: <sip:bob@" + sentBy + ">\r\nContent-Length: 0\r\n\r\n";
            };
            return request.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The mutations of issue 9's attack run, one to three per message. */
    static final class Mutations {
        private static final byte[][] BAD_UTF8 = {{(byte) 0xe9}, {(byte) 0xc3}, {(byte) 0xc0, (byte) 0xaf},
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xff}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
        private static final String[] EMPTY_LISTS = {"Require: ,", "Proxy-Require: a,,b", "Privacy: ,", "Accept: ,",
            "Supported: ,", "Allow: ,,", "Content-Encoding: ,", "Allow-Events: ,", "Accept-Language: en,,de",
            "Event: ,", "Contact: ,", "Route: ,", "Record-Route: <sip:a;lr>,,<sip:b;lr>", "Unsupported: ,",
            "Accept-Encoding: ,", "Subscription-State: ,", "Content-Type: ,", "Expires: ,", "Min-Expires: ,",
            "Session-Expires: ,", "P-Asserted-Identity: ,", "Referred-By: ,", "Reply-To: ,", "Priority: ,"};
        private static final byte[] INTERESTING = {'\r', '\n', ':', ',', ';', '<', '>', '"', '\\', ' ', '\t', 0, '@',
            '[', ']', '=', (byte) 0x80, (byte) 0xff, '%', '/'};

        static byte[] mutate(byte[] message, Random random) {
            byte[] out = message;
            int count = 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                out = switch (random.nextInt(8)) {
                    case 0 -> flipBytes(out, random);
                    case 1 -> deleteLine(out, random);
                    case 2 -> duplicateLine(out, random);
                    case 3 -> random.nextInt(4) == 0 ? truncate(out, random) : flipBytes(out, random);
                    case 4 -> insert(out, random, BAD_UTF8[random.nextInt(BAD_UTF8.length)]);
                    case 5 -> hugeValue(out, random);
                    default -> addLine(out, random, EMPTY_LISTS[random.nextInt(EMPTY_LISTS.length)]);
                };
            }
            return out;
        }

        private static byte[] flipBytes(byte[] in, Random random) {
            byte[] out = in.clone();
            int n = 1 + random.nextInt(4);
            for (int i = 0; i < n && out.length > 0; i++) {
                out[random.nextInt(out.length)] = random.nextBoolean()
                        ? INTERESTING[random.nextInt(INTERESTING.length)] : (byte) (0x20 + random.nextInt(0x5f));
            }
            return out;
        }

        private static List<String> lines(byte[] in) {
            return new ArrayList<>(Arrays.asList(new String(in, StandardCharsets.ISO_8859_1).split("\r\n", -1)));
        }

        private static byte[] join(List<String> lines) {
            return String.join("\r\n", lines).getBytes(StandardCharsets.ISO_8859_1);
        }

        /** Header lines are 1 .. the one before the empty line (or the last line of a truncated message). */
        private static int headerLine(List<String> lines, Random random) {
            int empty = lines.indexOf("");
            int end = empty > 1 ? empty : lines.size();
            return end < 2 ? 0 : 1 + random.nextInt(end - 1);
        }

        private static byte[] deleteLine(byte[] in, Random random) {
            List<String> lines = lines(in);
            int i = headerLine(lines, random);
            if (i > 0) {
                lines.remove(i);
            }
            return join(lines);
        }

        private static byte[] duplicateLine(byte[] in, Random random) {
            List<String> lines = lines(in);
            int i = headerLine(lines, random);
            lines.add(i, lines.get(i));
            return join(lines);
        }

        private static byte[] addLine(byte[] in, Random random, String line) {
            List<String> lines = lines(in);
            lines.add(Math.max(1, headerLine(lines, random)), line);
            return join(lines);
        }

        private static byte[] truncate(byte[] in, Random random) {
            return Arrays.copyOf(in, random.nextInt(Math.max(1, in.length)));
        }

        private static byte[] insert(byte[] in, Random random, byte[] what) {
            int at = random.nextInt(Math.max(1, Math.max(1, headLength(in) - 4)));
            byte[] out = new byte[in.length + what.length];
            System.arraycopy(in, 0, out, 0, at);
            System.arraycopy(what, 0, out, at, what.length);
            System.arraycopy(in, at, out, at + what.length, in.length - at);
            return out;
        }

        private static byte[] hugeValue(byte[] in, Random random) {
            List<String> lines = lines(in);
            int i = headerLine(lines, random);
            lines.set(i, lines.get(i) + "x".repeat(random.nextBoolean() ? 2000 + random.nextInt(8000) : 70_000));
            return join(lines);
        }
    }

    private static final class UdpWire implements Wire {
        private final DatagramSocket socket;
        private final InetSocketAddress server;

        UdpWire(int port) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }

        @Override
        public String via() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public Optional<String> exchange(byte[] message, String token, boolean answerable) throws IOException {
            if (message.length > 65_000) {
                return Optional.empty(); // not a datagram
            }
            socket.send(new DatagramPacket(message, message.length, server));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(answerable ? ANSWER_MILLIS : GRACE_MILLIS);
            byte[] buf = new byte[65_535];
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    String text = new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
                    if (ours(text, token, message) && !text.startsWith("SIP/2.0 100")) {
                        return Optional.of(text.substring(0, Math.max(0, text.indexOf('\r'))));
                    }
                } catch (SocketTimeoutException e) {
                    break;
                }
            }
            return Optional.empty();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /**
     * An answer is this case's when it names the case's token, or when the mutation left the token
     * in none of the header lines an answer copies (Via, From, To, Call-ID, RFC 3261 §8.2.6.2).
     */
    static boolean ours(String response, String token, byte[] sent) {
        if (response.contains(token)) {
            return true;
        }
        for (String line : new String(sent, StandardCharsets.ISO_8859_1).split("\r?\n")) {
            String name = line.contains(":") ? line.substring(0, line.indexOf(':')).strip().toLowerCase(Locale.ROOT) : "";
            if (COPIED.contains(name) && line.contains(token)) {
                return false;
            }
        }
        return true;
    }

    private static final java.util.Set<String> COPIED = java.util.Set.of("via", "v", "from", "f", "to", "t", "call-id", "i");

    /**
     * One connection for the cases that can be delimited, which must stay open across malformed
     * ones (issue 9: invalid UTF-8 closed a registered client's connection); a throw-away one for
     * the others, so that a message the server rightly waits on cannot swallow the next case.
     */
    private static final class TcpWire implements Wire {
        private final int port;
        private Socket shared;

        TcpWire(int port) {
            this.port = port;
        }

        @Override
        public String via() {
            return "127.0.0.1:5999";
        }

        @Override
        public Optional<String> exchange(byte[] message, String token, boolean answerable) throws IOException {
            if (!answerable) {
                try (Socket once = connect()) {
                    return exchange(once, message, message, token, GRACE_MILLIS);
                }
            }
            if (shared == null || shared.isClosed()) {
                shared = connect();
            }
            try {
                shared.getOutputStream().write(message);
            } catch (IOException e) {
                shared.close(); // the server closed it after refusing a message it could not frame
                shared = connect();
                return exchange(shared, message, message, token, ANSWER_MILLIS);
            }
            Optional<String> answer = exchange(shared, null, message, token, ANSWER_MILLIS);
            if (answer.isEmpty() || answer.get().startsWith("SIP/2.0 400") || answer.get().startsWith("SIP/2.0 513")) {
                shared.close(); // it may have been closed behind the answer: start the next case afresh
            }
            return answer;
        }

        private Socket connect() throws IOException {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            s.setTcpNoDelay(true);
            return s;
        }

        private static Optional<String> exchange(Socket s, byte[] write, byte[] sent, String token, int millis)
                throws IOException {
            try {
                if (write != null) {
                    try {
                        s.getOutputStream().write(write);
                    } catch (IOException e) {
                        // closed while we wrote (a message too large or not framable): its answer may be there
                    }
                }
                s.setSoTimeout(millis);
                InputStream in = s.getInputStream();
                while (true) {
                    String head = readHead(in);
                    if (head == null) {
                        return Optional.empty();
                    }
                    if (ours(head, token, sent) && !head.startsWith("SIP/2.0 100")) {
                        return Optional.of(head.substring(0, head.indexOf('\r')));
                    }
                }
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
        }

        /** The next response's header section (its body skipped), or null when the connection ends. */
        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last4 = 0;
            while (last4 != 0x0d0a0d0a) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                if (head.size() == 0 && (b == '\r' || b == '\n')) {
                    continue;
                }
                head.write(b);
                last4 = last4 << 8 | b;
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            for (String line : text.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    in.readNBytes(Integer.parseInt(line.substring(15).strip()));
                }
            }
            return text;
        }

        @Override
        public void close() throws IOException {
            if (shared != null) {
                shared.close();
            }
        }
    }

    /** One WebSocket for all cases (each message is its own frame, RFC 7118 §5), binary so any octets go. */
    private static final class WebSocketWire implements Wire, WebSocket.Listener {
        private final HttpClient http = HttpClient.newHttpClient();
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private final WebSocket ws;

        WebSocketWire(int port) throws Exception {
            ws = http.newWebSocketBuilder().subprotocols("sip")
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), this).get(5, TimeUnit.SECONDS);
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public String via() {
            return "fz7kd0ql.invalid";
        }

        @Override
        public Optional<String> exchange(byte[] message, String token, boolean answerable) throws Exception {
            if (message.length > 65_000) {
                return Optional.empty(); // beyond the frame limit the server closes the connection (RFC 6455 §7.4.1, 1009)
            }
            ws.sendBinary(ByteBuffer.wrap(message), true).get(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(answerable ? ANSWER_MILLIS : GRACE_MILLIS);
            while (true) {
                String text = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (text == null) {
                    return Optional.empty();
                }
                if (ours(text, token, message) && !text.startsWith("SIP/2.0 100")) {
                    return Optional.of(text.substring(0, Math.max(0, text.indexOf('\r'))));
                }
            }
        }

        @Override
        public void close() {
            ws.abort();
            http.shutdownNow();
        }
    }
}
