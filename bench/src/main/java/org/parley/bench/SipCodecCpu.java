package org.parley.bench;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link SipCodecBenchmark}'s operations on one thread, measured by that thread's CPU time and
 * allocated bytes ({@link ThreadMXBean}), as {@link RegisterCpu} does: on a machine other work keeps
 * busy, JMH's time per operation is mostly the wait for a CPU. Prints six rounds per operation, the
 * first two warm-up.
 * <pre>java -cp "bench/target/classes:bench/target/lib/*" org.parley.bench.SipCodecCpu [OPS_PER_ROUND]</pre>
 */
public final class SipCodecCpu {
    private SipCodecCpu() {
    }

    public static void main(String[] args) {
        if (Usage.asked(args, SipCodecCpu.class, "[OPS_PER_ROUND]",
                "CPU time and bytes per SipCodecBenchmark operation (parse, relay encode, response build) on one\nthread; six rounds, two warm-up.")) {
            return;
        }
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        SipCodecBenchmark bench = new SipCodecBenchmark();
        bench.setUp();
        Blackhole hole = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        String[] names = {"parse", "parseAndEncode", "parseAndRead", "relayMessage", "stampAndRelayMessage",
            "parseAndEncodeRegister", "relayResponse", "answer"};
        Supplier<?>[] operations = {bench::parse, bench::parseAndEncode, () -> {
            bench.parseAndRead(hole);
            return null;
        }, bench::relayMessage, bench::stampAndRelayMessage, bench::parseAndEncodeRegister, bench::relayResponse,
            bench::answer};
        for (int k = 0; k < names.length; k++) {
            for (int round = 0; round < 6; round++) {
                long cpu = threads.getCurrentThreadCpuTime();
                long allocated = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < ops; i++) {
                    hole.consume(operations[k].get());
                }
                cpu = threads.getCurrentThreadCpuTime() - cpu;
                allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
                System.out.printf("%-22s %s %d: %7.0f ns CPU/op %6d B/op%n", names[k], round < 2 ? "warm-up" : "round  ",
                        round, (double) cpu / ops, allocated / ops);
            }
        }
        hole.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
    }
}
