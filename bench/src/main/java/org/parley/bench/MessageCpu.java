package org.parley.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.accounts.NewAccount;
import org.parley.config.Config;
import org.parley.server.ParleyServer;
import org.parley.server.ServerSettings;
import org.parley.sip.transport.Transport;

/**
 * The whole server's CPU and allocation per authenticated pager MESSAGE, as bench/message-bench.sh
 * drives it — MESSAGE, 407, MESSAGE with an MD5 digest, relayed by the router and the pager to the
 * recipient's registered device, whose 200 comes back — but in one process, over loopback UDP, and
 * measured as the process's CPU time and allocated bytes less what this harness's own client
 * threads spend ({@link ThreadMXBean}, {@link OperatingSystemMXBean}): the collector, the compiler and
 * the usage records' writer are in the figure, other work on the machine is not. Senders are
 * platform threads with a socket each, one message in flight per sender; one device (a socket of
 * its own, registered for every recipient) answers 200 to each MESSAGE. Prints six rounds, the
 * first two warm-up.
 * <pre>java -cp "bench/target/classes:bench/target/lib/*" org.parley.bench.MessageCpu [MESSAGES_PER_ROUND [SENDERS]]</pre>
 */
public final class MessageCpu {
    private static final String DOMAIN = "localhost";
    private static final int RECIPIENTS = 20;
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"?([^\",]*)\"?");

    private MessageCpu() {
    }

    public static void main(String[] args) throws Exception {
        if (Usage.asked(args, MessageCpu.class, "[MESSAGES_PER_ROUND [SENDERS]]",
                "CPU time and bytes per authenticated MESSAGE (407, digest, relay to a registered UAS, 200) through a\nserver started in this process over loopback UDP, split by native thread.")) {
            return;
        }
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int senders = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Path data = Files.createTempDirectory("parley-message-cpu");
        ParleyServer server = ParleyServer.start(ServerSettings.from(Config.load(Optional.empty(), Map.of(), flags(data))));
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try {
            InetSocketAddress proxy = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.sipPort(Transport.UDP));
            for (int i = 0; i < senders; i++) {
                addUser(server, "snd" + i);
            }
            Device device = new Device(proxy);
            for (int i = 0; i < RECIPIENTS; i++) {
                addUser(server, "rcp" + i);
                device.register("rcp" + i);
            }
            device.start();
            List<Sender> all = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                all.add(new Sender(proxy, "snd" + i, i));
            }
            // the harness's own threads: the device and this one here, the senders count themselves
            long[] ours = {device.thread.threadId(), Thread.currentThread().threadId()};
            Map<String, Long> byThread = new TreeMap<>();
            long measured = 0;
            for (int round = 0; round < 6; round++) {
                Map<String, Long> threadsBefore = round < 2 ? Map.of() : NativeThreads.cpuByKind();
                long cpu = os.getProcessCpuTime();
                long allocated = threads.getTotalThreadAllocatedBytes();
                long ourCpu = sum(threads.getThreadCpuTime(ours));
                long ourAllocated = sum(threads.getThreadAllocatedBytes(ours));
                long start = System.nanoTime();
                Thread[] running = new Thread[all.size()];
                for (int s = 0; s < all.size(); s++) {
                    Sender sender = all.get(s);
                    running[s] = Thread.ofPlatform().name("message-cpu-sender-" + s).start(() -> sender.send(messages / all.size()));
                }
                for (Thread t : running) {
                    t.join();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                ourCpu = sum(threads.getThreadCpuTime(ours)) - ourCpu + all.stream().mapToLong(Sender::cpuAndReset).sum();
                ourAllocated = sum(threads.getThreadAllocatedBytes(ours)) - ourAllocated
                        + all.stream().mapToLong(Sender::allocatedAndReset).sum();
                cpu = os.getProcessCpuTime() - cpu - ourCpu;
                allocated = threads.getTotalThreadAllocatedBytes() - allocated - ourAllocated;
                long sent = all.stream().mapToLong(Sender::doneAndReset).sum();
                if (round >= 2) {
                    NativeThreads.cpuByKind().forEach((kind, ns) ->
                            byThread.merge(kind, ns - threadsBefore.getOrDefault(kind, 0L), Long::sum));
                    measured += sent;
                }
                long failed = all.stream().mapToLong(Sender::failedAndReset).sum();
                System.out.printf("MESSAGE %s %d: %6.1f us CPU/msg %7d B/msg %7.0f msg/s %d failed%n",
                        round < 2 ? "warm-up" : "round  ", round, cpu / 1000.0 / sent, allocated / sent, sent / seconds,
                        failed);
            }
            device.stop();
            RegisterCpu.printByThread(byThread, Math.max(1, measured));
        } finally {
            server.stop();
        }
    }

    /** The server's settings for an in-process run: ephemeral ports on loopback, limits and auth throttling out of the way. */
    static Map<String, String> flags(Path data) {
        Map<String, String> f = new HashMap<>();
        for (String port : List.of("sip.udp.port", "sip.tcp.port", "sip.tls.port", "sip.ws.port", "sip.wss.port",
                "http.port", "https.port", "msrp.tls.port", "msrp.wss.port", "msrp.endpoint.tls.port",
                "msrp.endpoint.wss.port")) {
            f.put(port, "0");
        }
        f.putAll(Map.of("msrp.ws.port", "", "msrp.endpoint.ws.port", "", "sip.bind-address", "127.0.0.1",
                "http.bind-address", "127.0.0.1", "data.dir", data.toString(), "parley.domain", DOMAIN,
                "admin.token", "message-cpu-admin-token"));
        // as message-bench.sh has it: no messaging limits and no auth throttling in the way
        f.putAll(Map.of("messaging.messages-per-minute", "0", "messaging.messages-per-day", "0",
                "messaging.bytes-per-day", "0", "messaging.system-rate-per-second", "0",
                "auth.failures-before-delay", "1000000000", "auth.failures-before-block", "1000000000",
                "auth.source-failures-before-block", "1000000000", "auth.account-failures-before-slow", "1000000000"));
        return f;
    }

    static void addUser(ParleyServer server, String name) {
        server.context().accounts().create(new NewAccount(name, password(name), Optional.empty(), Optional.empty(),
                List.of()));
    }

    private static String password(String user) {
        return "password-" + user;
    }

    static long sum(long[] values) {
        long total = 0;
        for (long v : values) {
            total += Math.max(0, v);
        }
        return total;
    }

    /** A user agent's socket: requests with digest answers, and the final response to each. */
    static class Agent {
        final DatagramSocket socket;
        final InetSocketAddress proxy;
        final byte[] buffer = new byte[65536];

        Agent(InetSocketAddress proxy) throws IOException {
            this.proxy = proxy;
            this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setReceiveBufferSize(4 << 20);
            socket.setSoTimeout(5000);
        }

        int port() {
            return socket.getLocalPort();
        }

        void send(String message) throws IOException {
            byte[] b = message.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(b, b.length, proxy));
        }

        /** The next final response whose CSeq is {@code cseq}; provisional and stale ones are skipped. */
        String finalResponse(String cseq) throws IOException {
            while (true) {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                socket.receive(p);
                String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                if (text.startsWith("SIP/2.0 ") && text.charAt(8) != '1' && cseq.equals(header(text, "CSeq"))) {
                    return text;
                }
            }
        }

        /** Sends {@code request} (a %s where the credentials go), answers a 401/407 once, returns the final response. */
        String withDigest(String template, String method, String uri, String user, String cseqMethod) throws IOException {
            String tag = method.equals("REGISTER") ? "1 REGISTER" : "1 " + cseqMethod;
            send(String.format(template, "", 1));
            String answer = finalResponse(tag);
            int status = status(answer);
            if (status != 401 && status != 407) {
                return answer;
            }
            String challenge = header(answer, status == 401 ? "WWW-Authenticate" : "Proxy-Authenticate");
            Map<String, String> c = new HashMap<>();
            Matcher m = PARAM.matcher(challenge);
            while (m.find()) {
                c.put(m.group(1), m.group(2));
            }
            String cnonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
            String ha1 = md5(user + ":" + c.get("realm") + ":" + password(user));
            String ha2 = md5(method + ":" + uri);
            String response = md5(ha1 + ":" + c.get("nonce") + ":00000001:" + cnonce + ":auth:" + ha2);
            String credentials = (status == 401 ? "Authorization" : "Proxy-Authorization") + ": Digest username=\"" + user
                    + "\", realm=\"" + c.get("realm") + "\", nonce=\"" + c.get("nonce") + "\", uri=\"" + uri
                    + "\", response=\"" + response + "\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"" + cnonce + "\""
                    + (c.containsKey("opaque") ? ", opaque=\"" + c.get("opaque") + "\"" : "") + "\r\n";
            send(String.format(template, credentials, 2));
            return finalResponse("2 " + cseqMethod);
        }
    }

    /** One sending user: MESSAGE, 407, MESSAGE with credentials, 200 — one after the other. */
    private static final class Sender extends Agent {
        private final String user;
        private final int index;
        private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        private final AtomicLong done = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong cpu = new AtomicLong();
        private final AtomicLong allocated = new AtomicLong();
        private long calls;

        Sender(InetSocketAddress proxy, String user, int index) throws IOException {
            super(proxy);
            this.user = user;
            this.index = index;
        }

        void send(int count) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            long allocatedStart = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < count; i++) {
                String recipient = "rcp" + (int) ((index + calls++) % RECIPIENTS);
                String uri = "sip:" + recipient + "@" + DOMAIN;
                String callId = user + "-" + calls + "-" + ThreadLocalRandom.current().nextLong() + "@127.0.0.1";
                String body = "Bench message " + calls + " from " + user + " to " + recipient + ".\r\n";
                String template = "MESSAGE " + uri + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + port() + ";branch=z9hG4bK" + callId.hashCode() + "-%2$d;rport\r\n"
                        + "From: <sip:" + user + "@" + DOMAIN + ">;tag=" + calls + "\r\n"
                        + "To: <" + uri + ">\r\n"
                        + "Call-ID: " + callId + "\r\n"
                        + "CSeq: %2$d MESSAGE\r\n"
                        + "%1$s"
                        + "Max-Forwards: 70\r\nContent-Type: text/plain\r\nUser-Agent: parley MessageCpu\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body;
                try {
                    String answer = withDigest(template, "MESSAGE", uri, user, "MESSAGE");
                    (status(answer) == 200 ? done : failed).incrementAndGet();
                } catch (SocketTimeoutException e) {
                    failed.incrementAndGet();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            cpu.addAndGet(threads.getCurrentThreadCpuTime() - cpuStart);
            allocated.addAndGet(threads.getCurrentThreadAllocatedBytes() - allocatedStart);
        }

        long doneAndReset() {
            return done.getAndSet(0);
        }

        long failedAndReset() {
            return failed.getAndSet(0);
        }

        long cpuAndReset() {
            return cpu.getAndSet(0);
        }

        long allocatedAndReset() {
            return allocated.getAndSet(0);
        }
    }

    /** The recipients' one device: registered for each of them, answers 200 to every MESSAGE. */
    private static final class Device extends Agent {
        private final AtomicBoolean running = new AtomicBoolean(true);
        final Thread thread = Thread.ofPlatform().name("message-cpu-device").unstarted(this::answer);

        Device(InetSocketAddress proxy) throws IOException {
            super(proxy);
        }

        void register(String user) throws IOException {
            String callId = "reg-" + user + "@127.0.0.1";
            String template = "REGISTER sip:" + DOMAIN + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + port() + ";branch=z9hG4bKreg" + user + "-%2$d;rport\r\n"
                    + "From: <sip:" + user + "@" + DOMAIN + ">;tag=r" + user + "\r\n"
                    + "To: <sip:" + user + "@" + DOMAIN + ">\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: %2$d REGISTER\r\n"
                    + "%1$s"
                    + "Contact: <sip:" + user + "@127.0.0.1:" + port() + ">;expires=3600\r\n"
                    + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            String answer = withDigest(template, "REGISTER", "sip:" + DOMAIN, user, "REGISTER");
            if (status(answer) != 200) {
                throw new IOException("REGISTER of " + user + " refused: " + answer.lines().findFirst().orElse(""));
            }
        }

        void start() throws IOException {
            socket.setSoTimeout(200);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
            socket.close();
        }

        private void answer() {
            byte[] in = new byte[65536];
            while (running.get()) {
                DatagramPacket p = new DatagramPacket(in, in.length);
                try {
                    socket.receive(p);
                    String request = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                    if (!request.startsWith("MESSAGE ")) {
                        continue;
                    }
                    StringBuilder ok = new StringBuilder("SIP/2.0 200 OK\r\n");
                    for (String line : request.split("\r\n")) {
                        if (line.isEmpty()) {
                            break;
                        }
                        String name = line.substring(0, Math.max(0, line.indexOf(':'))).strip();
                        if (name.equalsIgnoreCase("Via") || name.equalsIgnoreCase("v") || name.equalsIgnoreCase("From")
                                || name.equalsIgnoreCase("f") || name.equalsIgnoreCase("Call-ID")
                                || name.equalsIgnoreCase("i") || name.equalsIgnoreCase("CSeq")) {
                            ok.append(line).append("\r\n");
                        } else if (name.equalsIgnoreCase("To") || name.equalsIgnoreCase("t")) {
                            ok.append(line).append(";tag=device\r\n");
                        }
                    }
                    byte[] b = ok.append("Content-Length: 0\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8);
                    socket.send(new DatagramPacket(b, b.length, p.getSocketAddress()));
                } catch (SocketTimeoutException e) {
                    // look at running again
                } catch (IOException e) {
                    if (running.get()) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
    }

    static int status(String response) {
        return Integer.parseInt(response.substring(8, 11));
    }

    /** The value of the first header named {@code name} (no compact forms: the server writes full names). */
    private static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return "";
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
