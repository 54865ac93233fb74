package org.parley.accounts;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("E.164 numbers as account identities (PP-45, C1)")
class E164Test {
    @ParameterizedTest
    @ValueSource(strings = {"+442079460000", "+44 20 7946-0000", "+44 (20) 7946.0000", "tel:+44-20-7946-0000",
            "TEL:+442079460000", "tel:+44-20-7946-0000;ext=1", "  +44 20 7946 0000  "})
    void acceptsCommonSpellings(String spelling) {
        assertThat(E164.normalize(spelling)).isEqualTo("+442079460000");
        assertThat(E164.parse(spelling)).contains("+442079460000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+12", "+123456789012345"})
    void acceptsTwoToFifteenDigits(String number) {
        assertThat(E164.normalize(number)).isEqualTo(number);
    }

    @ParameterizedTest
    @ValueSource(strings = {"442079460000", "0044 20 7946 0000", "+1", "+", "+1234567890123456", "+44 20 ABC",
            "+0442079460000", "tel:442079460000", "", "sip:+442079460000@example.com"})
    void refusesWhatIsNotAnE164Number(String input) {
        assertThatThrownBy(() -> E164.normalize(input)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("E.164");
        assertThat(E164.parse(input)).isEmpty();
    }
}
