package org.parley.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.Via;

@DisplayName("UDP transport: RFC 3261 §18.2.1 / §18.2.2 / §18.3, RFC 3581 rport, RFC 4475 §3.3.10 broadcast")
class UdpTransportTest {
    private final RecordingHandler handler = new RecordingHandler();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private NettySipTransport transport;
    private DatagramSocket client;

    @BeforeEach
    void start() throws IOException {
        TransportSettings.Builder b = TransportSettings.builder(TestSip.LOOPBACK, "127.0.0.1").maxMessageBytes(2000);
        for (Transport t : Transport.values()) {
            b.port(t, t == Transport.UDP ? 0 : TransportSettings.DISABLED);
        }
        transport = new NettySipTransport(b.build(), meters);
        transport.start(handler);
        client = new DatagramSocket(new InetSocketAddress(TestSip.LOOPBACK, 0));
        client.setSoTimeout(5000);
    }

    @AfterEach
    void stop() {
        client.close();
        transport.close();
    }

    private void sendToServer(String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        client.send(new DatagramPacket(b, b.length, new InetSocketAddress(TestSip.LOOPBACK, transport.boundPort(Transport.UDP))));
    }

    private String receive() throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
        client.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    private void assertNothingReceived() throws IOException {
        client.setSoTimeout(300);
        assertThatThrownBy(this::receive).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    @DisplayName("a request arrives with its flow; the response goes back to the source (§18.2.2)")
    void requestArrivesAndResponseReturns() throws Exception {
        sendToServer(TestSip.options("UDP", "127.0.0.1:" + client.getLocalPort(), "", "udp-1"));
        RecordingHandler.Received r = handler.next();
        assertThat(r.flow()).isEqualTo(new Flow(Transport.UDP,
                new InetSocketAddress(TestSip.LOOPBACK, transport.boundPort(Transport.UDP)),
                new InetSocketAddress(TestSip.LOOPBACK, client.getLocalPort()), null));
        assertThat(transport.isOpen(r.flow())).isTrue();

        SipResponse ok = ((SipRequest) r.message()).createResponse(200, "tag1");
        assertThat(transport.sendResponse(ok, r.flow()).get(5, TimeUnit.SECONDS)).isNotNull();
        SipResponse back = (SipResponse) SipParser.parse(receive().getBytes(StandardCharsets.UTF_8));
        assertThat(back.status()).isEqualTo(200);
        assertThat(back.callId()).isEqualTo("udp-1");
        assertThat(meters.get("parley_sip_messages_received_total").tag("kind", "OPTIONS").counter().count()).isEqualTo(1);
        assertThat(meters.get("parley_sip_messages_sent_total").tag("kind", "2xx").counter().count()).isEqualTo(1);
    }

    @Test
    @DisplayName("issue 13 §2: one peer's datagrams are handled side by side; a slow one holds up none after it (§18.3)")
    void datagramsOfOnePeerAreHandledInParallel() throws Exception {
        transport.close();
        CountDownLatch second = new CountDownLatch(1);
        CountDownLatch firstSawSecond = new CountDownLatch(1);
        InboundHandler slowFirst = new InboundHandler() {
            @Override
            public void onMessage(SipMessage message, Flow flow) {
                if (message.callId().equals("slow")) {
                    try {
                        // on one thread for every datagram this would wait in vain: the second is behind it
                        if (second.await(5, TimeUnit.SECONDS)) {
                            firstSawSecond.countDown();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                } else {
                    second.countDown();
                }
            }

            @Override
            public void onFlowClosed(Flow flow) {
            }
        };
        TransportSettings.Builder b = TransportSettings.builder(TestSip.LOOPBACK, "127.0.0.1");
        for (Transport t : Transport.values()) {
            b.port(t, t == Transport.UDP ? 0 : TransportSettings.DISABLED);
        }
        transport = new NettySipTransport(b.build(), meters);
        transport.start(slowFirst);

        sendToServer(TestSip.options("UDP", "127.0.0.1:" + client.getLocalPort(), "", "slow"));
        sendToServer(TestSip.options("UDP", "127.0.0.1:" + client.getLocalPort(), "", "quick"));

        assertThat(firstSawSecond.await(10, TimeUnit.SECONDS))
                .as("the second datagram was delivered while the first was still being handled").isTrue();
    }

    @Test
    @DisplayName("a sent-by that is not the source address gets received= (§18.2.1)")
    void receivedIsAdded() throws Exception {
        sendToServer(TestSip.options("UDP", "client.example.com:5060", "", "udp-2"));
        Via top = handler.next().message().topVia();
        assertThat(top.received()).contains("127.0.0.1");
        assertThat(top.hasRport()).isFalse();
    }

    @Test
    @DisplayName("a sent-by equal to the source address is left alone (§18.2.1)")
    void matchingSentByIsLeftAlone() throws Exception {
        sendToServer(TestSip.options("UDP", "127.0.0.1:" + client.getLocalPort(), "", "udp-3"));
        assertThat(handler.next().message().topVia().received()).isEmpty();
    }

    @Test
    @DisplayName("rport without value gets the source port and received (RFC 3581 §4); the response goes to that port (§4, §18.2.2)")
    void rportIsFilledAndHonoured() throws Exception {
        // The Via names port 9 (discard): only rport can bring the response back to this socket.
        sendToServer(TestSip.options("UDP", "127.0.0.1:9", ";rport", "udp-4"));
        RecordingHandler.Received r = handler.next();
        Via top = r.message().topVia();
        assertThat(top.params().get("rport")).contains(Integer.toString(client.getLocalPort()));
        assertThat(top.received()).contains("127.0.0.1");
        assertThat(r.message().headers().lines(HeaderNames.VIA)).hasSize(1);

        transport.sendResponse(((SipRequest) r.message()).createResponse(200, "t"), r.flow()).get(5, TimeUnit.SECONDS);
        assertThat(receive()).startsWith("SIP/2.0 200 OK").contains("rport=" + client.getLocalPort());
    }

    @Test
    @DisplayName("RFC 3581 §4, §18.2.1: each peer's requests are stamped with its own source, however they alternate")
    void eachPeerIsStampedWithItsOwnSource() throws Exception {
        try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(TestSip.LOOPBACK, 0))) {
            InetSocketAddress server = new InetSocketAddress(TestSip.LOOPBACK, transport.boundPort(Transport.UDP));
            for (int i = 0; i < 3; i++) {
                sendToServer(TestSip.options("UDP", "127.0.0.1:9", ";rport", "a-" + i));
                assertThat(handler.next().message().topVia().params().get("rport"))
                        .contains(Integer.toString(client.getLocalPort()));
                byte[] b = TestSip.options("UDP", "127.0.0.1:9", ";rport", "b-" + i).getBytes(StandardCharsets.UTF_8);
                other.send(new DatagramPacket(b, b.length, server));
                assertThat(handler.next().message().topVia().params().get("rport"))
                        .contains(Integer.toString(other.getLocalPort()));
            }
        }
    }

    @Test
    @DisplayName("RFC 3581 §4, §18.2.2: a response sent back to the request's source leaves on the request's own flow")
    void responseToTheSourceLeavesOnTheRequestsFlow() throws Exception {
        sendToServer(TestSip.options("UDP", "127.0.0.1:9", ";rport", "udp-flow"));
        RecordingHandler.Received r = handler.next();
        Flow sentOn = transport.sendResponse(((SipRequest) r.message()).createResponse(200, "t"), r.flow())
                .get(5, TimeUnit.SECONDS);
        assertThat(sentOn).isSameAs(r.flow());
        assertThat(receive()).startsWith("SIP/2.0 200 OK");
    }

    @Test
    @DisplayName("without rport the response goes to received and the sent-by port (§18.2.2)")
    void noRportGoesToSentByPort() throws Exception {
        sendToServer(TestSip.options("UDP", "client.example.com:" + client.getLocalPort(), "", "udp-5"));
        RecordingHandler.Received r = handler.next();
        Flow elsewhere = new Flow(Transport.UDP, r.flow().local(), new InetSocketAddress(TestSip.LOOPBACK, 9), null);
        transport.sendResponse(((SipRequest) r.message()).createResponse(200, "t"), elsewhere).get(5, TimeUnit.SECONDS);
        assertThat(receive()).startsWith("SIP/2.0 200 OK");
    }

    @Test
    @DisplayName("a malformed request is answered 400 with the parser's reason (RFC 4475 §3.1.2)")
    void malformedRequestGets400() throws Exception {
        String bad = TestSip.options("UDP", "127.0.0.1:" + client.getLocalPort(), "", "udp-6")
                .replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE");
        sendToServer(bad);
        String answer = receive();
        assertThat(answer).startsWith("SIP/2.0 400 CSeq method does not match the request method\r\n")
                .contains("Call-ID: udp-6");
        handler.assertNothingDelivered();
        assertThat(meters.get("parley_sip_malformed_total").tag("transport", "udp").counter().count()).isEqualTo(1);
    }

    @Test
    @DisplayName("a malformed response is discarded: nothing delivered, nothing sent (RFC 4475 §3.1.2.19)")
    void malformedResponseIsDropped() throws Exception {
        sendToServer("SIP/2.0 4294967301 better not break the receiver\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort() + ";branch=z9hG4bK-x\r\n"
                + "Call-ID: udp-7\r\nCSeq: 1 OPTIONS\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\n\r\n");
        handler.assertNothingDelivered();
        assertNothingReceived();
    }

    @Test
    @DisplayName("a datagram over the size limit is answered 513 (§18.1.1, §21.5.14)")
    void oversizedDatagramGets513() throws Exception {
        sendToServer(TestSip.message("UDP", "udp-8", "x".repeat(3000)));
        assertThat(receive()).startsWith("SIP/2.0 513 Message Too Large\r\n");
        handler.assertNothingDelivered();
    }

    @Test
    @DisplayName("a response whose next Via is a broadcast address is not sent (RFC 4475 §3.3.10)")
    void broadcastIsNeverADestination() throws Exception {
        SipResponse response = (SipResponse) SipParser.parse(("SIP/2.0 200 OK\r\n"
                + "Via: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1saber23\r\n"
                + "Call-ID: bcast\r\nCSeq: 35 INVITE\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        Flow flow = new Flow(Transport.UDP, null, new InetSocketAddress(TestSip.LOOPBACK, client.getLocalPort()), null);
        assertThatThrownBy(() -> transport.sendResponse(response, flow).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("broadcast");
        assertThatThrownBy(() -> transport.send(response, Transport.UDP,
                new InetSocketAddress("255.255.255.255", 5060)).get(5, TimeUnit.SECONDS))
                .hasMessageContaining("broadcast");
        assertNothingReceived();
    }

    @Test
    @DisplayName("send(message, UDP, destination) leaves from the listening socket")
    void sendsFromTheListeningSocket() throws Exception {
        SipRequest request = (SipRequest) SipParser.parse(TestSip.options("UDP", "127.0.0.1:1", "", "udp-9")
                .getBytes(StandardCharsets.UTF_8));
        transport.send(request, Transport.UDP, new InetSocketAddress(TestSip.LOOPBACK, client.getLocalPort()))
                .get(5, TimeUnit.SECONDS);
        DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
        client.receive(p);
        assertThat(p.getPort()).isEqualTo(transport.boundPort(Transport.UDP));
        assertThat(transport.advertised(Transport.UDP).getHostString()).isEqualTo("127.0.0.1");
        assertThat(transport.advertised(Transport.UDP).getPort()).isEqualTo(transport.boundPort(Transport.UDP));
    }

    @Test
    @DisplayName("§17.2.2: a final response kept as octets is sent again, byte for byte, over the flow it first left on, and counted")
    void resendWritesTheOctetsAsTheyAre() throws Exception {
        sendToServer(TestSip.options("UDP", "127.0.0.1:" + client.getLocalPort(), "", "udp-resend"));
        RecordingHandler.Received r = handler.next();
        SipResponse ok = ((SipRequest) r.message()).createResponse(200, "tag1");
        Flow sentOn = transport.sendResponse(ok, r.flow()).get(5, TimeUnit.SECONDS);
        String first = receive();

        byte[] wire = ok.encode();
        assertThat(transport.resend(wire, sentOn).get(5, TimeUnit.SECONDS)).isEqualTo(sentOn);
        assertThat(receive()).isEqualTo(first).isEqualTo(new String(wire, StandardCharsets.UTF_8));
        assertThat(meters.get("parley_sip_messages_sent_total").tag("transport", "udp").tag("kind", "2xx").counter().count())
                .isEqualTo(2);
    }

    @Test
    @DisplayName("§18.1.1 / §18.2.2: a datagram leaves on the sending thread — the send is complete when it returns, many threads at once, none lost on the server's side")
    void datagramsLeaveOnTheSendingThread() throws Exception {
        SipRequest request = (SipRequest) SipParser.parse(TestSip.options("UDP", "127.0.0.1:1", "", "udp-direct")
                .getBytes(StandardCharsets.UTF_8));
        InetSocketAddress to = new InetSocketAddress(TestSip.LOOPBACK, client.getLocalPort());
        assertThat(transport.send(request, Transport.UDP, to)).isCompleted();
        assertThat(receive()).startsWith("OPTIONS ");

        int threads = 8;
        int each = 5;
        // what the kernel drops on the client's side is not the server's: a burst that fits the
        // smallest default receive buffer (net.core.rmem_default, ~208 KiB), read while it is sent
        client.setReceiveBufferSize(1 << 20);
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                while (received.get() < threads * each && receive().contains("udp-direct")) {
                    received.incrementAndGet();
                }
            } catch (IOException timedOut) {
                // counted below
            }
        });
        CountDownLatch go = new CountDownLatch(1);
        java.util.List<Thread> senders = new java.util.ArrayList<>();
        java.util.Queue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int t = 0; t < threads; t++) {
            senders.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        transport.send(request, Transport.UDP, to).get(5, TimeUnit.SECONDS);
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }));
        }
        go.countDown();
        for (Thread t : senders) {
            t.join();
        }
        reader.join();
        assertThat(failures).isEmpty();
        assertThat(received.get()).isEqualTo(threads * each);
        assertThat(meters.get("parley_sip_messages_sent_total").tag("transport", "udp").tag("kind", "OPTIONS").counter().count())
                .isEqualTo(1 + threads * each);
    }

    @Test
    @DisplayName("§18: a closed transport stops receiving and frees its UDP port at once; its flows are no longer open")
    void closeStopsTheReceiversAndFreesThePort() throws Exception {
        sendToServer(TestSip.options("UDP", "127.0.0.1:" + client.getLocalPort(), "", "udp-close"));
        Flow flow = handler.next().flow();
        int port = transport.boundPort(Transport.UDP);
        transport.close();

        assertThat(transport.isOpen(flow)).isFalse();
        assertThat(transport.listening(Transport.UDP)).isFalse();
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(TestSip.LOOPBACK, port))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }
}
