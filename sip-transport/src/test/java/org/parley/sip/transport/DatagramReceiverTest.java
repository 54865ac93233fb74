package org.parley.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("UDP receive hand-off: parsed off the event loop, bounded (issue 13 §2, RFC 3261 §18.3, RFC 4475 §3.1.2)")
class DatagramReceiverTest {
    private static final InetSocketAddress PEER = new InetSocketAddress(TestSip.LOOPBACK, 5999);
    private static final InetSocketAddress LOCAL = new InetSocketAddress(TestSip.LOOPBACK, 5060);

    private final RecordingHandler handler = new RecordingHandler();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TransportMetrics metrics = new TransportMetrics(meters);
    /** The workers, run by the test when it chooses. */
    private final Queue<Runnable> workers = new ArrayDeque<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new DatagramReceiver(new Delivery(handler, metrics), metrics, 2000, workers::add));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void receive(String text) {
        receive(text, PEER);
    }

    private void receive(String text, InetSocketAddress from) {
        channel.writeInbound(new DatagramPacket(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), LOCAL, from));
    }

    private int runWorkers() {
        int ran = 0;
        for (Runnable task = workers.poll(); task != null; task = workers.poll()) {
            task.run();
            ran++;
        }
        return ran;
    }

    @Test
    @DisplayName("the event loop only copies a datagram out and hands it on; a worker parses and delivers it")
    void parsedAndDeliveredByAWorker() throws Exception {
        receive(TestSip.message("UDP", "handoff-1", "hello"));

        assertThat(handler.messages).as("nothing parsed or delivered on the event loop").isEmpty();
        assertThat(runWorkers()).isEqualTo(1);
        RecordingHandler.Received r = handler.next();
        assertThat(r.message().callId()).isEqualTo("handoff-1");
        assertThat(new String(r.message().body(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(r.flow().remote()).isEqualTo(PEER);
        assertThat(r.flow().local()).isEqualTo(LOCAL);
    }

    @Test
    @DisplayName("a malformed request handled by a worker is still answered 400 to its source, and nothing is delivered")
    void malformedAnsweredFromTheWorker() throws Exception {
        receive(TestSip.options("UDP", "127.0.0.1:5999", "", "handoff-2").replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE"));
        assertThat(channel.outboundMessages()).as("nothing answered on the event loop").isEmpty();
        runWorkers();

        DatagramPacket answer = channel.readOutbound();
        assertThat(answer).isNotNull();
        assertThat(answer.recipient()).isEqualTo(PEER);
        String text = answer.content().toString(StandardCharsets.UTF_8);
        answer.release();
        assertThat(text).startsWith("SIP/2.0 400 CSeq method does not match the request method\r\n")
                .contains("Call-ID: handoff-2");
        assertThat(handler.messages).isEmpty();
        assertThat(meters.get("parley_sip_malformed_total").counter().count()).isEqualTo(1);
    }

    @Test
    @DisplayName("at most MAX_WAITING datagrams wait for a worker: more are dropped and counted, as a full socket buffer drops them")
    void waitingIsBounded() {
        String datagram = TestSip.options("UDP", "127.0.0.1:5999", "", "bounded");
        for (int i = 0; i < DatagramReceiver.MAX_WAITING + 3; i++) {
            receive(datagram);
        }
        assertThat(workers).hasSize(DatagramReceiver.MAX_WAITING);
        assertThat(meters.get("parley_sip_datagrams_dropped_total").counter().count()).isEqualTo(3);

        assertThat(runWorkers()).isEqualTo(DatagramReceiver.MAX_WAITING);
        assertThat(handler.messages).hasSize(DatagramReceiver.MAX_WAITING);
        receive(datagram);
        assertThat(workers).as("room again once the workers caught up").hasSize(1);
    }

    @Test
    @DisplayName("issue 13: datagrams of one peer share one Flow (what Timer J keeps per answer), peers sending in turn keep theirs; RFC 5626 §3 flow = address pair")
    void onePeersDatagramsShareOneFlow() {
        InetSocketAddress other = new InetSocketAddress(TestSip.LOOPBACK, 6001);
        InetSocketAddress samePortOtherHost = new InetSocketAddress("127.0.0.2", 5999);
        String datagram = TestSip.options("UDP", "127.0.0.1:5999", "", "flows");
        receive(datagram);
        receive(datagram, other);
        receive(datagram, new InetSocketAddress(TestSip.LOOPBACK, 5999)); // equal, not the same object
        receive(datagram, other);
        receive(datagram, samePortOtherHost);
        runWorkers();

        Flow[] flows = handler.messages.stream().map(RecordingHandler.Received::flow).toArray(Flow[]::new);
        assertThat(flows).hasSize(5);
        assertThat(flows[2]).isSameAs(flows[0]);
        assertThat(flows[3]).isSameAs(flows[1]);
        assertThat(flows[1].remote()).isEqualTo(other);
        assertThat(flows[4].remote()).isEqualTo(samePortOtherHost);
        assertThat(flows[4]).isNotEqualTo(flows[0]);
        for (Flow f : flows) {
            assertThat(f.transport()).isEqualTo(Transport.UDP);
            assertThat(f.local()).isEqualTo(LOCAL);
            assertThat(f.connectionId()).isNull();
        }
    }
}
