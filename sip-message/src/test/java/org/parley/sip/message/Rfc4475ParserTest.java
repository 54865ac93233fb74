package org.parley.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 4475 torture messages at the parser: every must-parse message parses, every malformed one
 * is refused with the status its MANIFEST gives (400, or 505 for the version). The same corpus is
 * replayed over the wire by the server's tests.
 */
@DisplayName("RFC 4475 torture messages: parser outcome per message")
class Rfc4475ParserTest {

    /** Parser-level outcome: 0 = parses, otherwise the status of the refusal. */
    static final Map<String, Integer> EXPECTED = Map.ofEntries(
            Map.entry("wsinv", 0), Map.entry("intmeth", 0), Map.entry("esc01", 0), Map.entry("escnull", 0),
            Map.entry("esc02", 0), Map.entry("lwsdisp", 0), Map.entry("longreq", 0), Map.entry("dblreq", 0),
            Map.entry("semiuri", 0), Map.entry("transports", 0), Map.entry("mpart01", 0), Map.entry("unreason", 0),
            Map.entry("noreason", 0), Map.entry("badinv01", 400), Map.entry("clerr", 400), Map.entry("ncl", 400),
            Map.entry("scalar02", 400), Map.entry("scalarlg", 400), Map.entry("quotbal", 400),
            Map.entry("ltgtruri", 400), Map.entry("lwsruri", 400), Map.entry("lwsstart", 400), Map.entry("trws", 400),
            Map.entry("escruri", 400), Map.entry("baddate", 0), Map.entry("regbadct", 400), Map.entry("badaspec", 400),
            Map.entry("baddn", 400), Map.entry("badvers", 505), Map.entry("mismatch01", 400),
            Map.entry("mismatch02", 400), Map.entry("bigcode", 400), Map.entry("badbranch", 0),
            Map.entry("insuf", 400), Map.entry("unkscm", 0), Map.entry("novelsc", 0), Map.entry("unksm2", 0),
            Map.entry("bext01", 0), Map.entry("invut", 0), Map.entry("regaut01", 0), Map.entry("multi01", 400),
            Map.entry("mcl01", 400), Map.entry("bcast", 0), Map.entry("zeromf", 0), Map.entry("cparam01", 0),
            Map.entry("cparam02", 0), Map.entry("regescrt", 0), Map.entry("sdp01", 0), Map.entry("inv2543", 0));

    static Path corpus() {
        String base = System.getProperty("parley.corpora", "../../shared/corpora");
        Path dir = Path.of(base, "rfc4475-torture");
        Assumptions.assumeTrue(Files.isDirectory(dir), "RFC 4475 corpus not found at " + dir + " (set -Dparley.corpora)");
        return dir;
    }

    static Iterable<String> names() {
        return EXPECTED.keySet().stream().sorted().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void parsesOrRefusesAsRfc4475Says(String name) throws IOException {
        byte[] bytes = Files.readAllBytes(corpus().resolve(name + ".dat"));
        int expected = EXPECTED.get(name);
        if (expected == 0) {
            SipMessage m = SipParser.parse(Unpooled.wrappedBuffer(bytes), true);
            assertThat(m.callId()).isNotEmpty();
        } else {
            assertThatThrownBy(() -> SipParser.parse(Unpooled.wrappedBuffer(bytes), true))
                    .isInstanceOfSatisfying(SipParseException.class, e -> {
                        assertThat(e.status()).isEqualTo(expected);
                        assertThat(e.getMessage()).isNotBlank();
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void everyMessageOfTheCorpusIsCovered(String name) {
        assertThat(Files.exists(corpus().resolve(name + ".dat"))).isTrue();
    }
}
