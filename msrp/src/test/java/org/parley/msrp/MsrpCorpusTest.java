package org.parley.msrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A parser corpus in the style of the examples of RFC 4975 §4, §7 and RFC 4976 §5 (and RFC 7977
 * WebSocket URIs), with malformed variants: good-* decode without fault, bad-* are one 400 with
 * the connection kept, fatal-* close the connection. Files are kept with LF line ends and sent
 * with CRLF, as the wire has them.
 */
class MsrpCorpusTest {
    private static List<Object> decode(String file, EmbeddedChannel channel) throws IOException {
        try (InputStream in = MsrpCorpusTest.class.getResourceAsStream("/corpus/" + file)) {
            assertThat(in).as(file).isNotNull();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n").replace("\n", "\r\n");
            channel.writeInbound(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
        }
        List<Object> out = new ArrayList<>();
        for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
            out.add(o);
        }
        return out;
    }

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new MsrpDecoder(MsrpLimits.DEFAULT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"good-send.msrp", "good-response.msrp", "good-chunks.msrp", "good-report.msrp",
        "good-auth.msrp", "good-websocket-uris.msrp"})
    void goodMessagesDecode(String file) throws IOException {
        EmbeddedChannel ch = channel();
        List<Object> out = decode(file, ch);
        assertThat(out).isNotEmpty().allSatisfy(o -> assertThat(o).isInstanceOf(MsrpMessage.class));
        for (Object o : out) {
            // what decodes also encodes back to the same bytes and decodes again
            EmbeddedChannel again = channel();
            again.writeInbound(Unpooled.wrappedBuffer(((MsrpMessage) o).encode()));
            MsrpMessage round = again.readInbound();
            assertThat(round.encode()).isEqualTo(((MsrpMessage) o).encode());
        }
        assertThat(ch.isOpen()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad-no-from-path.msrp", "bad-range-lies.msrp", "bad-body-without-type.msrp",
        "bad-report-without-status.msrp", "bad-success-report-value.msrp", "bad-uri-without-transport.msrp",
        "bad-header-without-colon.msrp", "bad-status-namespace.msrp"})
    void badMessagesAre400(String file) throws IOException {
        EmbeddedChannel ch = channel();
        List<Object> out = decode(file, ch);
        assertThat(out).singleElement().isInstanceOfSatisfying(MalformedMsrp.class, m -> {
            assertThat(m.status()).isEqualTo(400);
            assertThat(m.transactionId()).isNotBlank();
        });
        assertThat(ch.isOpen()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"fatal-lowercase-protocol.msrp", "fatal-short-transaction-id.msrp"})
    void unframeableStreamsAreClosed(String file) throws IOException {
        EmbeddedChannel ch = channel();
        assertThat(decode(file, ch)).isEmpty();
        assertThat(ch.isOpen()).isFalse();
    }
}
