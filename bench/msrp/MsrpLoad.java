import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MSRP load client of bench/msrp-bench.sh, run from source: {@code java MsrpLoad.java MODE ...}.
 * Written for the benchmark from RFC 4975/4976 and RFC 3261 (digest per RFC 2617), sharing no code
 * with the server. Prints one line of key=value figures; asserts nothing.
 *
 * <pre>
 * throughput HOST PORT USER PASSWORD SESSIONS SIZE CHUNK WARMUP_S SECONDS full|short
 *     SESSIONS pairs of connections AUTH to the relay (RFC 4976 §5); in each pair A SENDs
 *     SIZE-byte messages (chunks of CHUNK bytes, Failure-Report and Success-Report "no") to B;
 *     what B receives whole after the warm-up is counted. To-Path "full" is RFC 4976 §6.1's:
 *     A's Use-Path URI, B's, B's own URI (Parley's relay insists on it); "short" leaves A's
 *     out (Kamailio's msrp module finds the receiver by the first URI's session).
 * idle HOST PORT USER PASSWORD SESSIONS
 *     opens SESSIONS authenticated pairs, prints "ready", holds them until stdin closes.
 * setup SIP_PORT USER PASSWORD TARGET_PREFIX TARGETS COUNT CONCURRENCY
 *     deferred sessions with Parley: INVITE (407, INVITE with digest) → 200 → ACK, MSRP connect to
 *     Parley's endpoint and a first SEND → 200, BYE → 200; targets TARGET_PREFIX00001.. in turn.
 * relay-setup SIP_PORT RELAY_PORT USER PASSWORD TARGET_PREFIX TARGETS COUNT CONCURRENCY
 *     sessions between two clients of this tool through Parley's proxy and relay: TARGETS callees
 *     (password pw-NAME) REGISTER first; per session the caller AUTHs to the relay, INVITEs (407,
 *     digest) a callee, which AUTHs to the relay itself and answers 200 with its relay path; ACK;
 *     the caller's first SEND crosses the relay (the relay's 200 and the callee's receipt); BYE → 200.
 * </pre>
 */
