import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The room fan-out load client of bench/fanout-bench.sh, run from source: {@code java FanoutLoad.java MODE ...}.
 * Written for the benchmark from RFC 3261 (UDP, digest per RFC 2617/7616 with MD5) and the pager commands both
 * servers share ({@code #create}, {@code #join}, as Kamailio's imc module defines them); it shares no code with
 * the server. Prints key=value lines; asserts nothing. Users are PREFIX00001.. with password pw-&lt;user&gt;
 * (bench_create_users), all in DOMAIN, talking to the server at 127.0.0.1:PORT over UDP.
 *
 * <pre>
 * join PORT DOMAIN ROOM PREFIX MEMBERS FIRST_COMMAND
 *     member 1 sends FIRST_COMMAND (#create or #join) to the room URI ROOM, members 2..MEMBERS send #join, one
 *     after the other (a join with no 2xx asked again, up to three times), each MESSAGE answered 407 then sent
 *     with credentials. Nobody is registered yet, so the
 *     servers' join notices find no device. Prints joined= and failed=.
 * rooms PORT DOMAIN ROOM_TEMPLATE PREFIX COUNT COMMAND
 *     user i sends COMMAND to the room URI ROOM_TEMPLATE with %d replaced by i: COUNT idle one-member rooms.
 * run PORT DOMAIN ROOM PREFIX MEMBERS "RATE ..." WARMUP_S SECONDS DRAIN_S SERVER_PIDS
 *     members 2..MEMBERS register (digest) with contacts on this process's receivers, which answer every
 *     request 200 at once; then member 1 (not registered: it receives no copy) sends to the room at each RATE
 *     (messages/s) for WARMUP_S (four times that in the first step) + SECONDS, every message a new MESSAGE with credentials after its 407, body
 *     "fanout-seq=N". After DRAIN_S more seconds, for the messages of the measured part: how many were
 *     accepted (2xx), how many reached every member (each member counted once: retransmissions are not
 *     copies), and the time from sending a message to its last copy, p50/p99; the server's CPU over the step
 *     (SERVER_PIDS, comma-separated, from /proc) per copy. One line per rate; the ramp stops at the first
 *     rate where under 99.9 % of the copies arrived, a message was refused, or p99 exceeded 2 s.
 * </pre>
 */
public final class FanoutLoad {
    private static final Random RANDOM = new Random();
    private static final Pattern SEQ = Pattern.compile("fanout-seq=(\\d+)");
    private static final long P99_LIMIT_MS = 2000;
    private static final int RECEIVERS = 4;

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "join" -> join(Integer.parseInt(a[1]), a[2], a[3], a[4], Integer.parseInt(a[5]), a[6]);
            case "rooms" -> rooms(Integer.parseInt(a[1]), a[2], a[3], a[4], Integer.parseInt(a[5]), a[6]);
            case "run" -> run(Integer.parseInt(a[1]), a[2], a[3], a[4], Integer.parseInt(a[5]), a[6],
                    Integer.parseInt(a[7]), Integer.parseInt(a[8]), Integer.parseInt(a[9]), a[10]);
            default -> throw new IllegalArgumentException("mode: join, rooms or run");
        }
    }

    static String user(String prefix, int i) {
        return prefix + String.format("%05d", i);
    }

    // ---- SIP over UDP, one client transaction at a time per socket ---------------------------------

    record Reply(int status, String head) {
        String header(String name) {
            Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*(.*?)\\s*$").matcher(head);
            return m.find() ? m.group(1) : null;
        }
    }

    static String token() {
        return Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String param(String challenge, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=\"?([^\",]*)\"?").matcher(challenge);
        return m.find() ? m.group(1) : null;
    }

    /** A UAC on its own UDP socket: sends a request, answers its challenge once, returns the final status. */
    static final class Uac implements AutoCloseable {
        final DatagramSocket socket;
        final InetSocketAddress server;
        final String domain;
        final String user;
        int cseq = 1;

        final boolean ownSocket;

        Uac(int port, String domain, String user) throws IOException {
            this(new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)), true, port, domain, user);
        }

        /** On a socket of the caller's (a device registers from the socket it receives on), left open. */
        Uac(DatagramSocket socket, boolean ownSocket, int port, String domain, String user) throws IOException {
            this.socket = socket;
            this.ownSocket = ownSocket;
            socket.setSoTimeout(4000);
            server = new InetSocketAddress("127.0.0.1", port);
            this.domain = domain;
            this.user = user;
        }

        /** METHOD to URI with To TO, with extra header lines and a text body; -1 when no answer came. */
        int request(String method, String uri, String to, String extra, String body) throws IOException {
            String callId = token() + "@fanout";
            String fromTag = token();
            String authorization = null;
            for (int attempt = 0; attempt < 2; attempt++) {
                int seq = cseq++;
                String branch = "z9hG4bK" + token();
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                String msg = method + " " + uri + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=" + branch + ";rport\r\n"
                        + "Max-Forwards: 70\r\n"
                        + "From: <sip:" + user + "@" + domain + ">;tag=" + fromTag + "\r\n"
                        + "To: <" + to + ">\r\n"
                        + "Call-ID: " + callId + "\r\n"
                        + "CSeq: " + seq + " " + method + "\r\n"
                        + extra
                        + (authorization == null ? "" : authorization + "\r\n")
                        + (b.length > 0 ? "Content-Type: text/plain\r\n" : "")
                        + "Content-Length: " + b.length + "\r\n\r\n" + body;
                byte[] out = msg.getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(out, out.length, server));
                Reply r = finalReply(seq + " " + method);
                if (r == null) {
                    return -1;
                }
                if (r.status() != 401 && r.status() != 407 || attempt == 1) {
                    return r.status();
                }
                String challenge = r.header(r.status() == 401 ? "WWW-Authenticate" : "Proxy-Authenticate");
                authorization = (r.status() == 401 ? "Authorization: " : "Proxy-Authorization: ")
                        + credentials(challenge, method, uri);
            }
            throw new IllegalStateException("unreachable");
        }

        private String credentials(String challenge, String method, String uri) {
            String realm = param(challenge, "realm");
            String nonce = param(challenge, "nonce");
            String qop = param(challenge, "qop");
            String opaque = param(challenge, "opaque");
            boolean withQop = qop != null && qop.contains("auth");
            String cnonce = token();
            String ha1 = md5(user + ":" + realm + ":pw-" + user);
            String ha2 = md5(method + ":" + uri);
            String response = withQop ? md5(ha1 + ":" + nonce + ":00000001:" + cnonce + ":auth:" + ha2)
                    : md5(ha1 + ":" + nonce + ":" + ha2);
            return "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                    + "\", response=\"" + response + "\", algorithm=MD5"
                    + (withQop ? ", qop=auth, nc=00000001, cnonce=\"" + cnonce + "\"" : "")
                    + (opaque == null ? "" : ", opaque=\"" + opaque + "\"");
        }

        private Reply finalReply(String cseq) throws IOException {
            byte[] buf = new byte[65535];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    return null;
                }
                String text = new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
                if (!text.startsWith("SIP/2.0 ")) {
                    continue;   // a request on the client socket: not ours to answer
                }
                int blank = text.indexOf("\r\n\r\n");
                Reply r = new Reply(Integer.parseInt(text.substring(8, 11)), blank < 0 ? text : text.substring(0, blank));
                if (r.status() >= 200 && cseq.equals(r.header("CSeq"))) {
                    return r;
                }
            }
        }

        @Override
        public void close() {
            if (ownSocket) {
                socket.close();
            }
        }
    }

    // ---- join and rooms ---------------------------------------------------------------------------

    static void join(int port, String domain, String room, String prefix, int members, String firstCommand)
            throws IOException {
        int joined = 0;
        int failed = 0;
        for (int i = 1; i <= members; i++) {
            try (Uac uac = new Uac(port, domain, user(prefix, i))) {
                int status = -1;
                // a join answered late (a server busy with the previous join's notices) is asked again
                for (int attempt = 0; attempt < 3 && (status < 200 || status >= 300); attempt++) {
                    status = uac.request("MESSAGE", room, room, "", i == 1 && attempt == 0 ? firstCommand : "#join");
                }
                if (status >= 200 && status < 300) {
                    joined++;
                } else {
                    failed++;
                    if (failed <= 5) {
                        System.err.println("join of " + user(prefix, i) + ": " + status);
                    }
                }
            }
        }
        System.out.println("joined=" + joined + " failed=" + failed);
    }

    static void rooms(int port, String domain, String template, String prefix, int count, String command)
            throws IOException {
        int created = 0;
        int failed = 0;
        for (int i = 1; i <= count; i++) {
            try (Uac uac = new Uac(port, domain, user(prefix, i))) {
                String uri = template.replace("%d", Integer.toString(i));
                int status = uac.request("MESSAGE", uri, uri, "", command);
                if (status >= 200 && status < 300) {
                    created++;
                } else if (++failed <= 5) {
                    System.err.println("room of " + user(prefix, i) + ": " + status);
                }
            }
        }
        System.out.println("created=" + created + " failed=" + failed);
    }

    // ---- receivers ----------------------------------------------------------------------------------

    /** Copies received per message: one bit per (message, member), so a retransmission counts once. */
    static final class Tally {
        final int members;
        final int words;
        final AtomicLongArray seen;
        final AtomicIntegerArray copies;
        final AtomicLongArray last;
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong strays = new AtomicLong();

        Tally(int messages, int members) {
            this.members = members;
            this.words = members / 64 + 1;
            seen = new AtomicLongArray(messages * words);
            copies = new AtomicIntegerArray(messages);
            last = new AtomicLongArray(messages);
        }

        void record(int seq, int member, long now) {
            if (seq >= copies.length() || member < 0 || member > members) {
                strays.incrementAndGet();
                return;
            }
            int word = seq * words + member / 64;
            long bit = 1L << (member % 64);
            long old;
            do {
                old = seen.get(word);
                if ((old & bit) != 0) {
                    duplicates.incrementAndGet();
                    return;
                }
            } while (!seen.compareAndSet(word, old, old | bit));
            copies.incrementAndGet(seq);
            last.accumulateAndGet(seq, now, Math::max);
        }
    }

    /** Answers every request 200 (To tag added) and records the fan-out copies it carries. */
    static final class Receiver implements Runnable {
        final DatagramSocket socket;
        final String prefix;
        volatile Tally tally;

        Receiver(String prefix) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            socket.setReceiveBufferSize(8 << 20);
            this.prefix = prefix;
        }

        @Override
        public void run() {
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            while (!socket.isClosed()) {
                try {
                    p.setData(buf);
                    socket.receive(p);
                    long now = System.nanoTime();
                    String text = new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
                    if (text.startsWith("SIP/2.0") || text.isBlank()) {
                        continue;
                    }
                    byte[] ok = ok(text);
                    socket.send(new DatagramPacket(ok, ok.length, p.getSocketAddress()));
                    Tally t = tally;
                    Matcher m = SEQ.matcher(text);
                    if (t != null && text.startsWith("MESSAGE ") && m.find()) {
                        t.record(Integer.parseInt(m.group(1)), member(text), now);
                    }
                } catch (IOException e) {
                    if (!socket.isClosed()) {
                        System.err.println("receiver: " + e);
                    }
                }
            }
        }

        /** The member number from the Request-URI's user part PREFIXnnnnn. */
        int member(String text) {
            int at = text.indexOf('@');
            int start = text.indexOf(prefix);
            if (start < 0 || at < start) {
                return -1;
            }
            try {
                return Integer.parseInt(text.substring(start + prefix.length(), at));
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        static byte[] ok(String request) {
            StringBuilder sb = new StringBuilder("SIP/2.0 200 OK\r\n");
            int end = request.indexOf("\r\n\r\n");
            for (String line : request.substring(request.indexOf("\r\n") + 2, end < 0 ? request.length() : end).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim().toLowerCase();
                switch (name) {
                    case "via", "v", "from", "f", "call-id", "i", "cseq" -> sb.append(line).append("\r\n");
                    case "to", "t" -> sb.append(line).append(line.contains(";tag=") ? "" : ";tag=fanout").append("\r\n");
                    default -> { }
                }
            }
            return sb.append("Content-Length: 0\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    // ---- run ------------------------------------------------------------------------------------------

    static long cpuTicks(String pids) {
        long sum = 0;
        for (String pid : pids.split(",")) {
            if (pid.isBlank()) {
                continue;
            }
            try {
                String stat = Files.readString(Path.of("/proc", pid.trim(), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);   // utime, stime (fields 14 and 15)
            } catch (IOException | RuntimeException e) {
                // a process that went away counts nothing
            }
        }
        return sum;
    }

    static void run(int port, String domain, String room, String prefix, int members, String rates, int warmup,
                    int seconds, int drain, String pids) throws Exception {
        List<Receiver> receivers = new ArrayList<>();
        for (int r = 0; r < RECEIVERS; r++) {
            receivers.add(new Receiver(prefix));
        }
        int registered = register(port, domain, prefix, members, receivers);
        for (int r = 0; r < RECEIVERS; r++) {
            receivers.get(r).socket.setSoTimeout(0);
            Thread.ofPlatform().daemon().name("receiver-" + r).start(receivers.get(r));
        }
        System.out.println("registered=" + registered + " of " + (members - 1));
        Thread.sleep(2000);   // the registrations' side effects (waiting messages, notices) settle
        ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
        String ticksPerSecond = System.getenv().getOrDefault("CLK_TCK", "100");
        boolean first = true;
        for (String rateText : rates.trim().split("\\s+")) {
            int rate = Integer.parseInt(rateText);
            int stepWarmup = first ? 4 * warmup : warmup;   // the first step also warms a JIT up
            first = false;
            int total = rate * (stepWarmup + seconds);
            int firstMeasured = rate * stepWarmup;
            Tally tally = new Tally(total, members);
            receivers.forEach(r -> r.tally = tally);
            long[] sentAt = new long[total];
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            long startNanos = System.nanoTime();
            long cpuStart = 0;
            long measureStart = 0;
            List<Future<?>> pending = new ArrayList<>();
            for (int seq = 0; seq < total; seq++) {
                long due = startNanos + seq * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                if (seq == firstMeasured) {
                    cpuStart = cpuTicks(pids);
                    measureStart = System.nanoTime();
                }
                int n = seq;
                pending.add(senders.submit(() -> {
                    try (Uac uac = new Uac(port, domain, user(prefix, 1))) {
                        sentAt[n] = System.nanoTime();
                        int status = uac.request("MESSAGE", room, room, "", "fanout-seq=" + n);
                        (status >= 200 && status < 300 ? accepted : refused).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : pending) {
                f.get();
            }
            long measureEnd = System.nanoTime();
            Thread.sleep(drain * 1000L);
            long cpu = cpuTicks(pids) - cpuStart;
            report(rate, tally, sentAt, firstMeasured, total, members - 1, accepted.get(), refused.get(),
                    (measureEnd - measureStart) / 1e9, cpu / Double.parseDouble(ticksPerSecond));
            if (lastVerdictFailed) {
                break;
            }
        }
        senders.shutdownNow();
        receivers.forEach(r -> r.socket.close());
    }

    static boolean lastVerdictFailed;

    static void report(int rate, Tally tally, long[] sentAt, int from, int to, int expected, int accepted,
                       int refused, double seconds, double cpuSeconds) {
        long copies = 0;
        int complete = 0;
        long[] lastMs = new long[to - from];
        int k = 0;
        for (int seq = from; seq < to; seq++) {
            int c = tally.copies.get(seq);
            copies += c;
            if (c >= expected) {
                complete++;
                lastMs[k++] = (tally.last.get(seq) - sentAt[seq]) / 1_000_000;
            }
        }
        long[] done = Arrays.copyOf(lastMs, k);
        Arrays.sort(done);
        long p50 = done.length == 0 ? -1 : done[(int) Math.min(done.length - 1, Math.round(done.length * 0.50))];
        long p99 = done.length == 0 ? -1 : done[(int) Math.min(done.length - 1, Math.round(done.length * 0.99))];
        long wanted = (long) expected * (to - from);
        boolean pass = refused == 0 && copies * 1000 >= wanted * 999 && p99 >= 0 && p99 <= P99_LIMIT_MS;
        lastVerdictFailed = !pass;
        System.out.printf("rate=%d messages=%d accepted=%d refused=%d complete=%d copies=%d of %d copies_per_s=%.0f"
                        + " last_p50_ms=%d last_p99_ms=%d cpu_s=%.1f cpu_us_per_copy=%.1f duplicates=%d verdict=%s%n",
                rate, to - from, accepted, refused, complete, copies, wanted, copies / seconds, p50, p99, cpuSeconds,
                copies == 0 ? 0 : cpuSeconds * 1e6 / copies, tally.duplicates.get(), pass ? "pass" : "FAIL");
    }

    /**
     * Members 2..MEMBERS register, each from (and with its contact on) one of the receivers' sockets, as a device
     * registers from the socket it listens on: a registrar may send to the address a REGISTER came from rather
     * than to the Contact (RFC 3581, RFC 5626). One thread per socket; returns how many succeeded.
     */
    static int register(int port, String domain, String prefix, int members, List<Receiver> receivers)
            throws Exception {
        AtomicInteger ok = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(receivers.size())) {
            for (int r = 0; r < receivers.size(); r++) {
                DatagramSocket socket = receivers.get(r).socket;
                int first = r;
                pool.submit(() -> {
                    for (int n = 2 + first; n <= members; n += receivers.size()) {
                        String u = user(prefix, n);
                        try (Uac uac = new Uac(socket, false, port, domain, u)) {
                            int status = uac.request("REGISTER", "sip:" + domain, "sip:" + u + "@" + domain,
                                    "Contact: <sip:" + u + "@127.0.0.1:" + socket.getLocalPort() + ">\r\nExpires: 3600\r\n", "");
                            if (status == 200) {
                                ok.incrementAndGet();
                            } else {
                                System.err.println("register " + u + ": " + status);
                            }
                        }
                    }
                    return null;
                });
            }
        }
        return ok.get();
    }
}
