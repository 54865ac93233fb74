package org.parley.sip.transport;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipParser;

/**
 * Counting one message in and one out ({@link TransportMetrics}), as the transport does for every
 * datagram it receives and sends. In this package because the metrics are package-private.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class TransportMetricsBenchmark {
    private TransportMetrics metrics;
    private SipMessage message;

    @Setup
    public void setUp() {
        metrics = new TransportMetrics(new SimpleMeterRegistry());
        message = SipParser.parse(("MESSAGE sip:rcp00042@localhost SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-5212-1-2\r\n"
                + "From: <sip:snd00421@localhost>;tag=1\r\nTo: <sip:rcp00042@localhost>\r\n"
                + "Call-ID: 1-5212@127.0.0.1\r\nCSeq: 2 MESSAGE\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    @Benchmark
    public void receivedAndSent() {
        metrics.received(Transport.UDP, message);
        metrics.sent(Transport.UDP, message);
    }
}
