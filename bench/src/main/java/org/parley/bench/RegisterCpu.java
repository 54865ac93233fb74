package org.parley.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.parley.config.Config;
import org.parley.server.ParleyServer;
import org.parley.server.ServerSettings;
import org.parley.sip.transport.Transport;

/**
 * What a REGISTER call of bench/register-bench.sh costs, two ways. First {@link RegisterBenchmark}'s
 * operations on one thread, measured by that thread's CPU time and allocated bytes
 * ({@link ThreadMXBean}) rather than by wall-clock time: on a machine other work keeps busy, JMH's
 * time per operation grows with the load, while the CPU a thread spends and what it allocates per
 * operation barely move. That is the registrar's share only: no transport, no transaction layer,
 * no virtual threads, no collector, no auth-attempt writer, nothing the registration tells presence
 * and messaging. So, second, {@code server}: the whole call on the wire — REGISTER, 401, REGISTER with
 * an MD5 digest, 200 — to a server started in this process from the default settings (MD5 offered,
 * as the bench has it), over loopback UDP, from client threads with a socket each, one call in
 * flight per client, every user registered once before the first round (as the bench's warm-up does);
 * measured as the process's CPU time and all threads' allocated bytes less what the client threads and
 * this one spend ({@link OperatingSystemMXBean}), per call. Prints six rounds per operation, the first
 * two warm-up.
 * <pre>java -cp "bench/target/classes:bench/target/lib/*" org.parley.bench.RegisterCpu [OPS_PER_ROUND [REFRESH_LAG_PERCENT [CLIENTS [OPERATION...]]]]</pre>
 */
public final class RegisterCpu {
    /** {@code written}: the bindings written behind once per this many calls, the server's timer at 1,600 REGISTER/s. */
    private static final int CALLS_PER_WRITE = 1600;
    /** {@code server}: the users cycled through (the bench has 10,000; a thousand keep the set-up short). */
    private static final int SERVER_USERS = 1000;
    private static final int ROUNDS = 6;

    private RegisterCpu() {
    }

    /**
     * {@code [OPS_PER_ROUND [REFRESH_LAG_PERCENT [CLIENTS [OPERATION...]]]]}; the third operation,
     * {@code written}, is {@code register} with the write-behind run once per {@value #CALLS_PER_WRITE}
     * calls on the same thread; the fourth, {@code server}, the whole call through a server in this
     * process, CLIENTS (8) at a time. OPERATIONs name the ones to run (all four unless given), e.g.
     * {@code server} alone under a profiler.
     */
    public static void main(String[] args) throws Exception {
        if (Usage.asked(args, RegisterCpu.class, "[OPS_PER_ROUND [REFRESH_LAG_PERCENT [CLIENTS [OPERATION...]]]]",
                "CPU time and bytes per REGISTER: the registrar alone (challenge, register, written) on one thread,\nand the whole call (server) over loopback UDP to a server in this process, CLIENTS (8) at a time.")) {
            return;
        }
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        RegisterBenchmark bench = new RegisterBenchmark();
        if (args.length > 1) {
            bench.refreshLagPercent = Integer.parseInt(args[1]);
        }
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        List<String> operations = args.length > 3 ? List.of(args).subList(3, args.length)
                : List.of("challenge", "register", "written", "server");
        List<String> inProcess = operations.stream().filter(o -> !o.equals("server")).toList();
        if (!inProcess.isEmpty()) {
            registrarAlone(bench, ops, inProcess);
        }
        if (operations.contains("server")) {
            overTheWire(ops, clients);
        }
    }

