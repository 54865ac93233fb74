package org.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.presence.PresenceFixture.ALL;
import static org.parley.presence.PresenceFixture.rule;
import static org.parley.presence.PresenceFixture.rules;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.xcap.Xml;
import org.w3c.dom.Document;

@DisplayName("RFC 5025 pres-rules evaluation (RFC 4745 combining)")
class PresRulesTest {
    private final PresRules rules = new PresRules(id -> id.equals("tel:+15550001") ? Optional.of("sip:bob@example.com")
            : Optional.empty());

    private static Document doc(String... r) throws Exception {
        return Xml.parse(rules(r).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("RFC 5025 identity one, many with domain and except, any; no matching rule is confirm")
    void conditions() throws Exception {
        Document d = doc(rule("a", "<cr:one id=\"tel:+15550001\"/>", "allow", ALL),
                rule("b", "<cr:many domain=\"example.org\"><cr:except id=\"sip:eve@example.org\"/></cr:many>",
                        "polite-block", ""));
        assertThat(rules.evaluate(d, "sip:bob@example.com").handling()).isEqualTo(SubHandling.ALLOW);
        assertThat(rules.evaluate(d, "sip:bob@example.com").transformations().services()).isTrue();
        assertThat(rules.evaluate(d, "sip:dan@example.org").handling()).isEqualTo(SubHandling.POLITE_BLOCK);
        assertThat(rules.evaluate(d, "sip:eve@example.org")).isEqualTo(Authorisation.UNDECIDED);
        assertThat(rules.evaluate(d, "sip:carol@example.com").handling()).isEqualTo(SubHandling.CONFIRM);
    }

    @Test
    @DisplayName("RFC 4745 §7.1.1: a many domain and an except domain are the whole host part, compared ignoring case")
    void domainsWhole() throws Exception {
        PresRules.Policy p = PresRules.compile(doc(rule("a",
                "<cr:many domain=\"Example.com\"><cr:except domain=\"EVIL.example.com\"/></cr:many>", "allow", ALL),
                rule("b", "<cr:many domain=\"evil.example.com\"/>", "polite-block", "")));
        assertThat(rules.evaluate(p, "sip:bob@EXAMPLE.COM").handling()).isEqualTo(SubHandling.ALLOW);
        assertThat(rules.evaluate(p, "sip:bob@notexample.com")).isEqualTo(Authorisation.UNDECIDED);
        assertThat(rules.evaluate(p, "sip:bob@example.co")).isEqualTo(Authorisation.UNDECIDED);
        assertThat(rules.evaluate(p, "sip:bob@example.com.evil")).isEqualTo(Authorisation.UNDECIDED);
        // excepted from the first rule, so only the second applies
        assertThat(rules.evaluate(p, "sip:eve@Evil.Example.Com").handling()).isEqualTo(SubHandling.POLITE_BLOCK);
    }

    @Test
    @DisplayName("RFC 4745 §10: the greatest sub-handling wins and permissions add up; unsupported conditions never match")
    void combining() throws Exception {
        Document d = doc(rule("a", "<cr:many/>", "block", "<pr:provide-note>true</pr:provide-note>"),
                rule("b", "<cr:one id=\"sip:bob@example.com\"/>", "allow",
                        "<pr:provide-services><pr:all-services/></pr:provide-services>"
                                + "<pr:provide-activities>true</pr:provide-activities>"),
                "<cr:rule id=\"c\"><cr:conditions><cr:sphere value=\"work\"/></cr:conditions>"
                        + "<cr:actions><pr:sub-handling>allow</pr:sub-handling></cr:actions></cr:rule>");
        Authorisation bob = rules.evaluate(d, "sip:bob@example.com");
        assertThat(bob.handling()).isEqualTo(SubHandling.ALLOW);
        assertThat(bob.transformations().grants("provide-note")).isTrue();
        assertThat(bob.transformations().grants("provide-activities")).isTrue();
        assertThat(bob.transformations().grants("provide-mood")).isFalse();
        assertThat(bob.transformations().persons()).isFalse();
        assertThat(rules.evaluate(d, "sip:carol@example.com").handling()).isEqualTo(SubHandling.BLOCK);
    }

    @Test
    @DisplayName("RFC 5025: a document compiled once decides as it reads; equal permissions of two presentities are one instance")
    void compiledOnce() throws Exception {
        String text = rule("a", "<cr:many domain=\"example.com\"><cr:except domain=\"evil.example.com\"/></cr:many>", "allow", ALL);
        PresRules.Policy one = PresRules.compile(doc(text));
        PresRules.Policy two = PresRules.compile(doc(text));
        assertThat(one).isEqualTo(two);
        assertThat(one.rules().get(0).transformations()).isSameAs(two.rules().get(0).transformations());
        assertThat(rules.evaluate(one, "sip:bob@example.com").handling()).isEqualTo(SubHandling.ALLOW);
        assertThat(rules.evaluate(one, "sip:bob@evil.example.com")).isEqualTo(Authorisation.UNDECIDED);
        assertThat(rules.evaluate(one, "sip:bob@example.org")).isEqualTo(Authorisation.UNDECIDED);
        // a document with no rules (or none at all) leaves every watcher to the presentity
        assertThat(rules.evaluate(PresRules.compile(doc()), "sip:bob@example.com")).isEqualTo(Authorisation.UNDECIDED);
        assertThat(rules.evaluate(PresRules.Policy.NONE, "sip:bob@example.com")).isEqualTo(Authorisation.UNDECIDED);
    }

    @Test
    @DisplayName("RFC 5025, issue 13: stored pres-rules are loaded before anyone asks and a written one compiled when "
            + "the write is told, so a SUBSCRIBE's look-up reads no store; deleted means no rules")
    void keptInMemory() throws Exception {
        PresenceFixture.Documents store = new PresenceFixture.Documents();
        String bob = "sip:bob@example.com";
        DocumentContext bobs = new DocumentContext(PresRules.AUID, false, bob, PresRules.DOCUMENT);
        store.write(bobs, rules(rule("a", "<cr:many/>", "allow", ALL)).getBytes(StandardCharsets.UTF_8), null);
        PresRulesDocuments documents = new PresRulesDocuments(store);
        store.addListener((where, oldEtag, newEtag) -> documents.changed(where.xui()));
        documents.preload();
        int reads = store.reads();
        assertThat(rules.evaluate(documents.read(bob), "sip:carol@example.com").handling()).isEqualTo(SubHandling.ALLOW);
        assertThat(store.reads()).isEqualTo(reads);

        store.write(bobs, rules(rule("b", "<cr:many/>", "block", "")).getBytes(StandardCharsets.UTF_8), null);
        reads = store.reads();
        assertThat(rules.evaluate(documents.read(bob), "sip:carol@example.com").handling()).isEqualTo(SubHandling.BLOCK);
        assertThat(store.reads()).isEqualTo(reads);

        store.delete(bobs);
        assertThat(documents.read(bob)).isEqualTo(PresRules.Policy.NONE);
        // a presentity without a document is read once, then known to have none
        assertThat(documents.read("sip:dan@example.com")).isEqualTo(PresRules.Policy.NONE);
        reads = store.reads();
        assertThat(documents.read("sip:dan@example.com")).isEqualTo(PresRules.Policy.NONE);
        assertThat(store.reads()).isEqualTo(reads);
    }
}
