package org.parley.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.Via;

/**
 * The SIP parser and encoder (RFC 3261 §7, §25) on what the MESSAGE and REGISTER benches send: the
 * authenticated MESSAGE and REGISTER as they arrive from a UDP client, the MESSAGE relayed and the
 * device's 200 relayed back, as the proxy does for every hop. Run with {@code -prof gc} for the bytes
 * allocated per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class SipCodecBenchmark {
    /**
     * The second MESSAGE of bench/message-digest.xml as SIPp 3.6 sends it (its branch, Call-ID and
     * tag forms, its digest line), i.e. as Parley receives it from a UDP client.
     */
    static final byte[] MESSAGE = ("MESSAGE sip:rcp00042@localhost SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:24061;branch=z9hG4bK-52121-421-2;rport\r\n"
            + "From: <sip:snd00421@localhost>;tag=52121SIPpTag00421\r\n"
            + "To: <sip:rcp00042@localhost>\r\n"
            + "Call-ID: 421-52121@127.0.0.1\r\n"
            + "CSeq: 2 MESSAGE\r\n"
            + "Proxy-Authorization: Digest username=\"snd00421\",realm=\"localhost\",cnonce=\"6b8b4567\",nc=00000001,"
            + "qop=auth,uri=\"sip:rcp00042@localhost\",nonce=\"AAABk4Zq2xW1c3B6mQ8o0v0rJgq3fC0l7l9bq4Hx5y6TQk3sJ0a8\","
            + "response=\"3f0a8b1c2d4e5f60718293a4b5c6d7e8\",algorithm=MD5\r\n"
            + "Max-Forwards: 70\r\n"
            + "Content-Type: text/plain\r\n"
            + "User-Agent: SIPp parley-bench\r\n"
            + "Content-Length: 44\r\n"
            + "\r\n"
            + "Bench message 421 from snd00421 to rcp00042.").getBytes(StandardCharsets.US_ASCII);

    /** The second REGISTER of bench/register-digest.xml (with Authorization), as SIPp sends it. */
    static final byte[] REGISTER = ("REGISTER sip:localhost SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:24061;branch=z9hG4bK-52131-977-2;rport\r\n"
            + "From: <sip:user00977@localhost>;tag=52131SIPpTag00977\r\n"
            + "To: <sip:user00977@localhost>\r\n"
            + "Call-ID: 977-52131@127.0.0.1\r\n"
            + "CSeq: 2 REGISTER\r\n"
            + "Contact: <sip:user00977@127.0.0.1:24061;transport=UDP>\r\n"
            + "Authorization: Digest username=\"user00977\",realm=\"localhost\",cnonce=\"6b8b4567\",nc=00000001,"
            + "qop=auth,uri=\"sip:localhost\",nonce=\"AAABk4Zq2xW1c3B6mQ8o0v0rJgq3fC0l7l9bq4Hx5y6TQk3sJ0a8\","
            + "response=\"9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f\",algorithm=MD5\r\n"
            + "Max-Forwards: 70\r\n"
            + "Expires: 3600\r\n"
            + "User-Agent: SIPp parley-bench\r\n"
            + "Content-Length: 0\r\n"
            + "\r\n").getBytes(StandardCharsets.US_ASCII);

    /** The recipient device's 200 to the relayed MESSAGE (bench/message-uas.xml), Parley's Via on top. */
    static final byte[] RELAYED_OK = ("SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:24000;branch=z9hG4bKp1c2f9a0e7d3b41a6\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:24061;received=127.0.0.1;branch=z9hG4bK-52121-421-2;rport=24061\r\n"
            + "From: <sip:snd00421@localhost>;tag=52121SIPpTag00421\r\n"
            + "To: <sip:rcp00042@localhost>;tag=52122SIPpUAS00042\r\n"
            + "Call-ID: 421-52121@127.0.0.1\r\n"
            + "CSeq: 2 MESSAGE\r\n"
            + "Content-Length: 0\r\n"
            + "\r\n").getBytes(StandardCharsets.US_ASCII);

    private SipMessage parsed;

    @Setup
    public void setUp() {
        parsed = SipParser.parse(MESSAGE);
    }

    @Benchmark
    public SipMessage parse() {
        return SipParser.parse(MESSAGE);
    }

    @Benchmark
    public byte[] encode() {
        return parsed.encode();
    }

    @Benchmark
    public byte[] parseAndEncode() {
        return SipParser.parse(MESSAGE).encode();
    }

    /**
     * The MESSAGE as the relay treats it: parsed, its top Via read, the sender's credentials
     * removed, Parley's Via added on top, encoded for the device.
     */
    @Benchmark
    public byte[] relayMessage() {
        SipMessage m = SipParser.parse(MESSAGE);
        Headers h = m.headers().remove(HeaderNames.PROXY_AUTHORIZATION)
                .prepend(HeaderNames.VIA, "SIP/2.0/UDP 127.0.0.1:24000;branch=z9hG4bKp1c2f9a0e7d3b41a6");
        return m.withHeaders(h).encode();
    }

    /**
     * {@link #relayMessage} as the server does it, with its Via objects: the transport stamps
     * received and rport on the top Via (§18.2.1, RFC 3581), the proxy removes the credentials and
     * puts its own Via on top (§16.6 step 8), and the request is encoded for the device.
     */
    @Benchmark
    public byte[] stampAndRelayMessage() {
        SipMessage m = SipParser.parse(MESSAGE);
        Via top = m.topVia();
        Headers stamped = m.headers().withTopVia(top.withParam("received", "127.0.0.1").withParam("rport", "24061"));
        Headers h = stamped.remove(HeaderNames.PROXY_AUTHORIZATION).prependVia(PROXY_VIA);
        return m.withHeaders(h).encode();
    }

    private static final Via PROXY_VIA = Via.parse("SIP/2.0/UDP 127.0.0.1:24000;branch=z9hG4bKp1c2f9a0e7d3b41a6;rport");

    @Benchmark
    public byte[] parseAndEncodeRegister() {
        return SipParser.parse(REGISTER).encode();
    }

    /** The device's 200 relayed upstream (§16.7 step 3): parsed, the top Via removed, encoded. */
    @Benchmark
    public byte[] relayResponse() {
        SipMessage m = SipParser.parse(RELAYED_OK);
        m.topVia();
        return m.withHeaders(m.headers().removeFirstValue(HeaderNames.VIA)).encode();
    }

    /** The answer to a parsed request, as every request gets one (a 407, a 200 relayed, a 202), encoded. */
    @Benchmark
    public byte[] answer() {
        return ((SipRequest) parsed).createResponse(200, "5212SIPpTag01").encode();
    }

    /** The list headers the router, the validator and the pager look for in a MESSAGE, which has none of them. */
    @Benchmark
    public void absentListHeaders(Blackhole out) {
        out.consume(parsed.headers().values(HeaderNames.ROUTE));
        out.consume(parsed.headers().values(HeaderNames.REQUIRE));
        out.consume(parsed.headers().values(HeaderNames.PROXY_REQUIRE));
        out.consume(parsed.headers().values("Privacy"));
    }

    /**
     * Parsed, then read as the layers read a MESSAGE on its way in: the transport's received/rport
     * check and the transaction key (top Via), the server transaction's and the router's To tag,
     * the pager's anonymity and identity checks (From), the answer's To, the usage record's CSeq.
     */
    @Benchmark
    public void parseAndRead(Blackhole out) {
        SipMessage m = SipParser.parse(MESSAGE);
        out.consume(m.topVia());
        out.consume(m.topVia());
        out.consume(m.to());
        out.consume(m.to());
        out.consume(m.from());
        out.consume(m.from());
        out.consume(m.to());
        out.consume(m.cseq());
    }
}
