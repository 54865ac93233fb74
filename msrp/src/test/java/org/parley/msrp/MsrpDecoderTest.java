package org.parley.msrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 4975 §9 framing, §7.1.1 chunking and the limits: what the decoder makes of good and bad input. */
class MsrpDecoderTest {
    private static final String PATHS = "To-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp\r\n"
            + "From-Path: msrp://alicepc.example.com:7777/iau39soe2843z;tcp\r\n";

    private final EmbeddedChannel channel = new EmbeddedChannel(new MsrpDecoder(new MsrpLimits(1024, 4096)));

    private void feed(String text) {
        feed(text.getBytes(StandardCharsets.UTF_8));
    }

    private void feed(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    private <T> T next(Class<T> type) {
        Object o = channel.readInbound();
        assertThat(o).isInstanceOf(type);
        return type.cast(o);
    }

    private static String send(String tid, String range, String body, char flag) {
        return "MSRP " + tid + " SEND\r\n" + PATHS + "Message-ID: 12339sdqwer\r\nByte-Range: " + range + "\r\n"
                + "Content-Type: text/plain\r\n\r\n" + body + "\r\n-------" + tid + flag + "\r\n";
    }

    @Test
    @DisplayName("RFC 4975 §7.1.1: two chunks of one message, fed one byte at a time, decode to two SENDs")
    void chunksByteByByte() {
        String wire = send("d93kswow", "1-6/11", "Hello ", '+') + send("op2nc9a", "7-11/11", "world", '$');
        for (byte b : wire.getBytes(StandardCharsets.UTF_8)) {
            feed(new byte[] {b});
        }
        MsrpRequest first = next(MsrpRequest.class);
        assertThat(first.method()).isEqualTo("SEND");
        assertThat(first.transactionId()).isEqualTo("d93kswow");
        assertThat(first.continuation()).isEqualTo(MsrpRequest.MORE);
        assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("Hello ");
        assertThat(first.toPath()).containsExactly(MsrpUri.parse("msrp://bob.example.com:8888/9di4eae923wzd;tcp").orElseThrow());
        MsrpRequest second = next(MsrpRequest.class);
        assertThat(second.continuation()).isEqualTo(MsrpRequest.COMPLETE);
        assertThat(second.header("byte-range")).contains("7-11/11");
        assertThat(channel.inboundMessages()).isEmpty();
    }

    @Test
    @DisplayName("RFC 4975 §9, RFC 4976 §7.3: two SENDs cut in two at every byte, as TLS records may cut them, reach the "
            + "relay as the bytes received, which stay so while the decoder reads on; every read buffer is given back")
    void wireRequestsAtEveryCut() {
        byte[] first = send("d93kswow", "1-6/11", "Hello ", '+').getBytes(StandardCharsets.UTF_8);
        byte[] second = send("op2nc9a", "7-11/11", "world", '$').getBytes(StandardCharsets.UTF_8);
        byte[] wire = new byte[first.length + second.length];
        System.arraycopy(first, 0, wire, 0, first.length);
        System.arraycopy(second, 0, wire, first.length, second.length);
        String afterPaths = "Message-ID: 12339sdqwer\r\nByte-Range: 1-6/11\r\nContent-Type: text/plain\r\n\r\nHello \r\n";
        for (int cut = 1; cut < wire.length; cut++) {
            EmbeddedChannel relay = new EmbeddedChannel(new MsrpDecoder(new MsrpLimits(1024, 4096), true));
            ByteBuf head = record(wire, 0, cut);
            ByteBuf tail = record(wire, cut, wire.length - cut);
            List<WireRequest> got = new ArrayList<>();
            relay.writeInbound(head);
            WireRequest early = relay.readInbound();
            if (early != null) {
                got.add(early);
            }
            relay.writeInbound(tail);
            for (WireRequest w; (w = relay.readInbound()) != null; ) {
                got.add(w);
            }
            assertThat(got).as("cut at %d", cut).hasSize(2);
            assertThat(ByteBufUtil.getBytes(got.get(0).content())).as("cut at %d", cut).isEqualTo(first);
            assertThat(ByteBufUtil.getBytes(got.get(1).content())).as("cut at %d", cut).isEqualTo(second);
            ByteBuf rest = got.get(0).afterPaths();
            assertThat(rest.toString(StandardCharsets.UTF_8)).isEqualTo(afterPaths);
            assertThat(got.get(1).request().body()).isEqualTo("world".getBytes(StandardCharsets.UTF_8));
            rest.release();
            got.forEach(WireRequest::release);
            assertThat(relay.finish()).isFalse();
            assertThat(head.refCnt()).as("cut at %d: the first read buffer given back", cut).isZero();
            assertThat(tail.refCnt()).as("cut at %d: the second read buffer given back", cut).isZero();
        }
    }

    @Test
    @DisplayName("RFC 4975 §9, RFC 4976 §7.3: the relay's header fields repeated from the last SEND are the same values; "
            + "a line that differs by one byte, a malformed or non-UTF-8 one where a good one was, is read anew (400 for the bad)")
    void repeatedFieldsOnTheRelaysConnections() {
        EmbeddedChannel relay = new EmbeddedChannel(new MsrpDecoder(new MsrpLimits(1024, 4096), true));
        relay.writeInbound(record(send("tid00001", "1-6/11", "Hello ", '+')));
        WireRequest first = relay.readInbound();
        relay.writeInbound(record(send("tid00002", "7-11/11", "world", '$')));
        WireRequest second = relay.readInbound();
        assertThat(second.head().headers()).isEqualTo(first.head().headers().stream()
                .map(h -> h.name().equals("Byte-Range") ? new MsrpHeader("Byte-Range", "7-11/11") : h).toList());
        // the same length, one byte apart: another session's path
        String otherPath = send("tid00003", "1-2/2", "ok", '$').replace("9di4eae923wzd", "9di4eae923wzX");
        relay.writeInbound(record(otherPath));
        WireRequest third = relay.readInbound();
        assertThat(third.head().header(MsrpMessage.TO_PATH)).contains("msrp://bob.example.com:8888/9di4eae923wzX;tcp");
        // where Message-ID was: a line without a colon, then one that is not UTF-8
        relay.writeInbound(record("MSRP tid00004 SEND\r\n" + PATHS + "Message-ID 12339sdqwer\r\n-------tid00004$\r\n"));
        MalformedMsrp noColon = relay.readInbound();
        assertThat(noColon.status()).isEqualTo(400);
        byte[] latin1 = ("MSRP tid00005 SEND\r\n" + PATHS + "Message-ID: 12339sdq\u00e9er\r\n-------tid00005$\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        relay.writeInbound(PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(latin1));
        MalformedMsrp notUtf8 = relay.readInbound();
        assertThat(notUtf8.reason()).contains("UTF-8");
        relay.writeInbound(record(send("tid00006", "1-2/2", "ok", '$')));
        WireRequest again = relay.readInbound();
        assertThat(again.head().header(MsrpMessage.MESSAGE_ID)).contains("12339sdqwer");
        assertThat(again.head().header(MsrpMessage.TO_PATH)).contains("msrp://bob.example.com:8888/9di4eae923wzd;tcp");
        List.of(first, second, third, again).forEach(WireRequest::release);
        assertThat(relay.finish()).isFalse();
    }

    private static ByteBuf record(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return record(bytes, 0, bytes.length);
    }

    /** Bytes as one decrypted TLS record reaches the decoder: a pooled direct buffer. */
    private static ByteBuf record(byte[] wire, int from, int length) {
        return PooledByteBufAllocator.DEFAULT.directBuffer(length).writeBytes(wire, from, length);
    }

    @Test
    @DisplayName("RFC 4975 §7.1.1: '*' ranges and the '#' flag of an interrupted message")
    void unknownTotalAndInterrupted() {
        feed(send("abcd1234", "1-*/*", "partial", '#'));
        MsrpRequest r = next(MsrpRequest.class);
        assertThat(r.continuation()).isEqualTo(MsrpRequest.INTERRUPTED);
        assertThat(ByteRange.parse(r.header(MsrpMessage.BYTE_RANGE).orElseThrow()))
                .contains(new ByteRange(1, ByteRange.UNKNOWN, ByteRange.UNKNOWN));
    }

    @Test
    @DisplayName("RFC 4975 §7.2: a response with a comment, no body")
    void response() {
        feed("MSRP d93kswow 200 OK\r\n" + PATHS + "-------d93kswow$\r\n");
        MsrpResponse r = next(MsrpResponse.class);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.comment()).isEqualTo("OK");
    }

    @Test
    @DisplayName("RFC 4975 §9: a binary body holding CRLF, dashes and every byte value survives encode and decode")
    void binaryBody() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < 256; i++) {
            body.write(i);
        }
        body.writeBytes("\r\n-------abcd1234\r\n-------abcd1234x\r\n".getBytes(StandardCharsets.US_ASCII));
        MsrpRequest sent = new MsrpRequest("abcd1234", "SEND", List.of(
                new MsrpHeader("To-Path", "msrp://b.example.com/s1;tcp"), new MsrpHeader("From-Path", "msrp://a.example.com/s2;tcp"),
                new MsrpHeader("Message-ID", "m123"), new MsrpHeader("Byte-Range", "1-" + body.size() + "/" + body.size()),
                new MsrpHeader("Content-Type", "application/octet-stream")), body.toByteArray(), '$');
        feed(sent.encode());
        MsrpRequest got = next(MsrpRequest.class);
        assertThat(got.body()).isEqualTo(body.toByteArray());
        assertThat(got.encode()).isEqualTo(sent.encode());
    }

    @Test
    @DisplayName("RFC 4975 §9: a message cut off mid-body yields nothing and no error when the connection ends")
    void truncated() {
        String wire = send("abcd1234", "1-5/5", "Hello", '$');
        feed(wire.substring(0, wire.length() - 8));
        assertThat(channel.inboundMessages()).isEmpty();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    @DisplayName("RFC 4975 §9: an end-line with another transaction id ends the message as a 400; the next one decodes")
    void wrongEndLineWithoutBody() {
        feed("MSRP abcd1234 SEND\r\n" + PATHS + "Message-ID: m1\r\n-------zzzz9999$\r\n"
                + "MSRP efgh5678 200 OK\r\n" + PATHS + "-------efgh5678$\r\n");
        MalformedMsrp bad = next(MalformedMsrp.class);
        assertThat(bad.transactionId()).isEqualTo("abcd1234");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(next(MsrpResponse.class).transactionId()).isEqualTo("efgh5678");
    }

    @Test
    @DisplayName("RFC 4975 §9: the transaction id followed by a non-flag inside a body is content, not the end")
    void endLineLookAlikeInBody() {
        feed(send("abcd1234", "1-23/23", "x\r\n-------abcd1234!\r\nyz", '$'));
        assertThat(new String(next(MsrpRequest.class).body(), StandardCharsets.UTF_8)).isEqualTo("x\r\n-------abcd1234!\r\nyz");
    }

    @Test
    @DisplayName("RFC 4975 §7.1.1, §7.3: a Byte-Range that runs backwards or does not match the body is a 400")
    void badByteRanges() {
        feed(send("abcd1234", "5-2/10", "", '$'));
        assertThat(next(MalformedMsrp.class).status()).isEqualTo(400);
        feed(send("abcd1235", "1-10/20", "Hello", '$'));
        assertThat(next(MalformedMsrp.class).reason()).contains("does not match");
        feed(send("abcd1236", "1-x/20", "Hello", '$'));
        assertThat(next(MalformedMsrp.class).reason()).contains("Byte-Range");
        feed(send("abcd1237", "1-5/5", "Hello", '$'));
        assertThat(next(MsrpRequest.class).transactionId()).isEqualTo("abcd1237");
    }

    @Test
    @DisplayName("RFC 4975 §7.1: a SEND's Byte-Range says where its end-line is: found there whole or in pieces; a range shorter than the body is found out by the search and answered 400")
    void endLineWhereByteRangeSaysIt() {
        String wire = send("abcd1240", "1-11/11", "Hello world", '+') + send("abcd1241", "1-3/5", "Hello", '$')
                + send("abcd1242", "12-16/16", "again", '$');
        feed(wire);
        assertThat(new String(next(MsrpRequest.class).body(), StandardCharsets.UTF_8)).isEqualTo("Hello world");
        assertThat(next(MalformedMsrp.class).reason()).contains("does not match");
        assertThat(next(MsrpRequest.class).transactionId()).isEqualTo("abcd1242");
        byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < bytes.length; cut += 7) {
            EmbeddedChannel pieces = new EmbeddedChannel(new MsrpDecoder(new MsrpLimits(1024, 4096)));
            pieces.writeInbound(Unpooled.wrappedBuffer(bytes, 0, cut));
            pieces.writeInbound(Unpooled.wrappedBuffer(bytes, cut, bytes.length - cut));
            assertThat(pieces.<Object>readInbound()).as("cut at %d", cut).isInstanceOf(MsrpRequest.class);
            assertThat(pieces.<Object>readInbound()).as("cut at %d", cut).isInstanceOf(MalformedMsrp.class);
            assertThat(pieces.<MsrpRequest>readInbound().transactionId()).as("cut at %d", cut).isEqualTo("abcd1242");
            pieces.finishAndReleaseAll();
        }
    }

    @Test
    @DisplayName("RFC 4975 §9: header fields over the limit are a 400 for that transaction; the connection goes on")
    void oversizedHeaders() {
        feed("MSRP abcd1234 SEND\r\n" + PATHS + "X-Big: " + "a".repeat(2000) + "\r\n-------abcd1234$\r\n");
        MalformedMsrp bad = next(MalformedMsrp.class);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.reason()).contains("larger than");
        feed(send("efgh5678", "1-2/2", "ok", '$'));
        assertThat(next(MsrpRequest.class).transactionId()).isEqualTo("efgh5678");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    @DisplayName("RFC 4975 §7.3: a chunk over the limit is answered 413 at once and skipped to its end-line")
    void oversizedChunk() {
        feed(send("abcd1234", "1-5000/5000", "z".repeat(5000), '+'));
        MalformedMsrp bad = next(MalformedMsrp.class);
        assertThat(bad.status()).isEqualTo(413);
        assertThat(bad.transactionId()).isEqualTo("abcd1234");
        assertThat(channel.inboundMessages()).isEmpty();
        feed(send("efgh5678", "1-2/2", "ok", '$'));
        assertThat(next(MsrpRequest.class).transactionId()).isEqualTo("efgh5678");
    }

    @Test
    @DisplayName("RFC 4975 §9 (utf8text): invalid UTF-8 in a header field is a 400")
    void invalidUtf8Header() {
        byte[] head = ("MSRP abcd1234 SEND\r\n" + PATHS + "Message-ID: m1\r\nX-Name: ").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\r\n-------abcd1234$\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(head);
        wire.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        wire.writeBytes(tail);
        feed(wire.toByteArray());
        MalformedMsrp bad = next(MalformedMsrp.class);
        assertThat(bad.reason()).contains("UTF-8");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    @DisplayName("RFC 4975 §9: To-Path and From-Path come first; a path that is no MSRP URI is a 400")
    void pathRules() {
        feed("MSRP abcd1234 SEND\r\nMessage-ID: m1\r\n" + PATHS + "-------abcd1234$\r\n");
        assertThat(next(MalformedMsrp.class).reason()).contains("first");
        feed("MSRP abcd1235 SEND\r\nTo-Path: http://example.com/\r\nFrom-Path: msrp://a.example.com/x;tcp\r\n"
                + "Message-ID: m1\r\n-------abcd1235$\r\n");
        assertThat(next(MalformedMsrp.class).reason()).contains("To-Path");
    }

    @Test
    @DisplayName("RFC 4975 §9: a bad method token with a known transaction id is a 400; the stream resyncs")
    void badStartLineWithId() {
        feed("MSRP abcd1234 send lower\r\n" + PATHS + "-------abcd1234$\r\n" + send("efgh5678", "1-2/2", "ok", '$'));
        assertThat(next(MalformedMsrp.class).status()).isEqualTo(400);
        assertThat(next(MsrpRequest.class).transactionId()).isEqualTo("efgh5678");
    }

    @ParameterizedTest
    @ValueSource(strings = {"MSRP abcd1234 2000", "MSRP abcd1234 20", "MSRP abcd1234 200x", "MSRP abcd1234 200\u00a0OK",
            "MSRP abcd1234 SEND2", "MSRP abcd1234 Send", "MSRP abcd1234 200 OK\rmore", "MSRP abcd1234  SEND",
            "MSRP abcd1234\tSEND x"})
    @DisplayName("RFC 4975 §9: start lines that are neither method nor status-code [SP comment] are a 400 for their transaction; the stream resyncs")
    void malformedStartLines(String startLine) {
        feed(startLine + "\r\n" + PATHS + "-------abcd1234$\r\n" + send("efgh5678", "1-2/2", "ok", '$'));
        Object first = channel.readInbound();
        if (first instanceof MalformedMsrp m) {
            assertThat(m.status()).isEqualTo(400);
            assertThat(m.transactionId()).isEqualTo("abcd1234");
            assertThat(next(MsrpRequest.class).transactionId()).isEqualTo("efgh5678");
        } else {
            // no transaction id can be told from the line (a tab where the space belongs): not MSRP, closed
            assertThat(first).isNull();
            assertThat(channel.isOpen()).isFalse();
        }
    }

    @Test
    @DisplayName("RFC 4975 §9: a status line with and without a comment, and a method of capitals only")
    void wellFormedStartLines() {
        feed("MSRP abcd1234 200\r\n" + PATHS + "-------abcd1234$\r\n"
                + "MSRP abcd1235 403 not this one: you\r\n" + PATHS + "-------abcd1235$\r\n"
                + "MSRP abcd1236 NEWMETHOD\r\n" + PATHS + "-------abcd1236$\r\n");
        MsrpResponse ok = next(MsrpResponse.class);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.comment()).isEmpty();
        MsrpResponse refused = next(MsrpResponse.class);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.comment()).isEqualTo("not this one: you");
        assertThat(next(MsrpRequest.class).method()).isEqualTo("NEWMETHOD");
    }

    @Test
    @DisplayName("RFC 4975 §9: a stream that is not MSRP, or has no start line within the limit, is closed")
    void notMsrpClosed() {
        feed("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(channel.inboundMessages()).isEmpty();
        assertThat(channel.isOpen()).isFalse();

        EmbeddedChannel other = new EmbeddedChannel(new MsrpDecoder(new MsrpLimits(1024, 4096)));
        other.writeInbound(Unpooled.wrappedBuffer("MSRP ".concat("x".repeat(3000)).getBytes(StandardCharsets.US_ASCII)));
        assertThat(other.isOpen()).isFalse();

        EmbeddedChannel shortId = new EmbeddedChannel(new MsrpDecoder(new MsrpLimits(1024, 4096)));
        shortId.writeInbound(Unpooled.wrappedBuffer("MSRP ab SEND\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(shortId.isOpen()).isFalse();
    }

    @Test
    @DisplayName("RFC 4975 §6.1: URI comparison ignores case of scheme, host and transport but not the session id")
    void uriComparison() {
        MsrpUri a = MsrpUri.parse("msrp://Alice.Example.com:7777/iau39soe2843z;TCP").orElseThrow();
        assertThat(a).isEqualTo(MsrpUri.parse("msrp://alice.example.com:7777/iau39soe2843z;tcp").orElseThrow());
        assertThat(a).isNotEqualTo(MsrpUri.parse("msrp://alice.example.com:7777/IAU39SOE2843Z;tcp").orElseThrow());
        assertThat(MsrpUri.parse("msrps://relay.example.com;tcp")).isPresent();
        assertThat(MsrpUri.parse("msrp://df7jal23ls0d.invalid/98cjs;ws")).isPresent();
        assertThat(MsrpUri.parse("msrp://host:99999/x;tcp")).isEmpty();
        assertThat(MsrpUri.parse("msrp://host/x")).isEmpty();
    }
}
