package org.parley.messaging;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("PP2-23 blocked senders compare by canonical identity")
class SenderIdentityTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "sip:Bob@Example.org;transport=tcp      | sip:bob@example.org",
            "SIP:bob@example.org:5061               | sip:bob@example.org",
            "sips:bob@example.org                   | sip:bob@example.org",
            "sip:bob:secret@example.org?subject=hi  | sip:bob@example.org",
            "\"Bob\" <sip:bob@example.org>;tag=a1    | sip:bob@example.org",
            "<sip:b%6Fb@example.org.>               | sip:bob@example.org",
            "sip:a;b@example.org                    | sip:a;b@example.org",
            "sip:example.org                        | sip:example.org",
            "sip:bob@[2001:DB8::1]:5060             | sip:bob@[2001:db8::1]",
            "tel:+1-555-123-4567                    | tel:+15551234567",
            "tel:+44(20)7946.0000;ext=22            | tel:+442079460000",
            "sip:+44-20-7946-0000@example.org;user=phone | tel:+442079460000",
            "sip:+442079460000@example.org          | sip:+442079460000@example.org",
            "anonymous                              | anonymous",
            "Anonymous                              | anonymous",
            "sip:anonymous@anonymous.invalid        | anonymous",
            "\"Anonymous\" <sip:thisis@Anonymous.invalid>;tag=9 | anonymous",
    })
    void canonicalForms(String input, String canonical) {
        assertThat(SenderIdentity.canonical(input)).hasValue(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bob", "bob@example.org", "mailto:bob@example.org", "http://example.org",
            "sip:", "sip:@example.org", "sip:bob@", "sip:bob@exa mple.org", "sip:b%zzob@example.org",
            "sip:b%20ob@example.org", "tel:5551234", "tel:+", "tel:+1234567890123456", "sip:bob@[::1"})
    void rejectsWhatIsNoSenderAddress(String input) {
        assertThat(SenderIdentity.canonical(input)).isEmpty();
    }

    @Test
    void surroundingSpaceAndNull() {
        assertThat(SenderIdentity.canonical(" sip:Alice@EXAMPLE.org ")).hasValue("sip:alice@example.org");
        assertThat(SenderIdentity.canonical(null)).isEmpty();
    }
}
