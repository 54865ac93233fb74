package org.parley.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.messaging.Cpim;

@DisplayName("RFC 3862 in rooms: session members' CPIM opened (To: the room or one member), copies wrapped; malformed CPIM refused")
class RoomCpimTest {
    private static final String ROOM = "sip:room_lobby@groups.example.org";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static RoomCpim.Inbound read(String body) {
        return RoomCpim.read(ROOM, "message/cpim", bytes(body));
    }

    @Test
    @DisplayName("RFC 3862 §3: To the room is for everyone, To a member's entity or address is private; the content is opened byte-exact")
    void opens() {
        RoomCpim.Inbound all = read("From: <sip:bob@example.org>\r\nTo: <" + ROOM + ">\r\n\r\n"
                + "Content-Type: text/plain;charset=UTF-8\r\n\r\nGrüße\r\nline 2");
        assertThat(all.to()).isEmpty();
        assertThat(all.contentType()).isEqualTo("text/plain;charset=UTF-8");
        assertThat(new String(all.body(), StandardCharsets.UTF_8)).isEqualTo("Grüße\r\nline 2");
        assertThat(read("From: <sip:bob@example.org>\r\n\r\nContent-Type: text/plain\r\n\r\nno To").to()).isEmpty();
        assertThat(read("To: <" + ROOM + ";screen-name=K%C3%A4the>\r\n\r\nContent-Type: text/plain\r\n\r\nhi").to())
                .hasValue("Käthe");
        assertThat(read("To: Carol <sip:carol@example.org>\n\nContent-Type: text/plain\n\nhi").to())
                .hasValue("sip:carol@example.org");
        RoomCpim.Inbound plain = RoomCpim.read(ROOM, "text/plain", bytes("#list"));
        assertThat(plain.to()).isEmpty();
        assertThat(plain.contentType()).isEqualTo("text/plain");
    }

    @Test
    @DisplayName("malformed CPIM: no headers, no content type, no content, a To that is no [name] <URI>, two senders -> 400")
    void malformed() {
        for (String bad : new String[] {"just text", "To: <" + ROOM + ">\r\n\r\nhello",
                "To: <" + ROOM + ">\r\n\r\nContent-Type: text/plain",
                "To: sip:carol@example.org\r\n\r\nContent-Type: text/plain\r\n\r\nhi",
                "To: <not a uri>\r\n\r\nContent-Type: text/plain\r\n\r\nhi",
                "From: <sip:a@x>\r\nFrom: <sip:b@x>\r\n\r\nContent-Type: text/plain\r\n\r\nhi",
                "Bad Header Name: x\r\n\r\nContent-Type: text/plain\r\n\r\nhi", ""}) {
            assertThatThrownBy(() -> read(bad)).as(bad).isInstanceOf(RoomException.class)
                    .satisfies(e -> assertThat(((RoomException) e).kind()).isEqualTo(RoomException.Kind.BAD_REQUEST));
        }
    }

    @Test
    @DisplayName("RFC 3862 §5: a copy names its sender (display name escaped) and recipient, dated, with the content after its type")
    void wraps() {
        byte[] cpim = RoomCpim.wrap("Kay \"K\" [private]", ROOM + ";screen-name=Kay", "sip:bob@example.org",
                Instant.parse("2026-12-06T19:00:00Z"), "text/plain;charset=UTF-8", bytes("hi\r\nthere"));
        String text = new String(cpim, StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("From: \"Kay \\\"K\\\" [private]\" <" + ROOM + ";screen-name=Kay>\r\n"
                + "To: <sip:bob@example.org>\r\nDateTime: 2026-12-06T19:00:00Z\r\n\r\n"
                + "Content-Type: text/plain;charset=UTF-8\r\n\r\nhi\r\nthere");
        Cpim parsed = Cpim.parse(cpim).orElseThrow();
        assertThat(parsed.fromUri()).hasValue(ROOM + ";screen-name=Kay");
        assertThat(parsed.contentType()).hasValue("text/plain;charset=UTF-8");
        assertThat(RoomCpim.read(ROOM, "message/cpim", cpim).body()).isEqualTo(bytes("hi\r\nthere"));
    }
}
