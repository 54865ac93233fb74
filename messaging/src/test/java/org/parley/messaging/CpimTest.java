package org.parley.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 3862 CPIM message headers: From, the encapsulated type, malformed bodies")
class CpimTest {
    private static Optional<Cpim> parse(String text) {
        return Cpim.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("RFC 3862 §5.1: From is [Formal-name] <URI>; the URI is what identifies the sender")
    void fromUri() {
        assertThat(parse("From: \"Alice A.\" <im:alice@example.com>\r\n\r\nContent-Type: text/plain\r\n\r\nhi")
                .orElseThrow().fromUri()).hasValue("im:alice@example.com");
        assertThat(parse("To: <sip:bob@example.com>\r\n\r\nhi").orElseThrow().fromUri()).isEmpty();
        for (String bad : new String[] {"sip:alice@example.com", "<sip:alice@example.com> x", "<>", "<sip:a@b"}) {
            Cpim cpim = parse("From: " + bad + "\r\n\r\nhi").orElseThrow();
            assertThatThrownBy(cpim::fromUri).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    @DisplayName("RFC 3862 §3: no header block, a header line without a colon, or two From headers is no CPIM message")
    void malformed() {
        assertThat(parse("just text")).isEmpty();
        assertThat(parse("From <sip:a@b>\r\n\r\nhi")).isEmpty();
        assertThat(parse("From: <sip:a@b>\r\nfrom: <sip:c@b>\r\n\r\nhi")).isEmpty();
    }

    @Test
    @DisplayName("RFC 5438 §7: the encapsulated type is read from the content's own headers only")
    void reports() {
        Cpim report = parse("From: <sip:a@b>\r\nNS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: n1\r\n\r\n"
                + "Content-type: Message/IMDN+xml; charset=utf-8\r\nContent-Disposition: notification\r\n\r\n<imdn/>")
                .orElseThrow();
        assertThat(report.contentType()).hasValue("Message/IMDN+xml; charset=utf-8");
        assertThat(report.imdnMessageId()).hasValue("n1");
        Cpim text = parse("From: <sip:a@b>\r\n\r\nContent-Type: text/plain\r\n\r\nContent-Type: message/imdn+xml")
                .orElseThrow();
        assertThat(text.contentType()).hasValue("text/plain");
    }
}
