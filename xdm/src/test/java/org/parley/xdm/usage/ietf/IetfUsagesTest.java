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
    /** The user parts that name accounts: usernames, an alias and an E.164 number. */
    private static final java.util.Set<String> ACCOUNTS = java.util.Set.of("alice", "carol", "carol-smith",
            "carol-office", "+15551234567");

    @BeforeAll
    static void open() {
        DatabaseTarget target = TestDatabases.h2();
        db = Database.open(DatabaseSettings.external(target.jdbcUrl(), target.user(), target.password()));
        JdbiXcapStore store = new JdbiXcapStore(db, Clock.systemUTC());
        xcap = new XcapService(store, new ApplicationUsages(IetfUsages.all(store, new ServiceUris("example.org", ACCOUNTS::contains))));
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
    @DisplayName("RFC 4826 §4.3.5: rls-services service URIs unique across the domain; a service needs list or resource-list")
    void rlsServices() throws Exception {
        String friends = """
                <rls-services xmlns="urn:ietf:params:xml:ns:rls-services" xmlns:rl="urn:ietf:params:xml:ns:resource-lists">
                  <service uri="sip:carol-friends@example.org">
                    <list name="f"><rl:entry uri="sip:bob@example.org"/></list>
                    <packages><package>presence</package></packages>
                  </service>
                </rls-services>""";
        write("rls-services", "index", friends);
        XcapConflict clash = conflict("rls-services", "other", friends);
        assertThat(clash.condition()).isEqualTo("uniqueness-failure");
        assertThat(clash.alternatives()).containsExactly("sip:carol-friends2@example.org");
        assertThat(clash.field()).isEqualTo("rls-services/service[@uri=\"sip:carol-friends@example.org\"]/@uri");
        XcapConflict otherUser = (XcapConflict) org.assertj.core.api.Assertions.catchThrowable(() -> xcap.write(
                new DocumentContext("rls-services", false, "sip:carol-smith@example.org", "index"),
                friends.replace("carol-friends", "carol-smith-friends").getBytes(StandardCharsets.UTF_8), null));
        assertThat(otherUser).as("carol-smith's own prefix is hers").isNull();
        write("rls-services", "index", friends);
        assertThat(conflict("rls-services", "third", """
                <rls-services xmlns="urn:ietf:params:xml:ns:rls-services"><service uri="sip:carol-x@example.org"/></rls-services>""")
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

    private static XcapConflict service(String uri) {
        return conflict("rls-services", "mine", """
                <rls-services xmlns="urn:ietf:params:xml:ns:rls-services"><service uri="%s">
                <resource-list>http://localhost/xcap-root/resource-lists/users/sip:carol@example.org/index/~~/resource-lists/list%%5b@name=%%22a%%22%%5d</resource-list>
                </service></rls-services>""".formatted(uri));
    }

    @Test
    @DisplayName("RFC 4826 §4.3.5, issue 9 §4: a service URI is sip:<owner>-<name>@<domain>, never a user's address nor in another user's prefix")
    void serviceUrisOnlyFromTheOwnersAddresses() {
        for (String foreign : java.util.List.of("sip:alice@example.org", "sip:carol@example.org", "sip:carol-@example.org",
                "sip:carol-list@elsewhere.org", "sip:list-carol@example.org", "sips:carol-list@example.org",
                "tel:+15551234567", "sip:carol-smith-list@example.org", "sip:carol-a b@example.org", "carol-list")) {
            XcapConflict c = service(foreign);
            assertThat(c).as(foreign).isNotNull();
            assertThat(c.condition()).as(foreign).isIn("constraint-failure", "schema-validation-error");
            if (c.condition().equals("constraint-failure")) {
                assertThat(c.getMessage()).as(foreign).contains("sip:carol-<name>@example.org");
            }
        }
        XcapConflict alias = service("sip:carol-office@example.org");
        assertThat(alias.condition()).as("an account's alias inside the owner's prefix").isEqualTo("uniqueness-failure");
        assertThat(alias.alternatives()).containsExactly("sip:carol-office2@example.org");
        assertThat(service("sip:Carol-Work@Example.org")).as("case does not matter").isNull();
    }

    @Test
    @DisplayName("RFC 4826 §4.3.5, RFC 4825 §11.4: a service URI another user already has is a uniqueness-failure with a free alt-value")
    void serviceUrisUniqueAcrossUsers() throws Exception {
        String doc = """
                <rls-services xmlns="urn:ietf:params:xml:ns:rls-services"><service uri="sip:dave-smith-list@example.org">
                <list/></service></rls-services>""";
        xcap.write(new DocumentContext("rls-services", false, "sip:dave@example.org", "index"),
                doc.getBytes(StandardCharsets.UTF_8), null);
        XcapConflict c = (XcapConflict) org.assertj.core.api.Assertions.catchThrowable(() -> xcap.write(
                new DocumentContext("rls-services", false, "sip:dave-smith@example.org", "index"),
                doc.getBytes(StandardCharsets.UTF_8), null));
        assertThat(c.condition()).isEqualTo("uniqueness-failure");
        assertThat(c.alternatives()).containsExactly("sip:dave-smith-list2@example.org");
    }
}
