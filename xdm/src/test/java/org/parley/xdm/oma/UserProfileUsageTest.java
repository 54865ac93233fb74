package org.parley.xdm.oma;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.parley.xdm.xcap.Xml;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserProfileUsageTest {
    private final UserProfileUsage usage = new UserProfileUsage();

    static String profile(String uri, String body) {
        return "<user-profile xmlns=\"urn:oma:xml:xdm:user-profile\" xmlns:px=\"urn:parley:xml:ns:xdm-ext\" uri=\""
                + uri + "\">" + body + "</user-profile>";
    }

    private void validate(String xml, DocumentContext where) throws XcapConflict {
        usage.validate(Xml.parse(xml.getBytes(StandardCharsets.UTF_8)), where);
    }

    @Test
    @DisplayName("UC 5.19 a profile holds the search values and the user's search and authorisation choices")
    void readsValues() throws Exception {
        String xml = profile("sip:jan@example.org", """
                <display-name>Jan Diver</display-name>
                <communication-addresses><uri>tel:+31201234567</uri></communication-addresses>
                <birth-date>1990-04-01</birth-date><gender>female</gender>
                <address><locality>Lyon</locality><country>FR</country></address>
                <freetext>scuba diving and jazz</freetext>
                <px:intention>friendship</px:intention><px:searchable>true</px:searchable>
                <px:authorisation-required>1</px:authorisation-required>""");
        validate(xml, UserProfileUsage.of("sip:jan@example.org"));

        UserProfile p = UserProfile.read(Xml.parse(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(p).isEqualTo(new UserProfile(Optional.of(LocalDate.of(1990, 4, 1)), Optional.of("female"),
                Optional.of("friendship"), Optional.of("Lyon"), Optional.of("FR"),
                Optional.of("scuba diving and jazz"), Optional.of(true), true));
    }

    @Test
    @DisplayName("nobody publishes a profile in another's name, nor under another document name")
    void ownerOnly() {
        assertThatThrownBy(() -> validate(profile("sip:jan@example.org", ""), UserProfileUsage.of("sip:bob@example.org")))
                .isInstanceOf(XcapConflict.class).extracting("condition").isEqualTo("constraint-failure");
        assertThatThrownBy(() -> validate(profile("sip:jan@example.org", ""),
                new DocumentContext(UserProfileUsage.AUID, false, "sip:jan@example.org", "other")))
                .isInstanceOf(XcapConflict.class).extracting("condition").isEqualTo("constraint-failure");
        assertThatThrownBy(() -> validate(profile("sip:jan@example.org", "<gender>robot</gender>"),
                UserProfileUsage.of("sip:jan@example.org")))
                .isInstanceOf(XcapConflict.class).extracting("condition").isEqualTo("schema-validation-error");
        assertThatThrownBy(() -> validate(profile("sip:jan@example.org", "<birth-date>12345-01-01</birth-date>"),
                UserProfileUsage.of("sip:jan@example.org")))
                .as("schema-valid but beyond java.time").isInstanceOf(XcapConflict.class)
                .extracting("condition").isEqualTo("constraint-failure");
    }
}