    /** {@link RegisterBenchmark}'s operations on this thread, its CPU time and bytes per operation. */
    private static void registrarAlone(RegisterBenchmark bench, int ops, List<String> operations) {
        bench.setUp();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (String operation : operations) {
            for (int round = 0; round < ROUNDS; round++) {
                long cpu = threads.getCurrentThreadCpuTime();
                long allocated = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < ops; i++) {
                    switch (operation) {
                        case "challenge" -> bench.challenge();
                        case "register" -> bench.register();
                        case "written" -> {
                            bench.register();
                            if (i % CALLS_PER_WRITE == CALLS_PER_WRITE - 1) {
                                bench.writeBehind();
                            }
                        }
                        default -> throw new IllegalArgumentException("no such operation: " + operation);
                    }
                }
                cpu = threads.getCurrentThreadCpuTime() - cpu;
                allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
                System.out.printf("%-9s %s %d: %6.1f us CPU/op %7d B/op%n", operation, round < 2 ? "warm-up" : "round  ",
                        round, cpu / 1000.0 / ops, allocated / ops);
            }
        }
        bench.tearDown();
    }

    /** The {@code server} operation: whole calls through a server in this process, CPU and bytes per call. */
    private static void overTheWire(int calls, int clients) throws Exception {
        Path data = Files.createTempDirectory("parley-register-cpu");
        Map<String, String> flags = MessageCpu.flags(data);
        ParleyServer server = ParleyServer.start(ServerSettings.from(Config.load(Optional.empty(), Map.of(), flags)));
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try {
            InetSocketAddress proxy = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.sipPort(Transport.UDP));
            List<String> users = new ArrayList<>();
            for (int i = 0; i < SERVER_USERS; i++) {
                users.add(String.format("reg%05d", i));
                MessageCpu.addUser(server, users.get(i));
            }
            CyclicBarrier barrier = new CyclicBarrier(clients + 1);
            long measuredCalls = 0;
            List<Registering> all = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                all.add(new Registering(proxy, users.subList(c * SERVER_USERS / clients, (c + 1) * SERVER_USERS / clients),
                        barrier));
            }
            long[] ours = new long[clients + 1];
            for (int c = 0; c < clients; c++) {
                Registering r = all.get(c);
                ours[c] = r.thread.threadId();
                r.callsPerRound = r.users.size();
                r.start(ROUNDS + 1);
            }
            ours[clients] = Thread.currentThread().threadId();
            // one round more than printed: the first registers every user once, as the bench's warm-up does
            runRound(barrier);
            long refused = 0;
            for (Registering r : all) {
                refused += r.takeCounts()[1];
                r.callsPerRound = calls / clients;
            }
            if (refused > 0) {
                throw new IllegalStateException(refused + " of the first registrations failed");
            }
            Map<String, Long> byThread = new TreeMap<>();
            for (int round = 0; round < ROUNDS; round++) {
                Map<String, Long> threadsBefore = round < 2 ? Map.of() : NativeThreads.cpuByKind();
                long cpu = os.getProcessCpuTime();
                long allocated = threads.getTotalThreadAllocatedBytes();
                long ourCpu = MessageCpu.sum(threads.getThreadCpuTime(ours));
                long ourAllocated = MessageCpu.sum(threads.getThreadAllocatedBytes(ours));
                long start = System.nanoTime();
                runRound(barrier);
                double seconds = (System.nanoTime() - start) / 1e9;
                ourCpu = MessageCpu.sum(threads.getThreadCpuTime(ours)) - ourCpu;
                ourAllocated = MessageCpu.sum(threads.getThreadAllocatedBytes(ours)) - ourAllocated;
                cpu = os.getProcessCpuTime() - cpu - ourCpu;
                allocated = threads.getTotalThreadAllocatedBytes() - allocated - ourAllocated;
                long done = 0;
                long failed = 0;
                for (Registering r : all) {
                    long[] counts = r.takeCounts();
                    done += counts[0];
                    failed += counts[1];
                }
                if (round >= 2) {
                    NativeThreads.cpuByKind().forEach((kind, ns) ->
                            byThread.merge(kind, ns - threadsBefore.getOrDefault(kind, 0L), Long::sum));
                    measuredCalls += done;
                }
                System.out.printf("%-9s %s %d: %6.1f us CPU/call %7d B/call %7.0f calls/s %d failed%n", "server",
                        round < 2 ? "warm-up" : "round  ", round, cpu / 1000.0 / Math.max(1, done),
                        allocated / Math.max(1, done), done / seconds, failed);
            }
            for (Registering r : all) {
                r.thread.join();
                r.socket.close();
            }
            printByThread(byThread, Math.max(1, measuredCalls));
        } finally {
            server.stop();
            deleteTree(data);
        }
    }

    /** The server's data directory (its H2 files, ~15 MB a run), removed when the run ends. */
    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Where the server's CPU per call went: the measured rounds' CPU time by kind of thread (the
     * harness's own threads, register-cpu-cl and message-cpu-de, are listed but not in the per-call
     * figures; MessageCpu's senders end with each round and take their time with them).
     */
    static void printByThread(Map<String, Long> byThread, long calls) {
        System.out.println("server    rounds 2-5 by thread (the process's native threads, digits folded; "
                + "register-cpu-cl and message-cpu-de are the harness's, not in the figures above):");
        byThread.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> System.out.printf("          %6.1f us/call  %s%n", e.getValue() / 1000.0 / calls, e.getKey()));
    }

    /** Starts a round of every client and waits for its end. */
    private static void runRound(CyclicBarrier barrier) throws InterruptedException, BrokenBarrierException {
        barrier.await();
        barrier.await();
    }

    /**
     * One client: a platform thread with a socket, registering its users in turn, one call at a time;
     * it lives through every round so that its CPU time can be read and taken off the server's.
     */
    private static final class Registering extends MessageCpu.Agent {
        final Thread thread = Thread.ofPlatform().name("register-cpu-client").unstarted(this::run);
        final List<String> users;
        private final CyclicBarrier barrier;
        private final AtomicLong done = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        /** Set between rounds; the barrier makes it visible to the client's thread. */
        int callsPerRound;
        private int rounds;
        private long calls;

        Registering(InetSocketAddress proxy, List<String> users, CyclicBarrier barrier) throws IOException {
            super(proxy);
            this.users = users;
            this.barrier = barrier;
        }

        void start(int rounds) {
            this.rounds = rounds;
            thread.start();
        }

        long[] takeCounts() {
            return new long[] {done.getAndSet(0), failed.getAndSet(0)};
        }

        private void run() {
            try {
                for (int round = 0; round < rounds; round++) {
                    barrier.await();
                    for (int i = 0; i < callsPerRound; i++) {
                        call(users.get((int) (calls++ % users.size())));
                    }
                    barrier.await();
                }
            } catch (InterruptedException | BrokenBarrierException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** As register-digest.xml: a fresh Call-ID per call, CSeq 1 then 2, the contact at this socket. */
        private void call(String user) {
            String callId = user + "-" + calls + "-" + ThreadLocalRandom.current().nextLong() + "@127.0.0.1";
            String template = "REGISTER sip:localhost SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + port() + ";branch=z9hG4bK" + callId.hashCode() + "-%2$d;rport\r\n"
                    + "From: <sip:" + user + "@localhost>;tag=" + calls + "\r\n"
                    + "To: <sip:" + user + "@localhost>\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: %2$d REGISTER\r\n"
                    + "Contact: <sip:" + user + "@127.0.0.1:" + port() + ";transport=UDP>\r\n"
                    + "%1$s"
                    + "Max-Forwards: 70\r\nExpires: 3600\r\nUser-Agent: parley RegisterCpu\r\nContent-Length: 0\r\n\r\n";
            try {
                String answer = withDigest(template, "REGISTER", "sip:localhost", user, "REGISTER");
                (MessageCpu.status(answer) == 200 ? done : failed).incrementAndGet();
            } catch (SocketTimeoutException e) {
                failed.incrementAndGet();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
