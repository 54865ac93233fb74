package org.parley.msrp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.msrp.ByteRange;
import org.parley.msrp.MsrpDecoder;
import org.parley.msrp.MsrpEncoder;
import org.parley.msrp.MsrpHeader;
import org.parley.msrp.MsrpLimits;
import org.parley.msrp.MsrpMessage;
import org.parley.msrp.MsrpRequest;
import org.parley.msrp.MsrpResponse;
import org.parley.msrp.MsrpUri;

/** RFC 4975 endpoint behaviour: chunking and reassembly, reports, limits, accept-types, session matching. */
class MsrpSessionTest {
    private static final MsrpUri ALICE = MsrpUri.parse("msrp://alice.example.com:7777/iau39soe2843z;tcp").orElseThrow();
    private static final MsrpUri BOB = MsrpUri.parse("msrp://bob.example.com:8888/9di4eae923wzd;tcp").orElseThrow();
    private static final MsrpUri BOB2 = MsrpUri.parse("msrp://bob.example.com:8888/second5ession;tcp").orElseThrow();

    private record Got(String messageId, String contentType, byte[] content) {
    }

    private static final class Recorder implements SessionListener {
        final List<Got> messages = new ArrayList<>();
        final List<Integer> reports = new ArrayList<>();
        final List<String> interrupted = new ArrayList<>();

        @Override
        public void message(MsrpSession session, String messageId, String contentType, byte[] content) {
            messages.add(new Got(messageId, contentType, content));
        }

        @Override
        public void report(MsrpSession session, String messageId, int status, ByteRange range) {
            reports.add(status);
        }

        @Override
        public void interrupted(MsrpSession session, String messageId) {
            interrupted.add(messageId);
        }
    }

    private final Recorder aliceSeen = new Recorder();
    private final Recorder bobSeen = new Recorder();
    private final MsrpSession alice = new MsrpSession(ALICE, List.of(BOB), List.of("text/plain", "image/*"), 100_000,
            2048, aliceSeen);
    private final MsrpSession bob = new MsrpSession(BOB, List.of(ALICE), List.of("text/*", "message/cpim"), 10_000,
            2048, bobSeen);

    /** Bob's side of one connection, with the real codec on it. */
    private EmbeddedChannel bobConnection(MsrpSession... sessions) {
        MsrpSessions all = new MsrpSessions();
        for (MsrpSession s : sessions) {
            all.add(s);
        }
        return new EmbeddedChannel(new MsrpEncoder(), new MsrpDecoder(MsrpLimits.DEFAULT), new MsrpEndpointHandler(all));
    }

