package org.parley.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipMessage;

@DisplayName("UDP receivers: each datagram handled on the thread that read it, reception never stalled by a blocking TU, bounded (issue 13, RFC 3261 §18.3, RFC 4475 §3.1.2)")
class DatagramReceiverTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TransportMetrics metrics = new TransportMetrics(meters);
    private final List<DatagramChannel> sockets = new ArrayList<>();
    private DatagramReceiver receiver;
    private DatagramChannel server;
    private DatagramChannel client;

    @AfterEach
    void close() throws IOException {
        if (receiver != null) {
            receiver.close(Duration.ofSeconds(1));
        }
        for (DatagramChannel s : sockets) {
            s.close();
        }
    }

    private DatagramChannel bound() throws IOException {
        DatagramChannel s = DatagramChannel.open();
        sockets.add(s);
        return s.bind(new InetSocketAddress(TestSip.LOOPBACK, 0));
    }

    private void start(DatagramReceiver.Handling handling, int spares, int maxInHand) throws IOException {
        server = bound();
        client = bound();
        receiver = new DatagramReceiver(server, handling, metrics, spares, maxInHand);
        receiver.start();
    }

    /** The handling of the transport itself, over {@code handler}. */
    private DatagramReceiver.Handling delivering(InboundHandler handler) {
        return (datagram, flow) -> new DatagramHandling(server, new Delivery(handler, metrics), metrics, 2000)
                .handle(datagram, flow);
    }

    private void send(String text) throws IOException {
        client.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), server.getLocalAddress());
    }

    private String receive() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(65536);
        client.configureBlocking(false);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (client.receive(b) == null) {
            assertThat(System.nanoTime()).as("an answer within 5 s").isLessThan(end);
            Thread.onSpinWait();
        }
        return StandardCharsets.UTF_8.decode(b.flip()).toString();
    }

    private static String options(String callId) {
        return TestSip.options("UDP", "127.0.0.1:5999", "", callId);
    }

    @Test
    @DisplayName("a datagram is parsed and delivered on the virtual thread that read it, with the flow of its source (§18.3)")
    void handledWhereRead() throws Exception {
        BlockingQueue<Thread> handledOn = new LinkedBlockingQueue<>();
        RecordingHandler recording = new RecordingHandler();
        start(delivering(new InboundHandler() {
            @Override
            public void onMessage(SipMessage message, Flow flow) {
                handledOn.add(Thread.currentThread());
                recording.onMessage(message, flow);
            }
        }), 2, DatagramReceiver.MAX_IN_HAND);
        send(TestSip.message("UDP", "read-1", "hello"));

        RecordingHandler.Received r = recording.next();
        assertThat(r.message().callId()).isEqualTo("read-1");
        assertThat(new String(r.message().body(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(r.flow()).isEqualTo(new Flow(Transport.UDP, (InetSocketAddress) server.getLocalAddress(),
                (InetSocketAddress) client.getLocalAddress(), null));
        Thread thread = handledOn.take();
        assertThat(thread.isVirtual()).isTrue();
        assertThat(thread.getName()).isEqualTo("sip-udp-receiver");
    }

    @Test
    @DisplayName("a malformed request is answered 400 with the parser's reason to its source, and nothing is delivered (RFC 4475 §3.1.2)")
    void malformedAnswered() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        start(delivering(handler), 2, DatagramReceiver.MAX_IN_HAND);
        send(options("bad-1").replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE"));

        assertThat(receive()).startsWith("SIP/2.0 400 CSeq method does not match the request method\r\n")
                .contains("Call-ID: bad-1");
        handler.assertNothingDelivered();
        assertThat(meters.get("parley_sip_malformed_total").counter().count()).isEqualTo(1);
    }

    @Test
    @DisplayName("a flood of requests whose TU blocks, each waiting for a datagram behind it, is all handled: reception never stops (issue 13)")
    void blockingTuNeverStallsReception() throws Exception {
        int blocking = 50;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch handled = new CountDownLatch(blocking + 1);
        start((datagram, flow) -> {
            String text = new String(datagram, StandardCharsets.UTF_8);
            try {
                if (text.contains("Call-ID: blocked-")) {
                    // a TU waiting for what only a later datagram brings (a response, a database answer)
                    assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
                } else {
                    release.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handled.countDown();
        }, 2, DatagramReceiver.MAX_IN_HAND);

        for (int i = 0; i < blocking; i++) {
            send(options("blocked-" + i));
        }
        send(options("release"));

        assertThat(handled.await(10, TimeUnit.SECONDS)).as("every datagram handled").isTrue();
        assertThat(meters.find("parley_sip_datagrams_dropped_total").counter()).isNull();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (receiver.reading() != 2 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(receiver.reading()).as("the receivers started for the burst ended after it").isEqualTo(2);
    }

    @Test
    @DisplayName("at most maxInHand datagrams are handled at once: more are read, dropped and counted, as a full socket buffer drops them (issue 13 §2)")
    void inHandIsBounded() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(3);
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        start((datagram, flow) -> {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handled.add(new String(datagram, StandardCharsets.UTF_8));
        }, 1, 3);

        for (int i = 0; i < 3; i++) {
            send(options("held-" + i));
        }
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        send(options("dropped-1"));
        send(options("dropped-2"));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (meters.find("parley_sip_datagrams_dropped_total").counter() == null
                || meters.get("parley_sip_datagrams_dropped_total").counter().count() < 2) {
            assertThat(System.nanoTime()).as("two datagrams dropped within 5 s").isLessThan(end);
            Thread.sleep(10);
        }
        assertThat(receiver.inHand()).isEqualTo(3);

        release.countDown();
        for (int i = 0; i < 3; i++) {
            assertThat(handled.poll(5, TimeUnit.SECONDS)).contains("Call-ID: held-");
        }
        send(options("after"));
        assertThat(handled.poll(5, TimeUnit.SECONDS)).as("room again once the handlers caught up")
                .contains("Call-ID: after");
        assertThat(meters.get("parley_sip_datagrams_dropped_total").counter().count()).isEqualTo(2);
    }

    @Test
    @DisplayName("issue 13: datagrams of one peer share one Flow (what Timer J keeps per answer), peers sending in turn keep theirs; RFC 5626 §3 flow = address pair")
    void onePeersDatagramsShareOneFlow() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        start(delivering(handler), 1, DatagramReceiver.MAX_IN_HAND);
        // a peer in another slot: two peers in one slot replace each other's flow, as designed
        DatagramChannel other = bound();
        while (DatagramFlows.slot((InetSocketAddress) other.getLocalAddress())
                == DatagramFlows.slot((InetSocketAddress) client.getLocalAddress())) {
            other.close();
            other = bound();
        }
        send(options("flows-0"));
        handler.next();
        other.send(ByteBuffer.wrap(options("flows-1").getBytes(StandardCharsets.UTF_8)), server.getLocalAddress());
        handler.next();
        Flow[] flows = new Flow[3];
        send(options("flows-2"));
        flows[0] = handler.next().flow();
        other.send(ByteBuffer.wrap(options("flows-3").getBytes(StandardCharsets.UTF_8)), server.getLocalAddress());
        flows[1] = handler.next().flow();
        send(options("flows-4"));
        flows[2] = handler.next().flow();

        assertThat(flows[2]).isSameAs(flows[0]);
        assertThat(flows[1]).isNotEqualTo(flows[0]);
        assertThat(flows[1].remote()).isEqualTo(other.getLocalAddress());
        for (Flow f : flows) {
            assertThat(f.transport()).isEqualTo(Transport.UDP);
            assertThat(f.local()).isEqualTo(server.getLocalAddress());
            assertThat(f.connectionId()).isNull();
        }
    }
}
