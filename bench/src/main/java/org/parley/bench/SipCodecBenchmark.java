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
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;

/**
 * The SIP parser and encoder (RFC 3261 §7, §25) on the requests the MESSAGE bench sends: the
 * authenticated MESSAGE as it arrives from a UDP client, and the same request encoded again, as the
 * proxy does for every hop.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class SipCodecBenchmark {
    /** The second MESSAGE of bench/message-digest.xml, with its Proxy-Authorization. */
    static final byte[] MESSAGE = ("MESSAGE sip:rcp00042@localhost SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-5212-1-2;rport\r\n"
            + "From: <sip:snd00421@localhost>;tag=5212SIPpTag001\r\n"
            + "To: <sip:rcp00042@localhost>\r\n"
            + "Call-ID: 1-5212@127.0.0.1\r\n"
            + "CSeq: 2 MESSAGE\r\n"
            + "Max-Forwards: 70\r\n"
            + "Proxy-Authorization: Digest username=\"snd00421\",realm=\"localhost\",cnonce=\"6b8b4567\",nc=00000001,"
            + "qop=auth,uri=\"sip:rcp00042@localhost\",nonce=\"AAABk4Zq2xW1c3B6mQ8o0v0rJgq3fC0l7l9bq4Hx5y6T\","
            + "response=\"3f0a8b1c2d4e5f60718293a4b5c6d7e8\",algorithm=MD5\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 25\r\n"
            + "\r\n"
            + "Hello from the benchmark!").getBytes(StandardCharsets.US_ASCII);

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
