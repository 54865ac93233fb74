package org.parley.bench;

import com.sun.management.ThreadMXBean;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.accounts.DigestCredentials;
import org.parley.accounts.DigestHashes;
import org.parley.accounts.digest.DigestAlgorithm;
import org.parley.accounts.digest.DigestAuthenticator;
import org.parley.accounts.digest.NonceService;
import org.parley.accounts.gate.AuthGate;
import org.parley.accounts.gate.GateSettings;
import org.parley.msrp.MsrpLimits;
import org.parley.msrp.MsrpTransport;
import org.parley.msrp.relay.MsrpRelay;
import org.parley.msrp.relay.MsrpRelaySettings;

/**
 * The MSRP relay's own CPU and allocation per relayed message (RFC 4976 §7.3), as
 * bench/msrp-bench.sh drives it — sessions of two authenticated TCP connections, one sending
 * messages in 8 KiB chunks without reports to the other, a window of 256 KiB per session — but in
 * one process, measured on the relay's event-loop threads alone ({@link ThreadMXBean}: CPU time and
 * allocated bytes), so that the figure does not move with what else the machine runs. The client
 * ends are plain sockets with pre-encoded chunks (bodies without '$', so the receiver counts
 * messages by their end-lines' flags). Prints six rounds per step, the first two warm-up.
 * <pre>java -cp "bench/target/classes:bench/target/lib/*" org.parley.bench.RelayCpu [SESSIONS] [MESSAGES_PER_ROUND]</pre>
 */
