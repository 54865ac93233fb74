package org.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.registrar.Binding;
import org.parley.testkit.Corpus;
import org.parley.xml.XmlWriter;
import org.w3c.dom.Document;

@DisplayName("C5 PIDF checking, composition and per-watcher transformation")
class PidfAndCompositionTest {
    private static final String ALICE = PresenceFixture.ALICE;
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

    /** The RFC 3863 examples kept in the testkit (corpora/rfc3863-pidf/PROVENANCE.md). */
    private static final List<String> RFC3863_EXAMPLES = List.of("ex1-sg89ae-prefixed-ns.xml",
            "ex2-sg89ae-default-ns.xml", "ex3-ub93s3-status-extension.xml", "ex4-bs35r9-eg92n8-im-notes.xml",
            "ex5-ck38g9-md66je-extensions.xml", "ex6-tj25ds-mustUnderstand.xml");

    private static Publication pub(String etag, String body, long at) throws Pidf.Invalid {
        return new Publication(ALICE, etag, Pidf.kept(Pidf.parse(body.getBytes(StandardCharsets.UTF_8))), T.plusSeconds(at),
                T.plusSeconds(3600));
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("RFC 3863: every example of the RFC is accepted, prefixed or default namespace alike")
    void rfcExamplesParse() throws Exception {
        for (String example : RFC3863_EXAMPLES) {
            Document d = Pidf.parse(Corpus.bytes("rfc3863-pidf/" + example));
            assertThat(d.getDocumentElement().getAttribute("entity")).as(example).isEqualTo("pres:someone@example.com");
        }
    }

    @Test
    @DisplayName("RFC 3863: not PIDF, no entity, tuple without status, DTDs and external entities are refused")
    void refusals() {
        assertThatThrownBy(() -> Pidf.parse("<presence xmlns='urn:ietf:params:xml:ns:pidf'/>".getBytes()))
                .hasMessageContaining("entity");
        assertThatThrownBy(() -> Pidf.parse(("<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='e'>"
                + "<tuple id='t'/></presence>").getBytes())).hasMessageContaining("status");
        assertThatThrownBy(() -> Pidf.parse("<presence entity='e'/>".getBytes())).hasMessageContaining("not a PIDF");
        assertThatThrownBy(() -> Pidf.parse(("<?xml version='1.0'?><!DOCTYPE p [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + "<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='&x;'/>").getBytes()))
                .isInstanceOf(Pidf.Invalid.class);
    }

    @Test
    @DisplayName("C5 composition: tuples of all devices, one person with the newest attributes, notes of all, network state")
    void composition() throws Exception {
        String phone = PresenceFixture.pidf(ALICE, "phone", "open", "<note>phone note</note>"
                + "<dm:person id='p1'><rpid:activities><rpid:busy/></rpid:activities></dm:person>");
        String laptop = PresenceFixture.pidf(ALICE, "laptop", "closed", "<note>laptop note</note>"
                + "<dm:person id='p2'><rpid:activities><rpid:away/></rpid:activities><rpid:mood><rpid:happy/></rpid:mood></dm:person>");
        Document d = PresenceComposer.compose(ALICE, List.of(pub("a", phone, 1), pub("b", laptop, 2)), List.of());
        String xml = text(XmlWriter.document(d));
        assertThat(xml).contains("id=\"phone\"", "id=\"laptop\"", "phone note", "laptop note", "happy", "away")
                .doesNotContain("busy");
        assertThat(xml).contains("id=\"" + PresenceComposer.OFFLINE_TUPLE + "\"");
        // the composed document is valid PIDF again, namespaces included
        Document again = Pidf.parse(XmlWriter.document(d));
        assertThat(again.getElementsByTagNameNS(Pidf.DM, "person").getLength()).isEqualTo(1);
        assertThat(again.getElementsByTagNameNS(Pidf.RPID, "mood").getLength()).isEqualTo(1);
    }

    @Test
    @DisplayName("C5 composition, issue 13: the document kept at PUBLISH is composed again and again, from several threads at once "
            + "(a SUBSCRIBE's composition, messaging's willingness), each time into the same document and never changed")
    void keptDocumentComposedConcurrently() throws Exception {
        String phone = PresenceFixture.pidf(ALICE, "phone", "open", "<note>phone note</note>"
                + "<dm:person id='p1'><rpid:activities><rpid:busy/></rpid:activities></dm:person><dm:device id='d1'>"
                + "<dm:deviceID>urn:uuid:d1</dm:deviceID></dm:device>");
        List<Publication> pubs = List.of(pub("a", phone, 1));
        String kept = text(XmlWriter.document(pubs.getFirst().pidf().getOwnerDocument()));
        String expected = text(XmlWriter.document(PresenceComposer.compose(ALICE, pubs, List.of())));
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Set<String>>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(pool.submit(() -> {
                    Set<String> seen = new HashSet<>();
                    for (int i = 0; i < 300; i++) {
                        seen.add(text(XmlWriter.document(PresenceComposer.compose(ALICE, pubs, List.of()))));
                    }
                    return seen;
                }));
            }
            for (Future<Set<String>> run : runs) {
                assertThat(run.get()).containsExactly(expected);
            }
        }
        assertThat(expected).contains("phone note", "busy", "urn:uuid:d1");
        assertThat(text(XmlWriter.document(pubs.getFirst().pidf().getOwnerDocument()))).as("the kept document").isEqualTo(kept);
    }

    @Test
    @DisplayName("RFC 5025 transformations: services, persons, provide-activities and provide-note cut the document")
    void transformation() throws Exception {
        String doc = PresenceFixture.pidf(ALICE, "phone", "open", "<note>hello</note>"
                + "<dm:person id='p1'><rpid:activities><rpid:busy/></rpid:activities><rpid:mood><rpid:sad/></rpid:mood>"
                + "<dm:note>person note</dm:note></dm:person>");
        Document composed = PresenceComposer.compose(ALICE, List.of(pub("a", doc, 1)), List.of());

        String activitiesOnly = text(WatcherFilter.apply(composed,
                new Transformations(true, true, false, false, Set.of("provide-activities"))));
        assertThat(activitiesOnly).contains("phone", "busy").doesNotContain("sad", "hello", "person note");

        String withNotes = text(WatcherFilter.apply(composed,
                new Transformations(true, false, false, false, Set.of("provide-note"))));
        assertThat(withNotes).contains("hello").doesNotContain("person note", "busy");

        String noServices = text(WatcherFilter.apply(composed,
                new Transformations(false, true, false, true, Set.of())));
        assertThat(noServices).doesNotContain("tuple").contains("busy", "sad", "person note");

        assertThat(text(WatcherFilter.apply(composed, Transformations.EVERYTHING))).contains("busy", "sad", "hello");
        assertThat(text(Pidf.neutral(ALICE))).contains("closed").doesNotContain("note");
    }

    @Test
    @DisplayName("PP-4, issue 14 §4: appear offline — published closed wins over a registration; one open tuple keeps the network state")
    void publishedClosedWinsOverRegistration() throws Exception {
        Binding registered = new Binding(ALICE, org.parley.sip.message.SipUri.parse("sip:alice@192.0.2.1:5060"),
                null, 0, 1f, T.plusSeconds(600), "reg", 1, List.of(), PresenceFixture.UDP, "Phone/1", null, T);
        String closed = PresenceFixture.pidf(ALICE, "phone", "closed", "");
        String hidden = text(XmlWriter.document(PresenceComposer.compose(ALICE, List.of(pub("a", closed, 1)),
                List.of(registered))));
        assertThat(hidden).contains("<basic>closed</basic>").doesNotContain("<basic>open</basic>")
                .doesNotContain(PresenceComposer.OFFLINE_TUPLE);

        String open = PresenceFixture.pidf(ALICE, "laptop", "open", "");
        String mixed = text(XmlWriter.document(PresenceComposer.compose(ALICE,
                List.of(pub("a", closed, 1), pub("b", open, 2)), List.of(registered))));
        assertThat(mixed).contains("id=\"phone\"", "id=\"laptop\"", PresenceComposer.OFFLINE_TUPLE + "-");

        String noBasic = "<?xml version='1.0'?><presence xmlns='urn:ietf:params:xml:ns:pidf' entity='" + ALICE + "'>"
                + "<tuple id='t'><status/></tuple></presence>";
        assertThat(text(XmlWriter.document(PresenceComposer.compose(ALICE, List.of(pub("a", noBasic, 1)),
                List.of(registered))))).as("a tuple saying nothing about basic status hides nothing")
                .contains(PresenceComposer.OFFLINE_TUPLE + "-");
    }
}
