package org.parley.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Pager commands in room messages (UC 5.9, PP-26..PP-41 for pager-only clients)")
class PagerCommandTest {

    @Test
    @DisplayName("a command word, its arguments and the free text after them")
    void parses() {
        PagerCommand invite = PagerCommand.parse("  #INVITE bob hidden ");
        assertThat(invite.verb()).isEqualTo(PagerCommand.Verb.INVITE);
        assertThat(invite.arg(0)).hasValue("bob");
        assertThat(invite.has("hidden")).isTrue();

        PagerCommand msg = PagerCommand.parse("#msg carol  see you at  8 ");
        assertThat(msg.arg(0)).hasValue("carol");
        assertThat(msg.rest()).isEqualTo("see you at  8");

        PagerCommand topic = PagerCommand.parse("#topic Friday's plan\tand more");
        assertThat(topic.rest()).isEqualTo("Friday's plan\tand more");
        assertThat(PagerCommand.parse("#join").args()).isEmpty();
    }

    @Test
    @DisplayName("only text that starts with # and a letter is a command; '#1 fan' is a message")
    void recognisesCommands() {
        assertThat(PagerCommand.isCommand("#join")).isTrue();
        assertThat(PagerCommand.isCommand("  #list")).isTrue();
        assertThat(PagerCommand.isCommand("#1 fan")).isFalse();
        assertThat(PagerCommand.isCommand("# join")).isFalse();
        assertThat(PagerCommand.isCommand("hello #join")).isFalse();
        assertThat(PagerCommand.isCommand("#")).isFalse();
        assertThat(PagerCommand.isCommand("")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"#invite", "#kick", "#ban   ", "#msg", "#msg bob", "#msg bob   ", "#topic", "#name",
            "#max", "#unban", "#cancel"})
    @DisplayName("malformed: a command without its arguments is a 400 naming its usage")
    void missingArguments(String text) {
        assertThatThrownBy(() -> PagerCommand.parse(text)).isInstanceOfSatisfying(RoomException.class, e -> {
            assertThat(e.kind()).isEqualTo(RoomException.Kind.BAD_REQUEST);
            assertThat(e.getMessage()).startsWith("Usage: #");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"#frobnicate", "#join\u0000evil", "#jo\r\nin", "#joinx", "#x"})
    @DisplayName("malformed: an unknown command is a 400 that repeats only printable letters of it")
    void unknownCommands(String text) {
        assertThatThrownBy(() -> PagerCommand.parse(text)).isInstanceOfSatisfying(RoomException.class, e -> {
            assertThat(e.kind()).isEqualTo(RoomException.Kind.BAD_REQUEST);
            assertThat(e.getMessage()).doesNotContain("\r", "\n", "\u0000");
        });
    }

    @Test
    @DisplayName("malformed: a very long unknown command word is clipped in the answer")
    void clipsLongWords() {
        assertThatThrownBy(() -> PagerCommand.parse("#" + "a".repeat(5000)))
                .isInstanceOfSatisfying(RoomException.class, e -> assertThat(e.getMessage()).hasSizeLessThan(80));
    }

    @Test
    @DisplayName("#help lists every command with its usage")
    void help() {
        String help = PagerCommand.help();
        for (PagerCommand.Verb v : PagerCommand.Verb.values()) {
            assertThat(help).contains(v.word());
        }
        assertThat(help).contains("#invite <user> [hidden]");
    }
}