    private static List<MsrpMessage> written(EmbeddedChannel ch) {
        List<MsrpMessage> out = new ArrayList<>();
        EmbeddedChannel decode = new EmbeddedChannel(new MsrpDecoder(MsrpLimits.DEFAULT));
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            decode.writeInbound((ByteBuf) o);
        }
        for (Object o = decode.readInbound(); o != null; o = decode.readInbound()) {
            out.add((MsrpMessage) o);
        }
        return out;
    }

    private static void deliver(EmbeddedChannel ch, MsrpRequest r) {
        ch.writeInbound(Unpooled.wrappedBuffer(r.encode()));
    }

    private static MsrpRequest withHeader(MsrpRequest r, String name, String value) {
        List<MsrpHeader> h = new ArrayList<>(r.headers().stream().filter(x -> !x.name().equals(name)).toList());
        h.add(h.size() - 1, new MsrpHeader(name, value));
        return new MsrpRequest(r.transactionId(), r.method(), h, r.body(), r.continuation());
    }

    @Test
    @DisplayName("RFC 4975 §7.1.1, §7.3.1, §7.1.3: a message chunked by the sender, out of order on arrival, is whole once; a success report goes back")
    void chunkedOutOfOrderWithSuccessReport() {
        byte[] text = "x".repeat(5000).getBytes(StandardCharsets.UTF_8);
        List<MsrpRequest> chunks = new ArrayList<>(alice.send("text/plain", text, true));
        assertThat(chunks).hasSize(3);
        assertThat(chunks).extracting(MsrpRequest::continuation).containsExactly('+', '+', '$');
        assertThat(chunks.get(1).header("Byte-Range")).contains("2049-4096/5000");
        EmbeddedChannel ch = bobConnection(bob);
        deliver(ch, chunks.get(2));
        deliver(ch, chunks.get(0));
        assertThat(bobSeen.messages).isEmpty();
        deliver(ch, chunks.get(1));
        assertThat(bobSeen.messages).singleElement().satisfies(m -> assertThat(m.content()).isEqualTo(text));
        List<MsrpMessage> out = written(ch);
        assertThat(out).filteredOn(MsrpResponse.class::isInstance).hasSize(3)
                .allSatisfy(r -> assertThat(((MsrpResponse) r).status()).isEqualTo(200));
        MsrpRequest report = (MsrpRequest) out.stream().filter(MsrpRequest.class::isInstance).findFirst().orElseThrow();
        assertThat(report.method()).isEqualTo("REPORT");
        assertThat(report.header("Byte-Range")).contains("1-5000/5000");
        assertThat(report.toPath()).containsExactly(ALICE);
        alice.receive(report);
        assertThat(aliceSeen.reports).containsExactly(200);
    }

    @Test
    @DisplayName("RFC 4975 §5.4, §7.1: a whole SEND of no bytes (a peer binding its connection with a Content-Type) is "
            + "answered 200 and delivers nothing; the empty last chunk of a longer message still completes it")
    void emptyWholeSendBindsOnly() {
        assertThat(bob.receive(chunk("bind", "1-0/0", "", '$'))).singleElement()
                .extracting(m -> ((MsrpResponse) m).status()).isEqualTo(200);
        assertThat(bobSeen.messages).isEmpty();
        bob.receive(chunk("m9", "1-3/3", "abc", '+'));
        bob.receive(chunk("m9", "4-3/3", "", '$'));
        assertThat(bobSeen.messages).singleElement().extracting(g -> new String(g.content(), StandardCharsets.UTF_8))
                .isEqualTo("abc");
    }

    @Test
    @DisplayName("RFC 4975 §7.1.1: a total of '*' is settled by the last chunk")
    void unknownTotal() {
        MsrpRequest first = chunk("m1", "1-3/*", "abc", '+');
        MsrpRequest last = chunk("m1", "4-6/*", "def", '$');
        assertThat(bob.receive(first)).singleElement().extracting(m -> ((MsrpResponse) m).status()).isEqualTo(200);
        bob.receive(last);
        assertThat(bobSeen.messages).singleElement().satisfies(m ->
                assertThat(new String(m.content(), StandardCharsets.UTF_8)).isEqualTo("abcdef"));
    }

    @Test
    @DisplayName("RFC 4975 §7.1.1: a '#' end-line interrupts the message; nothing is delivered")
    void interrupted() {
        bob.receive(chunk("m2", "1-3/6", "abc", '+'));
        bob.receive(chunk("m2", "4-4/6", "d", '#'));
        assertThat(bobSeen.messages).isEmpty();
        assertThat(bobSeen.interrupted).containsExactly("m2");
        assertThat(bob.pendingIncoming()).isZero();
    }

    @Test
    @DisplayName("RFC 4975 §7.3, §10.6 (413): a message over the size limit is refused and forgotten")
    void tooLarge() {
        List<MsrpMessage> out = bob.receive(chunk("m3", "1-3/20000", "abc", '+'));
        assertThat(((MsrpResponse) out.getFirst()).status()).isEqualTo(413);
        assertThat(bob.pendingIncoming()).isZero();
    }

    @Test
    @DisplayName("RFC 4975 §8.6, §10.7 (415): a type outside accept-types is refused; wildcards and parameters work")
    void acceptTypes() {
        MsrpRequest png = withHeader(chunk("m4", "1-3/3", "abc", '$'), "Content-Type", "image/png");
        assertThat(((MsrpResponse) bob.receive(png).getFirst()).status()).isEqualTo(415);
        assertThat(bob.accepts("text/html; charset=UTF-8")).isTrue();
        assertThat(bob.accepts("Message/CPIM")).isTrue();
        assertThat(alice.accepts("image/jpeg")).isTrue();
        assertThat(alice.accepts("video/mp4")).isFalse();
    }

    @Test
    @DisplayName("RFC 4975 §7.1.1: Failure-Report no gets no response, partial only failures; Byte-Range lies get 400")
    void failureReportAndRangeLies() {
        assertThat(bob.receive(withHeader(chunk("m5", "1-3/3", "abc", '$'), "Failure-Report", "no"))).isEmpty();
        assertThat(bob.receive(withHeader(chunk("m6", "1-3/6", "abc", '+'), "Failure-Report", "partial"))).isEmpty();
        bob.receive(chunk("m7", "1-3/6", "abc", '+'));
        List<MsrpMessage> out = bob.receive(chunk("m7", "4-6/9", "def", '$'));
        assertThat(((MsrpResponse) out.getFirst()).status()).isEqualTo(400);
    }

    @Test
    @DisplayName("RFC 4975 §7.3, §5.4: sessions share a connection, matched by To-Path session id and From-Path peer; others get 481")
    void sessionMatchingAndConnectionReuse() {
        Recorder secondSeen = new Recorder();
        MsrpSession second = new MsrpSession(BOB2, List.of(ALICE), List.of("*"), 1000, 2048, secondSeen);
        EmbeddedChannel ch = bobConnection(bob, second);
        deliver(ch, chunk("msg-8", "1-2/2", "hi", '$'));
        deliver(ch, retarget(chunk("msg-9", "1-3/3", "yo!", '$'), BOB2, ALICE));
        assertThat(bobSeen.messages).extracting(Got::messageId).containsExactly("msg-8");
        assertThat(secondSeen.messages).extracting(Got::messageId).containsExactly("msg-9");
        written(ch);

        MsrpUri stranger = MsrpUri.parse("msrp://evil.example.com:1/x1y2z3;tcp").orElseThrow();
        deliver(ch, retarget(chunk("msg-10", "1-2/2", "hi", '$'), BOB, stranger));
        MsrpUri unknown = MsrpUri.parse("msrp://bob.example.com:8888/nosuchsession;tcp").orElseThrow();
        deliver(ch, retarget(chunk("msg-11", "1-2/2", "hi", '$'), unknown, ALICE));
        assertThat(written(ch)).extracting(m -> ((MsrpResponse) m).status()).containsExactly(481, 481);
        assertThat(bobSeen.messages).hasSize(1);
    }

    @Test
    @DisplayName("RFC 4975 §7.2: a failure response to one of our chunks reports the message failed")
    void failureResponse() {
        MsrpRequest sent = alice.send("text/plain", "hello".getBytes(StandardCharsets.UTF_8), false).getFirst();
        alice.receive(MsrpResponse.to(sent, 415, "MIME-not-understood", List.of()));
        assertThat(aliceSeen.reports).containsExactly(415);
    }

    @Test
    @DisplayName("RFC 4975 §7.1.1: a large binary body survives chunking and reassembly byte for byte")
    void binaryRoundTrip() {
        MsrpSession big = new MsrpSession(BOB, List.of(ALICE), List.of("*"), 1_000_000, 2048, bobSeen);
        byte[] data = new byte[200_000];
        new Random(7).nextBytes(data);
        for (MsrpRequest r : alice.send("image/jpeg", data, false)) {
            big.receive(r);
        }
        assertThat(bobSeen.messages).singleElement().satisfies(m -> assertThat(m.content()).isEqualTo(data));
    }

    @Test
    @DisplayName("RFC 4975 §7.2: a listener that refuses a whole message has its last chunk answered with that status, "
            + "no success report")
    void listenerRefusal() {
        MsrpSession full = new MsrpSession(BOB, List.of(ALICE), List.of("*"), 10_000, 2048, (session, id, type, content) -> {
            throw new MessageRefused(413, "The recipient's message store is full");
        });
        MsrpRequest last = withHeader(chunk("m9", "1-3/3", "abc", '$'), "Success-Report", "yes");
        assertThat(full.receive(last)).singleElement().satisfies(m -> {
            assertThat(((MsrpResponse) m).status()).isEqualTo(413);
            assertThat(((MsrpResponse) m).comment()).isEqualTo("The recipient's message store is full");
        });
    }

    @Test
    @DisplayName("RFC 4975 §7.3: with an executor the messages of one connection are handled in order, off the I/O thread")
    void handlerOnExecutorKeepsOrder() throws Exception {
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        MsrpSession slow = new MsrpSession(BOB, List.of(ALICE), List.of("*"), 10_000, 2048, (session, id, type, content) -> {
            order.add(id + "@" + Thread.currentThread().isVirtual());
        });
        MsrpSessions all = new MsrpSessions();
        all.add(slow);
        java.util.concurrent.ExecutorService work = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        EmbeddedChannel ch = new EmbeddedChannel(new MsrpEncoder(), new MsrpDecoder(MsrpLimits.DEFAULT),
                new MsrpEndpointHandler(all, work));
        for (int i = 0; i < 40; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(chunk("msg-" + i, "1-1/1", "x", '$').encode()));
        }
        work.shutdown();
        assertThat(work.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        ch.runPendingTasks();
        assertThat(order).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(order.get(i)).isEqualTo("msg-" + i + "@true");
        }
        assertThat(written(ch)).hasSize(40).allSatisfy(m -> assertThat(((MsrpResponse) m).status()).isEqualTo(200));
        assertThat(ch.config().isAutoRead()).as("reading resumed").isTrue();
    }

    private static MsrpRequest chunk(String messageId, String range, String body, char flag) {
        return new MsrpRequest(MsrpSession.newId(), "SEND", List.of(new MsrpHeader("To-Path", BOB.toString()),
                new MsrpHeader("From-Path", ALICE.toString()), new MsrpHeader("Message-ID", messageId),
                new MsrpHeader("Byte-Range", range), new MsrpHeader("Content-Type", "text/plain")),
                body.getBytes(StandardCharsets.UTF_8), flag);
    }

    private static MsrpRequest retarget(MsrpRequest r, MsrpUri to, MsrpUri from) {
        return r.forwarded(r.transactionId(), List.of(to), List.of(from));
    }

    @Test
    @DisplayName("RFC 4975 §5.4: the peer's first request binds the session to its connection; this side's own SENDs go over "
            + "it, unanswered chunks are counted until answered; the connection's end is told once")
    void bindsToThePeersConnection() {
        List<String> seen = new ArrayList<>();
        MsrpSession focus = new MsrpSession(BOB, List.of(ALICE), List.of("*"), 10_000, 2048, new SessionListener() {
            @Override
            public void message(MsrpSession session, String messageId, String contentType, byte[] content) {
                seen.add("message");
            }

            @Override
            public void connected(MsrpSession session, MsrpLink link) {
                seen.add("connected");
            }

            @Override
            public void disconnected(MsrpSession session) {
                seen.add("disconnected");
            }
        });
        assertThat(focus.link()).isEmpty();
        EmbeddedChannel ch = bobConnection(focus);
        deliver(ch, alice.send("text/plain", "hi".getBytes(StandardCharsets.UTF_8), false).getFirst());
        assertThat(seen).containsExactly("connected", "message");
        written(ch);

        focus.link().orElseThrow().send(focus.send("text/plain", "x".repeat(3000).getBytes(StandardCharsets.UTF_8), false));
        assertThat(focus.unanswered()).isEqualTo(2);
        List<MsrpMessage> out = written(ch);
        assertThat(out).hasSize(2).allSatisfy(m -> assertThat(((MsrpRequest) m).toPath()).containsExactly(ALICE));
        focus.receive(MsrpResponse.to((MsrpRequest) out.getFirst(), 200, "OK", List.of()));
        assertThat(focus.unanswered()).isEqualTo(1);

        ch.close();
        assertThat(seen).containsExactly("connected", "message", "disconnected");
    }
}
