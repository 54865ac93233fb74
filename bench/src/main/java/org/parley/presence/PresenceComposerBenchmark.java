package org.parley.presence;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
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
import org.parley.registrar.Binding;
import org.parley.sip.message.SipUri;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;
import org.parley.xml.XmlWriter;

/**
 * The presence composer (RFC 3863, RFC 4479; {@link PresenceComposer}): two devices' publications
 * and two registrations composed into one PIDF document and written out, which is what a change of
 * a presentity costs before any watcher's view is cut from it. In this package because the composer
 * is package-private.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PresenceComposerBenchmark {
    private static final String ALICE = "sip:alice@localhost";
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private List<Publication> publications;
    private List<Binding> bindings;

    private static Publication publication(String etag, String tuple, String basic, String note, long at) {
        String pidf = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\""
                + " xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\" entity=\"" + ALICE + "\">\n"
                + "  <tuple id=\"" + tuple + "\"><status><basic>" + basic + "</basic></status>"
                + "<contact>sip:alice@192.0.2.7</contact><note>" + note + "</note></tuple>\n"
                + "  <dm:person id=\"p1\"><rpid:activities><rpid:busy/></rpid:activities></dm:person>\n"
                + "</presence>";
        try {
            return new Publication(ALICE, etag, Pidf.kept(Pidf.parse(pidf.getBytes(StandardCharsets.UTF_8))), T.plusSeconds(at),
                    T.plusSeconds(3600));
        } catch (Pidf.Invalid e) {
            throw new IllegalStateException(e);
        }
    }

    private static Binding binding(int port) {
        Flow flow = new Flow(Transport.TCP, new InetSocketAddress("127.0.0.1", 5060),
                new InetSocketAddress("127.0.0.1", port), "c" + port);
        return new Binding(ALICE, SipUri.parse("sip:alice@127.0.0.1:" + port + ";transport=tcp"), null, 0, 1.0f,
                T.plusSeconds(3600), "call-" + port, 1, List.of(), flow, "Bench/1.0", null, T);
    }

    @Setup
    public void setUp() {
        publications = List.of(publication("e1", "phone", "open", "In a meeting", 1),
                publication("e2", "laptop", "closed", "Away", 2));
        bindings = List.of(binding(40001), binding(40002));
    }

    @Benchmark
    public byte[] composeAndWrite() {
        return XmlWriter.document(PresenceComposer.compose(ALICE, publications, bindings));
    }
}
