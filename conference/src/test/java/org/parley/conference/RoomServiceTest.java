package org.parley.conference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Room answers over SIP: RFC 3261 §25.1 reason phrases from members' text, statuses per refusal")
class RoomServiceTest {

    @Test
    @DisplayName("malformed: control characters, line breaks and very long text never reach a reason phrase")
    void reasonPhrases() {
        assertThat(RoomService.reason("Settings saved: topic a\u0000b\u0007c\nsecond line")).isEqualTo(
                "Settings saved: topic a b c");
        assertThat(RoomService.reason("\r\n")).isEqualTo("OK");
        assertThat(RoomService.reason("x".repeat(5000))).hasSize(201);
        assertThat(RoomService.reason("Grüße ✓")).isEqualTo("Grüße ✓");
    }

    @Test
    @DisplayName("refusals map to 400, 403 and 404, the reason phrase saying which")
    void statuses() {
        assertThat(RoomService.status(RoomException.Kind.BAD_REQUEST)).isEqualTo(400);
        assertThat(RoomService.status(RoomException.Kind.FORBIDDEN)).isEqualTo(403);
        assertThat(RoomService.status(RoomException.Kind.DISABLED)).isEqualTo(403);
        assertThat(RoomService.status(RoomException.Kind.CONFLICT)).isEqualTo(403);
        assertThat(RoomService.status(RoomException.Kind.NOT_FOUND)).isEqualTo(404);
    }
}
