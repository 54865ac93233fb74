package org.parley.bench;

import com.sun.management.ThreadMXBean;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.ClientTransaction;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.sip.transaction.Target;
import org.parley.sip.transaction.TimerSettings;
import org.parley.sip.transaction.TransactionLayer;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;

/**
 * What a completed non-INVITE transaction over UDP costs the Java heap while Timer J (server, 32 s)
 * or Timer K (client, 5 s) keeps it (RFC 3261 §17.2.2, §17.1.2.2; issue 13): N MESSAGE server
 * transactions answered 200 at once, then N client transactions whose 200 arrives, in a
 * {@code TransactionLayer} on a manual clock (nothing expires) over a transport that sends nothing.
 * Prints, per transaction, the heap still reachable after full collections and what the calling
 * thread allocated and spent in the layer (the requests and responses are built outside the
 * measure). Three rounds, the first a warm-up.
 * <pre>java -cp "bench/target/classes:bench/target/lib/*" org.parley.bench.CompletedHeap [N]</pre>
 */
public final class CompletedHeap {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("192.0.2.1", 5060);
    private static final Flow PEER = new Flow(Transport.UDP, LOCAL, new InetSocketAddress("127.0.0.1", 24061), null);

    private CompletedHeap() {
    }

    /** A MESSAGE as SIPp sends it in bench/message-digest.xml (without its credentials), branch {@code i}. */
    private static SipRequest incoming(int i) {
        return (SipRequest) SipParser.parse(("MESSAGE sip:rcp00042@localhost SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:24061;branch=z9hG4bK-52121-" + i + "-2;rport\r\n"
                + "From: <sip:snd00421@localhost>;tag=52121SIPpTag00" + i + "\r\n"
                + "To: <sip:rcp00042@localhost>\r\n"
                + "Call-ID: " + i + "-52121@127.0.0.1\r\n"
                + "CSeq: 2 MESSAGE\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: 44\r\n"
                + "\r\n"
                + "Bench message 421 from snd00421 to rcp00042.").getBytes(StandardCharsets.US_ASCII));
    }

    /** A MESSAGE as the proxy relays it to a device; the layer puts its own Via on top. */
    private static SipRequest outgoing() {
        SipRequest parsed = (SipRequest) SipParser.parse(("MESSAGE sip:rcp00042@127.0.0.1:5070 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP parser.invalid\r\n" // the parser insists on one; the TU's request has none
                + "Max-Forwards: 69\r\n"
                + "From: <sip:snd00421@localhost>;tag=f1\r\n"
                + "To: <sip:rcp00042@localhost>\r\n"
                + "Call-ID: out-1@192.0.2.1\r\n"
                + "CSeq: 2 MESSAGE\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return parsed.withHeaders(parsed.headers().remove(HeaderNames.VIA));
    }

    private static long heapAfterCollection() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        ThreadMXBean thread = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        Target device = Target.of(Transport.UDP, new InetSocketAddress("127.0.0.1", 5070));
        SipRequest relayed = outgoing();
        for (int round = 0; round < 3; round++) {
            TransactionLayer layer = new TransactionLayer(new LayerStubs.Immediate(LOCAL), new ManualScheduler(), TimerSettings.DEFAULT,
                    Runnable::run, new SimpleMeterRegistry());
            layer.setUser(new LayerStubs.AnswersAtOnce());
            SipRequest[] requests = new SipRequest[n];
            for (int i = 0; i < n; i++) {
                requests[i] = incoming(round * n + i);
            }
            long heap0 = heapAfterCollection();
            long alloc0 = thread.getCurrentThreadAllocatedBytes();
            long cpu0 = thread.getCurrentThreadCpuTime();
            for (SipRequest request : requests) {
                layer.onMessage(request, PEER);
            }
            long serverAlloc = thread.getCurrentThreadAllocatedBytes() - alloc0;
            long serverCpu = thread.getCurrentThreadCpuTime() - cpu0;
            long heap1 = heapAfterCollection();
            Reference.reachabilityFence(requests); // reachable until heap1: only the layer's share counts
            requests = null;
            long heap2 = heapAfterCollection();
            long clientAlloc = 0;
            long clientCpu = 0;
            for (int i = 0; i < n; i++) {
                long a = thread.getCurrentThreadAllocatedBytes();
                long c = thread.getCurrentThreadCpuTime();
                ClientTransaction tx = layer.sendRequest(relayed, device, (t, response) -> {
                });
                clientAlloc += thread.getCurrentThreadAllocatedBytes() - a;
                clientCpu += thread.getCurrentThreadCpuTime() - c;
                SipResponse ok = tx.request().createResponse(200, "device");
                a = thread.getCurrentThreadAllocatedBytes();
                c = thread.getCurrentThreadCpuTime();
                layer.onMessage(ok, PEER);
                clientAlloc += thread.getCurrentThreadAllocatedBytes() - a;
                clientCpu += thread.getCurrentThreadCpuTime() - c;
            }
            long heap3 = heapAfterCollection();
            System.out.printf("%s %d: server %4d B retained %5d B allocated %5.1f us CPU | client %4d B retained %5d B"
                            + " allocated %5.1f us CPU (per completed transaction, %d each)%n",
                    round == 0 ? "warm-up" : "round  ", round, (heap1 - heap0) / n, serverAlloc / n, serverCpu / 1e3 / n,
                    (heap3 - heap2) / n, clientAlloc / n, clientCpu / 1e3 / n, n);
            layer.close();
        }
    }
}