public final class RelayCpu {
    private static final String USER = "relaybench";
    private static final String PASSWORD = "pw-relaybench";
    private static final String REALM = "localhost";
    private static final int CHUNK = 8192;
    private static final int WINDOW_BYTES = 262_144;
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"?([^\",]*)\"?");

    private RelayCpu() {
    }

    public static void main(String[] args) throws Exception {
        if (Usage.asked(args, RelayCpu.class, "[SESSIONS] [MESSAGES_PER_ROUND]",
                "The MSRP relay's CPU time and bytes per relayed message, on its event-loop threads, SESSIONS\nsessions of two TCP connections each; six rounds, two warm-up.")) {
            return;
        }
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        Map<MsrpTransport, Integer> ports = new EnumMap<>(MsrpTransport.class);
        for (MsrpTransport t : MsrpTransport.values()) {
            ports.put(t, t == MsrpTransport.TCP ? 0 : MsrpRelaySettings.DISABLED);
        }
        MsrpRelaySettings settings = new MsrpRelaySettings(InetAddress.getLoopbackAddress(), "127.0.0.1", ports, null,
                new MsrpLimits(8192, 65536), Duration.ofMinutes(30), Duration.ofMinutes(1), Duration.ofHours(2),
                Duration.ofSeconds(30), Duration.ofMinutes(30));
        DigestAuthenticator digest = new DigestAuthenticator(REALM, List.of(DigestAlgorithm.MD5),
                new NonceService(Duration.ofMinutes(5)), user -> Optional.of(new DigestCredentials(user, REALM,
                DigestHashes.ha1(DigestHashes.MD5, user, REALM, PASSWORD),
                DigestHashes.ha1(DigestHashes.SHA_256, user, REALM, PASSWORD))));
        MsrpRelay relay = new MsrpRelay(settings, digest, new AuthGate(GateSettings.defaults(), new DroppedAttempts()),
                Clock.systemUTC());
        relay.start();
        int port = relay.boundPort(MsrpTransport.TCP);
        String relayUri = "msrp://127.0.0.1:" + port + ";tcp";
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        try {
            for (int size : new int[] {1024, 65536}) {
                List<Session> all = new ArrayList<>();
                for (int s = 0; s < sessions; s++) {
                    all.add(new Session(port, relayUri, size, Math.max(1, WINDOW_BYTES / size)));
                }
                for (int round = 0; round < 6; round++) {
                    long[] loops = eventLoopThreads(threads);
                    long cpu = sum(loops, threads::getThreadCpuTime);
                    long allocated = sum(loops, threads::getThreadAllocatedBytes);
                    long start = System.nanoTime();
                    Thread[] senders = new Thread[all.size()];
                    for (int s = 0; s < all.size(); s++) {
                        Session session = all.get(s);
                        int share = messages / all.size();
                        senders[s] = Thread.ofVirtual().start(() -> session.send(share));
                    }
                    for (Thread t : senders) {
                        t.join();
                    }
                    for (Session session : all) {
                        session.drained();
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    int sent = messages / all.size() * all.size();
                    cpu = sum(loops, threads::getThreadCpuTime) - cpu;
                    allocated = sum(loops, threads::getThreadAllocatedBytes) - allocated;
                    System.out.printf("%d x %5d B %s %d: %7.1f us CPU/msg %8d B/msg %8.0f msg/s%n", sessions, size,
                            round < 2 ? "warm-up" : "round  ", round, cpu / 1000.0 / sent, allocated / sent,
                            sent / seconds);
                }
                for (Session session : all) {
                    session.close();
                }
            }
        } finally {
            relay.close();
        }
    }

    private static long[] eventLoopThreads(ThreadMXBean threads) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("multiThreadIoEventLoopGroup")).mapToLong(Thread::threadId).toArray();
    }

    private static long sum(long[] ids, java.util.function.LongUnaryOperator per) {
        long total = 0;
        for (long id : ids) {
            total += per.applyAsLong(id);
        }
        return total;
    }

    /** Two authenticated connections: one sends, the other counts what arrives. */
    private static final class Session {
        private final Socket sender;
        private final Socket receiver;
        private final byte[] message;
        private final Semaphore window;
        private final int windowSize;
        private final AtomicLong received = new AtomicLong();
        private final Thread reading;

        Session(int port, String relayUri, int size, int windowSize) throws IOException {
            this.sender = new Socket("127.0.0.1", port);
            this.receiver = new Socket("127.0.0.1", port);
            sender.setTcpNoDelay(true);
            receiver.setTcpNoDelay(true);
            String senderUri = "msrp://127.0.0.1:9/s" + id() + ";tcp";
            String receiverUri = "msrp://127.0.0.1:9/r" + id() + ";tcp";
            String senderPath = auth(sender, relayUri, senderUri);
            String receiverPath = auth(receiver, relayUri, receiverUri);
            this.message = encode(senderPath + " " + receiverPath + " " + receiverUri, senderUri, size);
            this.windowSize = windowSize;
            this.window = new Semaphore(windowSize);
            this.reading = Thread.ofVirtual().start(this::count);
        }

        void send(int messages) {
            try {
                OutputStream out = sender.getOutputStream();
                for (int i = 0; i < messages; i++) {
                    window.acquireUninterruptibly();
                    out.write(message);
                    out.flush();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Until every message sent so far has arrived. */
        void drained() {
            window.acquireUninterruptibly(windowSize);
            window.release(windowSize);
        }

        private void count() {
            byte[] buffer = new byte[65536];
            try {
                InputStream in = receiver.getInputStream();
                int n;
                while ((n = in.read(buffer)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '$') {
                            received.incrementAndGet();
                            window.release();
                        }
                    }
                }
            } catch (IOException e) {
                // closed at the end
            }
        }

        void close() throws IOException {
            sender.close();
            receiver.close();
            reading.interrupt();
        }
    }

    /** One message of {@code size} bytes in chunks of at most 8 KiB, no reports (as msrp-bench.sh sends). */
    private static byte[] encode(String toPath, String from, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] body = new byte[Math.min(size, CHUNK)];
        Arrays.fill(body, (byte) 'a');
        String messageId = id();
        for (int offset = 0; offset < size; offset += CHUNK) {
            int n = Math.min(CHUNK, size - offset);
            String tid = id();
            out.writeBytes(("MSRP " + tid + " SEND\r\nTo-Path: " + toPath + "\r\nFrom-Path: " + from
                    + "\r\nMessage-ID: " + messageId + "\r\nSuccess-Report: no\r\nFailure-Report: no\r\nByte-Range: "
                    + (offset + 1) + "-" + (offset + n) + "/" + size + "\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, n);
            out.writeBytes(("\r\n-------" + tid + (offset + n < size ? '+' : '$') + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** RFC 4976 §5: AUTH, the 401's digest answered, the Use-Path of the 200. */
    private static String auth(Socket socket, String relayUri, String own) throws IOException {
        String paths = "To-Path: " + relayUri + "\r\nFrom-Path: " + own + "\r\n";
        String tid = id();
        socket.getOutputStream().write(("MSRP " + tid + " AUTH\r\n" + paths + "-------" + tid + "$\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String challenge = header(readFrame(socket.getInputStream()), "WWW-Authenticate");
        Map<String, String> c = new java.util.HashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            c.put(m.group(1), m.group(2));
        }
        String cnonce = id();
        String ha1 = md5(USER + ":" + c.get("realm") + ":" + PASSWORD);
        String ha2 = md5("AUTH:" + relayUri);
        String response = md5(ha1 + ":" + c.get("nonce") + ":00000001:" + cnonce + ":auth:" + ha2);
        tid = id();
        socket.getOutputStream().write(("MSRP " + tid + " AUTH\r\n" + paths + "Authorization: Digest username=\""
                + USER + "\", realm=\"" + c.get("realm") + "\", nonce=\"" + c.get("nonce") + "\", uri=\"" + relayUri
                + "\", response=\"" + response + "\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"" + cnonce
                + "\"\r\n-------" + tid + "$\r\n").getBytes(StandardCharsets.US_ASCII));
        String granted = readFrame(socket.getInputStream());
        if (!granted.startsWith("MSRP " + tid + " 200")) {
            throw new IOException("AUTH refused: " + granted);
        }
        return header(granted, "Use-Path");
    }

    /** A response without a body: lines up to its end-line. */
    private static String readFrame(InputStream in) throws IOException {
        StringBuilder frame = new StringBuilder();
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            line.append((char) b);
            if (b == '\n') {
                frame.append(line);
                if (line.toString().startsWith("-------")) {
                    return frame.toString();
                }
                line.setLength(0);
            }
        }
        throw new IOException("closed by the relay");
    }

    private static String header(String frame, String name) throws IOException {
        for (String line : frame.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).strip();
            }
        }
        throw new IOException("no " + name + " in " + frame);
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String id() {
        return Long.toHexString(Double.doubleToLongBits(Math.random()));
    }

}