public final class MsrpLoad {
    private static final Random RANDOM = new Random();
    private static final byte[] CRLF = {'\r', '\n'};

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "throughput" -> throughput(a[1], Integer.parseInt(a[2]), a[3], a[4], Integer.parseInt(a[5]),
                    Integer.parseInt(a[6]), Integer.parseInt(a[7]), Integer.parseInt(a[8]), Integer.parseInt(a[9]),
                    a[10].equals("full"));
            case "idle" -> idle(a[1], Integer.parseInt(a[2]), a[3], a[4], Integer.parseInt(a[5]));
            case "setup" -> setup(Integer.parseInt(a[1]), a[2], a[3], a[4], Integer.parseInt(a[5]),
                    Integer.parseInt(a[6]), Integer.parseInt(a[7]));
            case "relay-setup" -> relaySetup(Integer.parseInt(a[1]), Integer.parseInt(a[2]), a[3], a[4], a[5],
                    Integer.parseInt(a[6]), Integer.parseInt(a[7]), Integer.parseInt(a[8]));
            default -> throw new IllegalArgumentException("mode: throughput, idle, setup or relay-setup");
        }
    }

    // ---- MSRP ------------------------------------------------------------------------------------

    static String id() {
        return Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE) + Integer.toHexString(RANDOM.nextInt() & 0xffff);
    }

    /** One decoded MSRP frame: start line, header block, body, end-line flag. */
    record Frame(String start, String headers, byte[] body, char flag) {
        String header(String name) {
            Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*(.*?)\\s*$").matcher(headers);
            return m.find() ? m.group(1) : null;
        }

        String tid() {
            return start.split(" ")[1];
        }
    }

    /** Reads frames off one connection: headers to the blank line, then the body up to the end-line (§9). */
    static final class Reader {
        private final InputStream in;
        // 16 KiB to start (a thousand sessions hold two thousand of these), grown for a larger frame
        private byte[] buf = new byte[1 << 14];
        private int pos;
        private int lim;

        Reader(InputStream in) {
            this.in = in;
        }

        /** At least one more byte in the buffer, compacting it (and growing it when full). */
        private void fill() throws IOException {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            }
            if (lim == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) {
                throw new IOException("connection closed");
            }
            lim += n;
        }

        private String line() throws IOException {
            int from = pos;
            while (true) {
                for (int i = from; i < lim; i++) {
                    if (buf[i] == '\n') {
                        int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                        String l = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
                        pos = i + 1;
                        return l;
                    }
                }
                int scanned = lim - pos;
                fill();
                from = pos + scanned;
            }
        }

        /** What this reader holds beyond the frames it returned (the stream goes on from there). */
        byte[] unread() {
            return Arrays.copyOfRange(buf, pos, lim);
        }

        Frame next() throws IOException {
            String start = line();
            String tid = start.split(" ")[1];
            String end = "-------" + tid;
            StringBuilder headers = new StringBuilder();
            while (true) {
                String l = line();
                if (l.startsWith(end) && l.length() == end.length() + 1) {
                    return new Frame(start, headers.toString(), new byte[0], l.charAt(end.length()));
                }
                if (l.isEmpty()) {
                    break;
                }
                headers.append(l).append("\r\n");
            }
            byte[] marker = ("\r\n" + end).getBytes(StandardCharsets.US_ASCII);
            int from = pos;
            while (true) {
                for (int i = from; i + marker.length + 3 <= lim; i++) {
                    if (buf[i] == '\r' && Arrays.equals(buf, i, i + marker.length, marker, 0, marker.length)) {
                        byte[] body = Arrays.copyOfRange(buf, pos, i);
                        char flag = (char) buf[i + marker.length];
                        pos = i + marker.length + 3; // the flag and CRLF
                        return new Frame(start, headers.toString(), body, flag);
                    }
                }
                int scanned = Math.max(0, lim - pos - marker.length - 3);
                fill();
                from = pos + scanned;
            }
        }
    }

    static byte[] frame(String start, String tid, List<String> headers, String contentType, byte[] body, char flag) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (body == null ? 0 : body.length));
        out.writeBytes((start + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (String h : headers) {
            out.writeBytes((h + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        if (body != null) {
            out.writeBytes(("Content-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(body);
            out.writeBytes(CRLF);
        }
        out.writeBytes(("-------" + tid + flag + "\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String param(String challenge, String name) {
        Matcher m = Pattern.compile(name + "=\"?([^\",]*)\"?").matcher(challenge);
        return m.find() ? m.group(1) : null;
    }

    /** digest response (RFC 2617 with qop=auth when offered) for METHOD:URI. */
    static String authorization(String scheme, String challenge, String user, String password, String method, String uri) {
        String realm = param(challenge, "realm");
        String nonce = param(challenge, "nonce");
        String qop = param(challenge, "qop");
        String cnonce = id();
        String ha1 = md5(user + ":" + realm + ":" + password);
        String ha2 = md5(method + ":" + uri);
        boolean withQop = qop != null && qop.contains("auth");
        String response = withQop ? md5(ha1 + ":" + nonce + ":00000001:" + cnonce + ":auth:" + ha2)
                : md5(ha1 + ":" + nonce + ":" + ha2);
        String opaque = param(challenge, "opaque");
        return scheme + " username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", response=\"" + response + "\", algorithm=MD5"
                + (withQop ? ", qop=auth, nc=00000001, cnonce=\"" + cnonce + "\"" : "")
                + (opaque == null ? "" : ", opaque=\"" + opaque + "\"");
    }

    /**
     * One connection to the relay with its AUTH done: its own URI and the one the relay granted. A
     * blocking channel: the AUTH exchange uses its socket's streams, the throughput step the channel
     * itself with direct buffers (no copy between the heap and the kernel's buffers).
     */
    static final class Client {
        /** Socket buffers of a connection: a whole window of 64 KiB messages fits in them either way. */
        static final int SOCKET_BUFFER = 1 << 20;
        final SocketChannel channel;
        final Socket socket;
        final OutputStream out;
        final Reader in;
        final String own;
        String usePath;

        Client(String host, int port) throws IOException {
            channel = SocketChannel.open();
            // set before connecting, so that the window scale the handshake agrees on allows them
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(new InetSocketAddress(host, port));
            socket = channel.socket();
            out = socket.getOutputStream();
            in = new Reader(socket.getInputStream());
            own = "msrp://127.0.0.1:" + socket.getLocalPort() + "/" + id() + ";tcp";
        }

        void auth(String relay, String user, String password) throws IOException {
            socket.setSoTimeout(10_000); // a relay that does not answer an AUTH fails this session, not the step
            String tid = id();
            out.write(frame("MSRP " + tid + " AUTH", tid, List.of("To-Path: " + relay, "From-Path: " + own), null, null, '$'));
            Frame challenge = in.next();
            if (!challenge.start().contains(" 401")) {
                throw new IOException("AUTH without credentials: " + challenge.start());
            }
            String www = challenge.headers().lines().filter(l -> l.regionMatches(true, 0, "WWW-Authenticate:", 0, 17))
                    .filter(l -> !l.contains("SHA-256")).findFirst().orElseThrow().substring(17).strip();
            tid = id();
            out.write(frame("MSRP " + tid + " AUTH", tid, List.of("To-Path: " + relay, "From-Path: " + own,
                    "Authorization: " + authorization("Digest", www, user, password, "AUTH", relay)), null, null, '$'));
            Frame granted = in.next();
            if (!granted.start().contains(" 200")) {
                throw new IOException("AUTH refused: " + granted.start());
            }
            usePath = granted.header("Use-Path");
            socket.setSoTimeout(0);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // gone already
            }
        }
    }

    /**
     * A session's message as it goes on the wire, encoded once: every chunk's SEND (RFC 4975 §7.1.1)
     * with its Byte-Range, the same body each time. Only the ids change from one message to the next,
     * written over the encoded bytes in place: a transaction id per chunk (§7.1.1: new for every
     * request) and a Message-ID per message, both fixed-width hex counters after a random prefix, so
     * that sending a message allocates nothing and is one write.
     */
    static final class EncodedMessage {
        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        /** hex digits of the counter part of an id; the random prefix before it has as many more */
        private static final int COUNTER_DIGITS = 8;
        private final ByteBuffer wire;
        /** where each chunk's transaction id counter sits: start line, then end-line */
        private final int[] tidAt;
        private final int[] midAt;
        private long transactions;
        private long messages;

        EncodedMessage(String toPath, String fromPath, byte[] body, int chunk) {
            int chunks = Math.max(1, (body.length + chunk - 1) / chunk);
            tidAt = new int[2 * chunks];
            midAt = new int[chunks];
            String tidPrefix = prefix();
            String midPrefix = prefix();
            String counter = "0".repeat(COUNTER_DIGITS);
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + chunks * 512);
            for (int c = 0, off = 0; c < chunks; c++, off += chunk) {
                int n = Math.min(chunk, body.length - off);
                write(out, "MSRP " + tidPrefix);
                tidAt[2 * c] = out.size();
                write(out, counter + " SEND\r\nTo-Path: " + toPath + "\r\nFrom-Path: " + fromPath + "\r\nMessage-ID: "
                        + midPrefix);
                midAt[c] = out.size();
                write(out, counter + "\r\nSuccess-Report: no\r\nFailure-Report: no\r\nByte-Range: " + (off + 1) + "-"
                        + (off + n) + "/" + body.length + "\r\nContent-Type: application/octet-stream\r\n\r\n");
                out.write(body, off, n);
                write(out, "\r\n-------" + tidPrefix);
                tidAt[2 * c + 1] = out.size();
                write(out, counter + (off + n < body.length ? "+" : "$") + "\r\n");
            }
            byte[] bytes = out.toByteArray();
            wire = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        }

        private static String prefix() {
            return String.format("%08x", RANDOM.nextInt());
        }

        private static void write(ByteArrayOutputStream out, String ascii) {
            out.writeBytes(ascii.getBytes(StandardCharsets.US_ASCII));
        }

        /** The next message, new ids written in, whole onto {@code channel}. */
        void send(SocketChannel channel) throws IOException {
            for (int i = 0; i < tidAt.length; i += 2) {
                hex(tidAt[i], transactions);
                hex(tidAt[i + 1], transactions++);
            }
            for (int at : midAt) {
                hex(at, messages);
            }
            messages++;
            wire.clear();
            while (wire.hasRemaining()) {
                channel.write(wire);
            }
        }

        private void hex(int at, long value) {
            for (int i = COUNTER_DIGITS - 1; i >= 0; i--, value >>>= 4) {
                wire.put(at + i, HEX[(int) (value & 0xf)]);
            }
        }
    }

    /**
     * Reads the frames a receiver gets (RFC 4975 §9) off its channel into one large direct buffer,
     * without copying bodies out or making strings: the start line and header fields are looked at
     * in place; a SEND's end-line is looked for where its Byte-Range puts it (the sender must keep the
     * end-line out of the body, §7.1) and, only if it is not there, searched for (Horspool: the
     * search skips up to the end-line's length at a time). Frames must fit in the buffer.
     */
    static final class FrameScanner {
        private final SocketChannel channel;
        private ByteBuffer buf;
        private int pos;
        private int lim;
        private final byte[] tid = new byte[64];
        private int tidLength;
        /** {@code CRLF -------<transaction-id>}: what ends the body of the frame being read */
        private final byte[] boundary = new byte[tid.length + 9];
        private final int[] skip = new int[256];
        private long number;
        /** what the last frame was: a SEND (else a response or another request), its body and flag */
        boolean send;
        int bodyLength;
        byte flag;
        /** the status of a response, 0 for a request */
        int status;

        FrameScanner(SocketChannel channel, byte[] unread, int size) {
            this.channel = channel;
            buf = ByteBuffer.allocateDirect(Math.max(size, unread.length));
            buf.put(unread);
            lim = unread.length;
        }

        /** The next frame, read whole: its fields describe it. */
        void next() throws IOException {
            int end;
            while ((end = frame()) < 0) {
                fill();
            }
            pos = end;
        }

        private void fill() throws IOException {
            if (buf.capacity() - lim < buf.capacity() / 4) {
                if (pos == 0) {
                    ByteBuffer larger = ByteBuffer.allocateDirect(buf.capacity() * 2); // a frame larger than the buffer
                    larger.put(buf.clear().limit(lim));
                    buf = larger;
                } else {
                    buf.limit(lim).position(pos);
                    buf.compact(); // what is left of a partly read frame, to the front
                    lim -= pos;
                    pos = 0;
                }
            }
            buf.limit(buf.capacity()).position(lim);
            int n = channel.read(buf);
            if (n < 0) {
                throw new IOException("connection closed");
            }
            lim += n;
        }

        /** Where the frame at {@link #pos} ends, or -1 when it has not arrived whole. */
        private int frame() {
            int eol = lineEnd(pos);
            if (eol < 0) {
                return -1;
            }
            if (eol - pos < 8 || !ascii(pos, "MSRP ")) {
                throw new IllegalStateException("not an MSRP start line");
            }
            int space = indexOf(pos + 5, eol, (byte) ' ');
            tidLength = space - pos - 5;
            if (space < 0 || tidLength > tid.length) {
                throw new IllegalStateException("no transaction id");
            }
            buf.get(pos + 5, tid, 0, tidLength);
            send = eol - space - 1 == 4 && ascii(space + 1, "SEND");
            status = digit(space + 1) && digit(space + 2) && digit(space + 3) ? (buf.get(space + 1) - '0') * 100
                    + (buf.get(space + 2) - '0') * 10 + buf.get(space + 3) - '0' : 0;
            long rangeStart = -1;
            long rangeEnd = -1;
            int line = eol + 2;
            while (true) {
                eol = lineEnd(line);
                if (eol < 0) {
                    return -1;
                }
                if (eol == line) {
                    break; // the blank line: the body follows
                }
                if (eol - line == 8 + tidLength && endLineAt(line)) {
                    bodyLength = -1;
                    flag = buf.get(eol - 1);
                    return eol + 2;
                }
                if (eol - line > 11 && asciiIgnoreCase(line, "Byte-Range:")) {
                    int at = line + 11;
                    while (buf.get(at) == ' ') {
                        at++;
                    }
                    at = number(at, eol);
                    rangeStart = number;
                    if (at < eol && buf.get(at) == '-') {
                        number(at + 1, eol);
                        rangeEnd = number;
                    }
                }
                line = eol + 2;
            }
            int body = eol + 2;
            boundary[0] = '\r';
            boundary[1] = '\n';
            for (int i = 2; i < 9; i++) {
                boundary[i] = '-';
            }
            System.arraycopy(tid, 0, boundary, 9, tidLength);
            int boundaryLength = 9 + tidLength;
            int found = -1;
            if (rangeStart > 0 && rangeEnd >= rangeStart) {
                int stated = body + (int) (rangeEnd - rangeStart + 1);
                if (stated + boundaryLength + 3 > lim) {
                    return -1;
                }
                if (matches(stated, boundaryLength) && flagAndCrlf(stated + boundaryLength)) {
                    found = stated;
                }
            }
            if (found < 0) {
                found = search(body, boundaryLength);
                if (found < 0 || found + boundaryLength + 3 > lim) {
                    return -1;
                }
            }
            bodyLength = found - body;
            flag = buf.get(found + boundaryLength);
            return found + boundaryLength + 3;
        }

        /** the first {@code boundary} from {@code from} followed by a flag and CRLF; -1 when none (yet) */
        private int search(int from, int n) {
            java.util.Arrays.fill(skip, n);
            for (int i = 0; i < n - 1; i++) {
                skip[boundary[i] & 0xff] = n - 1 - i;
            }
            int at = from;
            while (at + n <= lim) {
                if (buf.get(at + n - 1) == boundary[n - 1] && matches(at, n)
                        && (at + n + 3 > lim || flagAndCrlf(at + n))) {
                    return at;
                }
                at += skip[buf.get(at + n - 1) & 0xff];
            }
            return -1;
        }

        private boolean matches(int at, int n) {
            for (int i = 0; i < n; i++) {
                if (buf.get(at + i) != boundary[i]) {
                    return false;
                }
            }
            return true;
        }

        private boolean flagAndCrlf(int at) {
            byte f = buf.get(at);
            return (f == '$' || f == '+' || f == '#') && buf.get(at + 1) == '\r' && buf.get(at + 2) == '\n';
        }

        /** {@code -------<transaction-id>} and a flag: the end-line of a frame without body. */
        private boolean endLineAt(int at) {
            for (int i = 0; i < 7; i++) {
                if (buf.get(at + i) != '-') {
                    return false;
                }
            }
            for (int i = 0; i < tidLength; i++) {
                if (buf.get(at + 7 + i) != tid[i]) {
                    return false;
                }
            }
            byte f = buf.get(at + 7 + tidLength);
            return f == '$' || f == '+' || f == '#';
        }

        /** the CR of the CRLF ending the line at {@code from}; -1 when it has not arrived */
        private int lineEnd(int from) {
            for (int i = from; i + 1 < lim; i++) {
                if (buf.get(i) == '\r' && buf.get(i + 1) == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private int indexOf(int from, int to, byte b) {
            for (int i = from; i < to; i++) {
                if (buf.get(i) == b) {
                    return i;
                }
            }
            return -1;
        }

        /** reads the digits at {@code at} into {@link #number}; returns where they end */
        private int number(int at, int to) {
            long n = 0;
            while (at < to && digit(at)) {
                n = n * 10 + buf.get(at++) - '0';
            }
            number = n;
            return at;
        }

        private boolean digit(int at) {
            return at < lim && buf.get(at) >= '0' && buf.get(at) <= '9';
        }

        private boolean ascii(int at, String s) {
            for (int i = 0; i < s.length(); i++) {
                if (buf.get(at + i) != s.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private boolean asciiIgnoreCase(int at, String s) {
            for (int i = 0; i < s.length(); i++) {
                if (Character.toLowerCase(buf.get(at + i)) != Character.toLowerCase(s.charAt(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Opens and authenticates {@code sessions} pairs, at most 64 AUTH exchanges at a time (a thousand
     * connects at once would overrun the listen backlog); a pair that fails is left out and counted.
     * Virtual threads: each one mostly waits for the relay.
     */
    static List<Client[]> pairs(String host, int port, String user, String password, int sessions) throws Exception {
        String relay = "msrp://" + host + ":" + port + ";tcp";
        List<Client[]> pairs = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.Semaphore connecting = new java.util.concurrent.Semaphore(64);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < sessions; i++) {
                threads.execute(() -> {
                    Client a = null;
                    Client b = null;
                    try {
                        connecting.acquire();
                        a = new Client(host, port);
                        b = new Client(host, port);
                        a.auth(relay, user, password);
                        b.auth(relay, user, password);
                        pairs.add(new Client[] {a, b});
                    } catch (IOException | RuntimeException e) {
                        System.err.println("session not established: " + e);
                        if (a != null) {
                            a.close();
                        }
                        if (b != null) {
                            b.close();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        connecting.release();
                    }
                });
            }
        }
        return new ArrayList<>(pairs);
    }

    /**
     * The throughput step. Every session is established (both AUTHs answered 200) before any message
     * goes, so the warm-up starts with all of them; the warm-up then lasts WARMUP_S, and longer (up to
     * four times that) while some established session has not yet delivered its first message.
     * {@code flowed} counts the sessions that delivered at least one whole message in the measured
     * part: below {@code established}, the step measured fewer sessions than it names.
     * <p>
     * One virtual thread per connection end (three per session): they park on the socket or on the
     * session's window, and a sender cannot monopolise a carrier because its window makes it wait for
     * its receiver every few messages.
     */
    static void throughput(String host, int port, String user, String password, int sessions, int size, int chunk,
                           int warmup, int seconds, boolean fullPath) throws Exception {
        long setupStart = System.nanoTime();
        List<Client[]> pairs = pairs(host, port, user, password, sessions);
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
        LongAdder messages = new LongAdder();
        LongAdder bytes = new LongAdder();
        AtomicLong errors = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong stalled = new AtomicLong();
        LongAdder sent = new LongAdder();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        // per session: whole messages received so far (read at the start and end of the measured part)
        AtomicLongArray received = new AtomicLongArray(pairs.size());
        // per session: the latencies (flush to received whole, µs) of the messages received in the measured part
        java.util.concurrent.atomic.AtomicBoolean measuring = new java.util.concurrent.atomic.AtomicBoolean();
        List<Latencies> latencies = new ArrayList<>();
        byte[] body = new byte[size];
        RANDOM.nextBytes(body);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        for (int s = 0; s < pairs.size(); s++) {
            Client a = pairs.get(s)[0];
            Client b = pairs.get(s)[1];
            int session = s;
            Latencies latency = new Latencies();
            latencies.add(latency);
            String toPath = (fullPath ? a.usePath + " " : "") + b.usePath + " " + b.own;
            EncodedMessage message = new EncodedMessage(toPath, a.own, body, chunk);
            // a window of messages in flight per session: a sender never runs further ahead of its
            // receiver than this, so senders cannot starve the relay of CPU on a small machine
            // (256 KiB per session, 64 MiB over all of them: what the relays hold must fit Kamailio's shared memory)
            int windowSize = Math.max(1, Math.min(262_144, 67_108_864 / pairs.size()) / size);
            java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(windowSize);
            // when each message in flight was flushed, by its number in the session (the relay keeps a
            // session's order); larger than the window, as a stalled sender goes on without it
            int ring = Integer.highestOneBit(windowSize * 4) * 2;
            AtomicLongArray flushedAt = new AtomicLongArray(ring);
            byte[] unread = b.in.unread();
            threads.execute(() -> drain(a, errors, refused));
            threads.execute(() -> {
                try {
                    // a receiver's buffer holds several 64 KiB reads (a thousand sessions hold a thousand of them)
                    FrameScanner in = new FrameScanner(b.channel, unread, 4 * (chunk + 4096));
                    long whole = 0;
                    while (true) {
                        in.next();
                        if (in.send) {
                            bytes.add(in.bodyLength);
                            if (in.flag == '$') {
                                long at = flushedAt.get((int) (whole++ & (ring - 1)));
                                if (measuring.get()) {
                                    latency.add((System.nanoTime() - at) / 1000);
                                }
                                messages.increment();
                                received.incrementAndGet(session);
                                window.release();
                            }
                        }
                    }
                } catch (IOException e) {
                    // closed at the end
                }
            });
            threads.execute(() -> {
                try {
                    long number = 0;
                    while (running.get()) {
                        if (!window.tryAcquire(5, java.util.concurrent.TimeUnit.SECONDS)) {
                            // 5 s without a message of this session arriving: one lost on the way, or a long
                            // queue in the relay; go on without it
                            errors.incrementAndGet();
                            stalled.incrementAndGet();
                        }
                        flushedAt.set((int) (number++ & (ring - 1)), System.nanoTime()); // before: it may arrive at once
                        message.send(a.channel);
                        sent.increment();
                    }
                } catch (IOException e) {
                    if (running.get()) {
                        errors.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        long warmStart = System.nanoTime();
        Thread.sleep(warmup * 1000L);
        while (flowing(received, null) < pairs.size() && System.nanoTime() - warmStart < warmup * 4_000_000_000L) {
            Thread.sleep(250);
        }
        double warmSeconds = (System.nanoTime() - warmStart) / 1e9;
        long[] before = new long[pairs.size()];
        flowing(received, before);
        long m0 = messages.sum();
        long b0 = bytes.sum();
        long c0 = cpuNanos();
        long t0 = System.nanoTime();
        measuring.set(true);
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        long m1 = messages.sum();
        long b1 = bytes.sum();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        // this client's own CPU over the measured part: on a small machine it competes with the relay
        double clientCpu = (cpuNanos() - c0) / 1e9;
        int flowed = 0;
        for (int s = 0; s < before.length; s++) {
            if (received.get(s) > before[s]) {
                flowed++;
            }
        }
        running.set(false);
        pairs.forEach(p -> {
            p[0].close();
            p[1].close();
        });
        threads.shutdownNow();
        // latency: over every message of the measured part, and the median of the session whose median is worst
        List<Long> all = new ArrayList<>();
        double worstSessionP50 = 0;
        for (Latencies l : latencies) {
            List<Long> session = l.list();
            all.addAll(session);
            if (!session.isEmpty()) {
                worstSessionP50 = Math.max(worstSessionP50, pct(session, 50));
            }
        }
        System.out.printf("sessions=%d established=%d setup_s=%.1f warmup_s=%.1f flowed=%d size=%d chunk=%d seconds=%.1f "
                        + "messages=%d msg_per_s=%.0f mib_per_s=%.1f errors=%d refused=%d stalled=%d sent=%d "
                        + "lat_p50_ms=%.1f lat_p99_ms=%.1f worst_session_p50_ms=%.1f client_cpu_pct=%.0f "
                        + "client_us_per_msg=%.1f%n", sessions, pairs.size(),
                setupSeconds, warmSeconds, flowed, size, chunk, elapsed, m1 - m0, (m1 - m0) / elapsed,
                (b1 - b0) / elapsed / 1048576.0, errors.get(), refused.get(), stalled.get(), sent.sum(),
                pct(all, 50), pct(all, 99), worstSessionP50, clientCpu * 100 / elapsed,
                m1 > m0 ? clientCpu * 1e6 / (m1 - m0) : Double.NaN);
    }

    /** A session's latencies in µs, kept without boxing each one; filled by the receiver, read at the end. */
    static final class Latencies {
        private long[] values = new long[1024];
        private int size;

        synchronized void add(long micros) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = micros;
        }

        synchronized List<Long> list() {
            List<Long> out = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                out.add(values[i]);
            }
            return out;
        }
    }

    /** CPU time of this process (every thread, the JIT and the collector included). */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Sessions that have delivered a whole message so far; copies the counts into {@code into} when given. */
    static int flowing(AtomicLongArray received, long[] into) {
        int n = 0;
        for (int s = 0; s < received.length(); s++) {
            long r = received.get(s);
            if (into != null) {
                into[s] = r;
            }
            if (r > 0) {
                n++;
            }
        }
        return n;
    }

    /** Reads and drops what the relay sends back to a sender (hop-by-hop responses, reports). */
    static void drain(Client c, AtomicLong errors, AtomicLong refused) {
        try {
            while (true) {
                Frame f = c.in.next();
                if (f.start().matches("MSRP \\S+ [45]\\d\\d.*")) {
                    errors.incrementAndGet(); // a refusal by the relay (an unknown session, a chunk too large)
                    refused.incrementAndGet();
                }
            }
        } catch (IOException e) {
            // closed at the end
        }
    }

    static void idle(String host, int port, String user, String password, int sessions) throws Exception {
        List<Client[]> pairs = pairs(host, port, user, password, sessions);
        System.out.println("ready sessions=" + pairs.size());
        System.out.flush();
        while (System.in.read() != -1) {
            // held until the driver closes stdin
        }
        pairs.forEach(p -> {
            p[0].close();
            p[1].close();
        });
    }

    // ---- SIP (deferred sessions) -------------------------------------------------------------------

    record SipReply(int status, String head, String body) {
        String header(String name) {
            Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*(.*?)\\s*$").matcher(head);
            return m.find() ? m.group(1) : null;
        }

        /** Every line of a header field, in order (Via, Record-Route). */
        List<String> headers(String name) {
            Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*(.*?)\\s*$").matcher(head);
            List<String> out = new ArrayList<>();
            while (m.find()) {
                out.add(m.group(1));
            }
            return out;
        }
    }

    static final class Sip {
        final DatagramSocket socket;
        final InetSocketAddress server;
        final String user;
        final String password;

        Sip(int serverPort, String user, String password) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            socket.setSoTimeout(5000);
            server = new InetSocketAddress("127.0.0.1", serverPort);
            this.user = user;
            this.password = password;
        }

        String via(String branch) {
            return "SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bK" + branch + ";rport";
        }

        void send(String message) throws IOException {
            byte[] b = message.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(b, b.length, server));
        }

        /** The next final response of CSeq {@code cseq} (provisional ones and retransmissions skipped). */
        SipReply receive(String cseq) throws IOException {
            byte[] buf = new byte[65535];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                String text = new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
                int blank = text.indexOf("\r\n\r\n");
                if (!text.startsWith("SIP/2.0 ") || blank < 0) {
                    continue; // a request (the server ending a session this side gave up on) or not SIP
                }
                SipReply r = new SipReply(Integer.parseInt(text.substring(8, 11)), text.substring(0, blank),
                        text.substring(blank + 4));
                if (r.status() >= 200 && cseq.equals(r.header("CSeq"))) {
                    return r;
                }
            }
        }
    }

    // ---- sessions between two clients, through the proxy and the relay -------------------------------

    /** A callee: registered over UDP, answers INVITEs with its own relay path, BYEs with 200. */
    static final class Callee {
        final Sip sip;
        final String name;
        final String relayHost;
        final int relayPort;
        /** per Call-ID: the MSRP connection of the session and what the callee received over it */
        final java.util.Map<String, Client> sessions = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.Map<String, CountDownLatch> firstSend = new java.util.concurrent.ConcurrentHashMap<>();

        Callee(int sipPort, String name, String relayHost, int relayPort) throws IOException {
            this.sip = new Sip(sipPort, name, "pw-" + name);
            this.sip.socket.setSoTimeout(0);
            this.name = name;
            this.relayHost = relayHost;
            this.relayPort = relayPort;
        }

        String contact() {
            return "sip:" + name + "@127.0.0.1:" + sip.socket.getLocalPort();
        }

        void register() throws IOException {
            String callId = id();
            String fromTag = id();
            String aor = "sip:" + name + "@localhost";
            String auth = null;
            for (int cseq = 1; cseq <= 2; cseq++) {
                sip.send("REGISTER sip:localhost SIP/2.0\r\nVia: " + sip.via(id()) + "\r\nFrom: <" + aor + ">;tag=" + fromTag
                        + "\r\nTo: <" + aor + ">\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq + " REGISTER\r\n"
                        + "Max-Forwards: 70\r\nContact: <" + contact() + ">\r\nExpires: 3600\r\n"
                        + (auth == null ? "" : "Authorization: " + auth + "\r\n") + "Content-Length: 0\r\n\r\n");
                sip.socket.setSoTimeout(10_000);
                SipReply r = sip.receive(cseq + " REGISTER");
                sip.socket.setSoTimeout(0);
                if (r.status() == 200) {
                    return;
                }
                if (r.status() != 401 || auth != null) {
                    throw new IOException("REGISTER of " + name + " answered " + r.status());
                }
                auth = authorization("Digest", r.header("WWW-Authenticate"), sip.user, sip.password, "REGISTER",
                        "sip:localhost");
            }
        }

        /** Serves requests until the socket closes; each INVITE on a virtual thread of its own. */
        void serve(ExecutorService threads) {
            byte[] buf = new byte[65535];
            try {
                while (true) {
                    java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
                    sip.socket.receive(p);
                    String text = new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
                    int blank = text.indexOf("\r\n\r\n");
                    if (text.startsWith("SIP/2.0") || blank < 0) {
                        continue; // a response (the REGISTERs are done) or not SIP
                    }
                    SipReply request = new SipReply(0, text.substring(0, blank), text.substring(blank + 4));
                    String method = text.substring(0, text.indexOf(' '));
                    java.net.SocketAddress from = p.getSocketAddress();
                    switch (method) {
                        case "INVITE" -> {
                            if (sessions.containsKey(request.header("Call-ID"))
                                    || firstSend.containsKey(request.header("Call-ID"))) {
                                continue; // a retransmission; the 100 or the 200 is on its way
                            }
                            firstSend.put(request.header("Call-ID"), new CountDownLatch(1));
                            reply(request, 100, "Trying", "", null, from);
                            threads.execute(() -> answer(request, from));
                        }
                        case "BYE" -> {
                            Client c = sessions.remove(request.header("Call-ID"));
                            firstSend.remove(request.header("Call-ID"));
                            if (c != null) {
                                c.close();
                            }
                            reply(request, 200, "OK", "", null, from);
                        }
                        case "ACK" -> {
                            // the 2xx is not retransmitted on loopback; nothing to stop
                        }
                        default -> reply(request, 405, "Method Not Allowed", "", null, from);
                    }
                }
            } catch (IOException e) {
                // closed at the end
            }
        }

        /** AUTH to the relay (RFC 4976 §5), 200 with the granted URI in a=path, then take the first SEND. */
        void answer(SipReply invite, java.net.SocketAddress from) {
            String callId = invite.header("Call-ID");
            try {
                Client msrp = new Client(relayHost, relayPort);
                msrp.auth("msrp://" + relayHost + ":" + relayPort + ";tcp", name, "pw-" + name);
                sessions.put(callId, msrp);
                String sdp = "v=0\r\no=" + name + " 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                        + "m=message 9 TCP/MSRP *\r\na=accept-types:text/plain\r\na=path:" + msrp.usePath + " " + msrp.own
                        + "\r\n";
                reply(invite, 200, "OK", sdp, ";tag=" + id(), from);
                Frame send = msrp.in.next();
                if (send.start().endsWith(" SEND")) {
                    String previousHop = send.header("From-Path").split(" ")[0];
                    msrp.out.write(frame("MSRP " + send.tid() + " 200 OK", send.tid(),
                            List.of("To-Path: " + previousHop, "From-Path: " + msrp.own), null, null, '$'));
                    CountDownLatch received = firstSend.get(callId);
                    if (received != null) {
                        received.countDown();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the caller sees no 200 or no SEND arrive, and counts the session as failed
            }
        }

        /** A response to a request (RFC 3261 §8.2.6): Via, Record-Route, From, To (+ tag), Call-ID, CSeq copied. */
        void reply(SipReply request, int status, String reason, String sdp, String toTag, java.net.SocketAddress to)
                throws IOException {
            StringBuilder r = new StringBuilder("SIP/2.0 " + status + " " + reason + "\r\n");
            request.headers("Via").forEach(v -> r.append("Via: ").append(v).append("\r\n"));
            if (status == 200 && !sdp.isEmpty()) {
                request.headers("Record-Route").forEach(v -> r.append("Record-Route: ").append(v).append("\r\n"));
            }
            r.append("From: ").append(request.header("From")).append("\r\nTo: ").append(request.header("To"))
                    .append(toTag == null ? "" : toTag).append("\r\nCall-ID: ").append(request.header("Call-ID"))
                    .append("\r\nCSeq: ").append(request.header("CSeq")).append("\r\n");
            if (!sdp.isEmpty()) {
                r.append("Contact: <").append(contact()).append(">\r\nContent-Type: application/sdp\r\n");
            }
            r.append("Content-Length: ").append(sdp.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n").append(sdp);
            byte[] b = r.toString().getBytes(StandardCharsets.UTF_8);
            sip.socket.send(new java.net.DatagramPacket(b, b.length, to));
        }
    }

    static void relaySetup(int sipPort, int relayPort, String user, String password, String targetPrefix, int targets,
                           int count, int concurrency) throws Exception {
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        List<Callee> callees = new ArrayList<>();
        for (int t = 1; t <= targets; t++) {
            Callee c = new Callee(sipPort, targetPrefix + String.format("%05d", t), "127.0.0.1", relayPort);
            c.register();
            callees.add(c);
            threads.execute(() -> c.serve(threads));
        }
        AtomicLong next = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Long> inviteMicros = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Long> sendMicros = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Long> sessionMicros = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch finished = new CountDownLatch(concurrency);
        java.util.concurrent.atomic.AtomicReference<String> error = new java.util.concurrent.atomic.AtomicReference<>();
        long t0 = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            threads.execute(() -> {
                try {
                    Sip sip = new Sip(sipPort, user, password);
                    long i;
                    while ((i = next.getAndIncrement()) < count) {
                        Callee callee = callees.get((int) (i % targets));
                        try {
                            long[] times = relayedSession(sip, relayPort, callee);
                            inviteMicros.add(times[0]);
                            sendMicros.add(times[1]);
                            sessionMicros.add(times[2]);
                            done.incrementAndGet();
                        } catch (IOException | RuntimeException | InterruptedException e) {
                            failed.incrementAndGet();
                            error.set(e.toString());
                            System.err.println("session failed: " + e);
                        }
                    }
                    sip.socket.close();
                } catch (IOException e) {
                    failed.incrementAndGet();
                } finally {
                    finished.countDown();
                }
            });
        }
        finished.await();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        callees.forEach(c -> c.sip.socket.close());
        threads.shutdownNow();
        if (error.get() != null) {
            System.err.println("last failure: " + error.get());
        }
        System.out.printf("sessions=%d failed=%d concurrency=%d seconds=%.1f sessions_per_s=%.0f "
                        + "invite_p50_ms=%.1f invite_p99_ms=%.1f send_p50_ms=%.1f send_p99_ms=%.1f "
                        + "session_p50_ms=%.1f session_p99_ms=%.1f%n",
                done.get(), failed.get(), concurrency, elapsed, done.get() / elapsed, pct(inviteMicros, 50),
                pct(inviteMicros, 99), pct(sendMicros, 50), pct(sendMicros, 99), pct(sessionMicros, 50),
                pct(sessionMicros, 99));
    }

    /**
     * One session end to end from the caller's side; returns µs of the INVITE (relay AUTH and first
     * INVITE sent → 200), of the first SEND (sent → the relay's 200 and the callee's receipt), and of
     * the whole session (BYE answered).
     */
    static long[] relayedSession(Sip sip, int relayPort, Callee callee) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Client msrp = new Client("127.0.0.1", relayPort);
        try {
            msrp.auth("msrp://127.0.0.1:" + relayPort + ";tcp", sip.user, sip.password);
            String target = "sip:" + callee.name + "@localhost";
            String callId = id();
            String fromTag = id();
            String sdp = "v=0\r\no=bench 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=message 9 TCP/MSRP *\r\na=accept-types:text/plain\r\na=path:" + msrp.usePath + " " + msrp.own
                    + "\r\n";
            String branch = id();
            sip.send(invite(sip, target, callId, fromTag, 1, branch, sdp, null));
            SipReply r = sip.receive("1 INVITE");
            ack(sip, target, callId, fromTag, 1, branch, r);
            if (r.status() == 407) {
                branch = id();
                sip.send(invite(sip, target, callId, fromTag, 2, branch, sdp, authorization("Digest",
                        r.header("Proxy-Authenticate"), sip.user, sip.password, "INVITE", target)));
                r = sip.receive("2 INVITE");
            }
            if (r.status() != 200) {
                throw new IOException("INVITE answered " + r.status());
            }
            long invited = System.nanoTime();
            int cseq = Integer.parseInt(r.header("CSeq").split(" ")[0]);
            List<String> routes = new ArrayList<>(r.headers("Record-Route"));
            java.util.Collections.reverse(routes); // the caller's route set is the 2xx's Record-Route reversed (§12.1.2)
            String contact = r.header("Contact").replaceAll("^<|>.*$", "");
            String dialog = "From: <sip:" + sip.user + "@localhost>;tag=" + fromTag + "\r\nTo: " + r.header("To")
                    + "\r\nCall-ID: " + callId + "\r\n" + routes.stream().map(x -> "Route: " + x + "\r\n")
                    .collect(java.util.stream.Collectors.joining()) + "Max-Forwards: 70\r\n";
            sip.send("ACK " + contact + " SIP/2.0\r\nVia: " + sip.via(id()) + "\r\n" + dialog + "CSeq: " + cseq
                    + " ACK\r\nContent-Length: 0\r\n\r\n");
            Matcher path = Pattern.compile("a=path:(.+?)\r?\n").matcher(r.body());
            if (!path.find()) {
                throw new IOException("no path in the answer");
            }
            CountDownLatch received = callee.firstSend.get(callId);
            String tid = id();
            msrp.out.write(frame("MSRP " + tid + " SEND", tid, List.of("To-Path: " + msrp.usePath + " " + path.group(1).strip(),
                    "From-Path: " + msrp.own, "Message-ID: " + id(), "Byte-Range: 1-5/5"), "text/plain",
                    "hello".getBytes(StandardCharsets.UTF_8), '$'));
            msrp.socket.setSoTimeout(5000);
            Frame ok = msrp.in.next();
            if (!ok.start().contains(" 200") || received == null || !received.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IOException("first SEND not delivered: " + ok.start());
            }
            long sent = System.nanoTime();
            sip.send("BYE " + contact + " SIP/2.0\r\nVia: " + sip.via(id()) + "\r\n" + dialog + "CSeq: " + (cseq + 1)
                    + " BYE\r\nContent-Length: 0\r\n\r\n");
            SipReply bye = sip.receive((cseq + 1) + " BYE");
            if (bye.status() != 200) {
                throw new IOException("BYE answered " + bye.status());
            }
            long end = System.nanoTime();
            return new long[] {(invited - start) / 1000, (sent - invited) / 1000, (end - start) / 1000};
        } finally {
            msrp.close();
        }
    }

    static void setup(int sipPort, String user, String password, String targetPrefix, int targets, int count,
                      int concurrency) throws Exception {
        AtomicLong next = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Long> inviteMicros = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Long> sessionMicros = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch finished = new CountDownLatch(concurrency);
        long t0 = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                threads.execute(() -> {
                    try {
                        Sip sip = new Sip(sipPort, user, password);
                        long i;
                        while ((i = next.getAndIncrement()) < count) {
                            String target = "sip:" + targetPrefix + String.format("%05d", i % targets + 1) + "@localhost";
                            try {
                                long[] times = session(sip, target);
                                inviteMicros.add(times[0]);
                                sessionMicros.add(times[1]);
                                done.incrementAndGet();
                            } catch (IOException | RuntimeException e) {
                                failed.incrementAndGet();
                            }
                        }
                        sip.socket.close();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    } finally {
                        finished.countDown();
                    }
                });
            }
            finished.await();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        System.out.printf("sessions=%d failed=%d concurrency=%d seconds=%.1f sessions_per_s=%.0f "
                        + "invite_p50_ms=%.1f invite_p99_ms=%.1f session_p50_ms=%.1f session_p99_ms=%.1f%n",
                done.get(), failed.get(), concurrency, elapsed, done.get() / elapsed, pct(inviteMicros, 50),
                pct(inviteMicros, 99), pct(sessionMicros, 50), pct(sessionMicros, 99));
    }

    static double pct(List<Long> micros, int p) {
        if (micros.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(micros);
        sorted.sort(null);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1000.0;
    }

    /** One deferred session end to end; returns µs of INVITE (first send → 200) and of the whole session. */
    static long[] session(Sip sip, String target) throws IOException {
        long start = System.nanoTime();
        String callId = id();
        String fromTag = id();
        String mine = "msrp://127.0.0.1:9/" + id() + ";tcp";
        String sdp = "v=0\r\no=bench 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=message 9 TCP/MSRP *\r\na=accept-types:text/plain\r\na=path:" + mine + "\r\n";
        String branch = id();
        sip.send(invite(sip, target, callId, fromTag, 1, branch, sdp, null));
        SipReply r = sip.receive("1 INVITE");
        ack(sip, target, callId, fromTag, 1, branch, r);
        if (r.status() == 407) {
            branch = id();
            sip.send(invite(sip, target, callId, fromTag, 2, branch, sdp, authorization("Digest",
                    r.header("Proxy-Authenticate"), sip.user, sip.password, "INVITE", target)));
            r = sip.receive("2 INVITE");
            ack(sip, target, callId, fromTag, 2, id(), r);
        }
        long invited = System.nanoTime();
        if (r.status() != 200) {
            throw new IOException("INVITE answered " + r.status());
        }
        Matcher path = Pattern.compile("a=path:(msrp://([^:/]+):(\\d+)/\\S+)").matcher(r.body());
        if (!path.find()) {
            throw new IOException("no path in the answer");
        }
        try (Socket msrp = new Socket(path.group(2), Integer.parseInt(path.group(3)))) {
            msrp.setTcpNoDelay(true);
            msrp.setSoTimeout(5000);
            String tid = id();
            msrp.getOutputStream().write(frame("MSRP " + tid + " SEND", tid, List.of("To-Path: " + path.group(1),
                    "From-Path: " + mine, "Message-ID: " + id(), "Byte-Range: 1-5/5"), "text/plain",
                    "hello".getBytes(StandardCharsets.UTF_8), '$'));
            Frame ok = new Reader(msrp.getInputStream()).next();
            if (!ok.start().contains(" 200")) {
                throw new IOException("SEND answered " + ok.start());
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("no answer to the SEND", e);
        }
        String contact = r.header("Contact").replaceAll("^<|>$", "");
        sip.send("BYE " + contact + " SIP/2.0\r\nVia: " + sip.via(id()) + "\r\nFrom: " + r.header("From") + "\r\nTo: "
                + r.header("To") + "\r\nCall-ID: " + callId + "\r\nCSeq: 3 BYE\r\nMax-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n");
        SipReply bye = sip.receive("3 BYE");
        if (bye.status() != 200) {
            throw new IOException("BYE answered " + bye.status());
        }
        long end = System.nanoTime();
        return new long[] {(invited - start) / 1000, (end - start) / 1000};
    }

    static String invite(Sip sip, String target, String callId, String fromTag, int cseq, String branch, String sdp,
                         String authorization) {
        return "INVITE " + target + " SIP/2.0\r\nVia: " + sip.via(branch) + "\r\nFrom: <sip:" + sip.user
                + "@localhost>;tag=" + fromTag + "\r\nTo: <" + target + ">\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq
                + " INVITE\r\nMax-Forwards: 70\r\nContact: <sip:" + sip.user + "@127.0.0.1:" + sip.socket.getLocalPort()
                + ">\r\n" + (authorization == null ? "" : "Proxy-Authorization: " + authorization + "\r\n")
                + "Content-Type: application/sdp\r\nContent-Length: " + sdp.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n" + sdp;
    }

    /** ACK of a final response: the INVITE's branch for a non-2xx (§17.1.1.3), a new one to the Contact for a 2xx. */
    static void ack(Sip sip, String target, String callId, String fromTag, int cseq, String branch, SipReply r)
            throws IOException {
        String uri = r.status() == 200 ? r.header("Contact").replaceAll("^<|>$", "") : target;
        sip.send("ACK " + uri + " SIP/2.0\r\nVia: " + sip.via(branch) + "\r\nFrom: <sip:" + sip.user + "@localhost>;tag="
                + fromTag + "\r\nTo: " + r.header("To") + "\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq
                + " ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
    }
}
