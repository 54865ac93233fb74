package org.parley.bench;

import com.sun.management.ThreadMXBean;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.Via;
import org.parley.sip.transaction.ClientTransaction;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transaction.Target;
import org.parley.sip.transaction.TimerSettings;
import org.parley.sip.transaction.TransactionLayer;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;

/**
 * The transaction layer's own CPU time and allocation per transaction over UDP (RFC 3261 §17), on
 * one thread, measured as that thread's CPU time and allocated bytes ({@link ThreadMXBean}) so that
 * other work on the machine barely moves it: {@code server} is a new non-INVITE request (a REGISTER)
 * looked up, answered 200 by a TU at once and handed over to Timer J's log; {@code client} is a
 * MESSAGE sent in a client transaction and its 200 received, handed over to Timer K's log. The
 * transport is a stand-in whose sends complete at once, as a datagram's do; parsing, the UDP socket
 * and the TU's own work are not in the figure. Requests are made with their unique branch outside the
 * measured window; {@code client}'s 200 is made inside it. Prints six rounds, the first two warm-up.
 * <pre>java -cp "bench/target/classes:bench/target/lib/*" org.parley.bench.TransactionCpu [OPS_PER_ROUND]</pre>
 */
public final class TransactionCpu {
    private static final int ROUNDS = 6;
    private static final int BATCH = 10_000;
    private static final InetSocketAddress LOCAL = new InetSocketAddress("192.0.2.1", 5060);
    private static final Flow PEER = new Flow(Transport.UDP, LOCAL, new InetSocketAddress("198.51.100.7", 5060), null);

    private TransactionCpu() {
    }

    public static void main(String[] args) throws Exception {
        if (Usage.asked(args, TransactionCpu.class, "[OPS_PER_ROUND]",
                "CPU time and bytes per transaction of the transaction layer alone (server: REGISTER answered 200;\nclient: MESSAGE sent and its 200 received), over a stand-in UDP transport, on one thread.")) {
            return;
        }
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (SystemScheduler scheduler = new SystemScheduler();
             TransactionLayer layer = new TransactionLayer(new LayerStubs.Immediate(LOCAL), scheduler, TimerSettings.DEFAULT, Runnable::run,
                     new SimpleMeterRegistry())) {
            layer.setUser(new LayerStubs.AnswersAtOnce());
            SipRequest register = (SipRequest) parse("REGISTER sip:example.com SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK-0;rport=5060;received=198.51.100.7\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=a1\r\nTo: <sip:alice@example.com>\r\n"
                    + "Call-ID: reg-1@198.51.100.7\r\nCSeq: 1 REGISTER\r\nContact: <sip:alice@198.51.100.7:5060>\r\n"
                    + "Expires: 3600\r\nContent-Length: 0\r\n\r\n");
            SipRequest message = (SipRequest) parse("MESSAGE sip:bob@198.51.100.8:5060 SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP parser.invalid\r\nMax-Forwards: 69\r\nFrom: <sip:alice@example.com>;tag=a1\r\n"
                    + "To: <sip:bob@example.com>\r\nCall-ID: msg-1@192.0.2.1\r\nCSeq: 1 MESSAGE\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi");
            SipRequest outgoing = message.withHeaders(message.headers().remove("Via"));
            Via top = register.topVia();
            long branch = 0;
            for (String operation : new String[] {"server", "client"}) {
                for (int round = 0; round < ROUNDS; round++) {
                    long cpu = 0;
                    long bytes = 0;
                    for (int done = 0; done < ops; done += BATCH) {
                        SipRequest[] requests = new SipRequest[BATCH];
                        if (operation.equals("server")) {
                            for (int i = 0; i < BATCH; i++) {
                                requests[i] = register.withHeaders(register.headers()
                                        .withTopVia(top.withParam("branch", "z9hG4bK-" + branch++)));
                            }
                        }
                        long id = Thread.currentThread().threadId();
                        long cpu0 = threads.getCurrentThreadCpuTime();
                        long bytes0 = threads.getThreadAllocatedBytes(id);
                        if (operation.equals("server")) {
                            for (SipRequest r : requests) {
                                layer.onMessage(r, PEER);
                            }
                        } else {
                            for (int i = 0; i < BATCH; i++) {
                                ClientTransaction tx = layer.sendRequest(outgoing, Target.of(PEER), (t, response) -> {
                                });
                                layer.onMessage(tx.request().createResponse(200, "b1"), PEER);
                            }
                        }
                        cpu += threads.getCurrentThreadCpuTime() - cpu0;
                        bytes += threads.getThreadAllocatedBytes(id) - bytes0;
                    }
                    System.out.printf("%-7s %s %d: %7.3f us CPU/op %7d B/op%n", operation,
                            round < 2 ? "warm-up" : "round  ", round, cpu / 1000.0 / ops, bytes / ops);
                }
            }
        }
    }

    private static SipMessage parse(String text) {
        return SipParser.parse(text.getBytes(StandardCharsets.UTF_8));
    }
}
