package org.parley.xdm.usage.ietf;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.testkit.DatabaseTarget;
import org.parley.testkit.TestDatabases;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.parley.xdm.xcap.ApplicationUsages;
import org.parley.xdm.xcap.JdbiXcapStore;
import org.parley.xdm.xcap.XcapService;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The IETF usages' schemas and constraints beyond them. */
@DisplayName("RFC 4826 §3-4 resource-lists and rls-services, RFC 5025 pres-rules usages (C4, C5)")
class IetfUsagesTest {
    private static Database db;
    private static XcapService xcap;

    @BeforeAll
    static void open() {
        DatabaseTarget target = TestDatabases.h2();
        db = Database.open(DatabaseSettings.external(target.jdbcUrl(), target.user(), target.password()));
        JdbiXcapStore store = new JdbiXcapStore(db, Clock.systemUTC());
        xcap = new XcapService(store, new ApplicationUsages(IetfUsages.all(store)));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static String write(String auid, String name, String xml) throws Exception {
        return xcap.write(new DocumentContext(auid, false, "sip:carol@example.org", name),
                xml.getBytes(StandardCharsets.UTF_8), null);
    }

    private static XcapConflict conflict(String auid, String name, String xml) {
        return (XcapConflict) org.assertj.core.api.Assertions.catchThrowable(() -> write(auid, name, xml));
    }

    @Test
    @DisplayName("RFC 4826 §3.4.5: list names unique within their parent")
    void listNames() {
        XcapConflict c = conflict("resource-lists", "index", """
                <resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists">
                  <list name="a"><list name="x"/><list name="x"/></list>
                </resource-lists>""");
        assertThat(c.condition()).isEqualTo("uniqueness-failure");
        assertThat(c.field()).isEqualTo("resource-lists/list[@name=\"a\"]/list[@name=\"x\"]/@name");
        assertThat(c.alternatives()).containsExactly("x-1");
    }

    @Test
    @DisplayName("RFC 4826 §4.3.5: rls-services service URIs unique across the owner's documents; a service needs list or resource-list")
    void rlsServices() throws Exception {
        String friends = """
                <rls-services xmlns="urn:ietf:params:xml:ns:rls-services" xmlns:rl="urn:ietf:params:xml:ns:resource-lists">
                  <service uri="sip:friends@example.org">
                    <list name="f"><rl:entry uri="sip:bob@example.org"/></list>
                    <packages><package>presence</package></packages>
                  </service>
                </rls-services>""";
        write("rls-services", "index", friends);
        XcapConflict clash = conflict("rls-services", "other", friends);
        assertThat(clash.condition()).isEqualTo("uniqueness-failure");
        assertThat(clash.alternatives()).containsExactly("sip:friends-1@example.org");
        write("rls-services", "index", friends);
        assertThat(conflict("rls-services", "third", """
                <rls-services xmlns="urn:ietf:params:xml:ns:rls-services"><service uri="sip:x@example.org"/></rls-services>""")
                .condition()).isEqualTo("schema-validation-error");
    }

    @Test
    @DisplayName("RFC 5025 / RFC 4745: pres-rules validate against common-policy and pres-rules; rule ids unique")
    void presRules() throws Exception {
        String rules = """
                <cr:ruleset xmlns="urn:ietf:params:xml:ns:pres-rules" xmlns:cr="urn:ietf:params:xml:ns:common-policy">
                  <cr:rule id="a">
                    <cr:conditions><cr:identity><cr:one id="sip:bob@example.org"/></cr:identity></cr:conditions>
                    <cr:actions><sub-handling>allow</sub-handling></cr:actions>
                    <cr:transformations><provide-services><all-services/></provide-services>
                      <provide-activities>true</provide-activities></cr:transformations>
                  </cr:rule>
                </cr:ruleset>""";
        write("pres-rules", "index", rules);
        XcapConflict duplicate = conflict("pres-rules", "index", rules.replace("</cr:ruleset>",
                "<cr:rule id=\"a\"/></cr:ruleset>"));
        assertThat(duplicate.condition()).isEqualTo("uniqueness-failure");
        assertThat(conflict("pres-rules", "index", rules.replace("allow", "maybe")).condition())
                .isEqualTo("schema-validation-error");
        assertThatThrownBy(() -> write("pres-rules", "index", rules.replace("<cr:rule id=\"a\">", "<cr:rule>")))
                .isInstanceOf(XcapConflict.class);
    }
}
