package org.parley.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.testkit.Rfc4475;

/**
 * RFC 4475 torture messages at the parser: every must-parse message parses, every malformed one
 * is refused with the status its MANIFEST gives (400, or 505 for the version). The same corpus is
 * replayed over the wire by the server's tests.
 */
@DisplayName("RFC 4475 torture messages: parser outcome per message")
class Rfc4475ParserTest {

    static Iterable<String> names() {
        return Rfc4475.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void parsesOrRefusesAsRfc4475Says(String name) throws IOException {
        byte[] bytes = Rfc4475.message(name);
        int expected = Rfc4475.EXPECTED.get(name);
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
        assertThat(Rfc4475.message(name)).isNotEmpty();
    }
}
