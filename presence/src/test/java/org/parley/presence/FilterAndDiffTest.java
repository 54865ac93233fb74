package org.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.presence.PresenceFixture.ALICE;
import static org.parley.presence.PresenceFixture.BOB;
import static org.parley.presence.PresenceFixture.CAROL;
import static org.parley.presence.PresenceFixture.pidf;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.parley.xdm.xcap.Xml;

/**
 * The parsers and builders behind filtered and partial notifications (RFC 4661 filter documents,
 * RFC 5262 pidf-diff) with malformed and hostile input, and the shared snapshot that makes a
 * change cost one composition however many watchers and lists see it (RFC 4662 §3, C5 fan-out).
 */
class FilterAndDiffTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final String HEAD = "<filter-set xmlns=\"urn:ietf:params:xml:ns:simple-filter\">";

    @ParameterizedTest
    @ValueSource(strings = {
            "not xml at all",
            "<filter-set xmlns=\"urn:ietf:params:xml:ns:simple-filter\">",
            "<other xmlns=\"urn:ietf:params:xml:ns:simple-filter\"/>",
            "<filter-set xmlns=\"urn:example:wrong\"><filter/></filter-set>",
            HEAD + "</filter-set>",
            HEAD + "<filter><what><include>/a[</include></what></filter></filter-set>",
            HEAD + "<filter><what><include> </include></what></filter></filter-set>",
            HEAD + "<filter><what><include type=\"regex\">.*</include></what></filter></filter-set>",
            HEAD + "<filter><trigger><exploded>/a</exploded></trigger></filter></filter-set>",
            HEAD + "<filter><trigger><changed by=\"lots\">/a</changed></trigger></filter></filter-set>",
            HEAD + "<ns-bindings><ns-binding prefix=\"\" urn=\"x\"/></ns-bindings><filter/></filter-set>",
            "<!DOCTYPE f [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + HEAD + "<filter><what><include>&e;</include></what></filter></filter-set>"
    })
    @DisplayName("RFC 4661: every malformed or hostile filter document is refused with a reason, never half-applied")
    void malformedFilters(String document) {
        assertThatThrownBy(() -> EventFilter.parse(bytes(document))).isInstanceOf(EventFilter.Invalid.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    @DisplayName("RFC 4661: a disabled filter and one marked for removal select everything and fire on every change")
    void disabledFilters() throws Exception {
        EventFilter f = EventFilter.parse(bytes(HEAD + "<filter enabled=\"false\"><what><include>/x</include></what>"
                + "</filter><filter remove=\"true\"><trigger><added>/y</added></trigger></filter></filter-set>"));
        byte[] doc = bytes(pidf(ALICE, "t1", "open", ""));
        assertThat(f.select(doc)).isEqualTo(doc);
        assertThat(f.triggered(doc, doc)).isTrue();
    }

    @Test
    @DisplayName("RFC 4661 §3.3: added and removed triggers fire on tuples that come and go; changed with from/to only on that transition")
    void triggers() throws Exception {
        String bind = "<ns-bindings><ns-binding prefix=\"p\" urn=\"urn:ietf:params:xml:ns:pidf\"/></ns-bindings>";
        EventFilter added = EventFilter.parse(bytes(HEAD + bind + "<filter><trigger><added>/p:presence/p:tuple</added>"
                + "</trigger></filter></filter-set>"));
        EventFilter opened = EventFilter.parse(bytes(HEAD + bind + "<filter><trigger><changed from=\"closed\" to=\"open\">"
                + "/p:presence/p:tuple/p:status/p:basic</changed></trigger></filter></filter-set>"));
        byte[] one = bytes(pidf(ALICE, "t1", "closed", ""));
        byte[] two = bytes(pidf(ALICE, "t1", "closed", "").replace("</presence>",
                "<tuple id=\"t2\"><status><basic>open</basic></status></tuple></presence>"));
        byte[] open = bytes(pidf(ALICE, "t1", "open", ""));
        assertThat(added.triggered(one, two)).isTrue();
        assertThat(added.triggered(two, one)).isFalse();
        assertThat(opened.triggered(one, open)).isTrue();
        assertThat(opened.triggered(open, one)).isFalse();
    }

    @Test
    @DisplayName("RFC 5262: removed tuples become remove operations, new ones add; an id-less change falls back to full state")
    void diffs() {
        byte[] one = bytes(pidf(ALICE, "t1", "open", ""));
        byte[] other = bytes(pidf(ALICE, "t2", "open", ""));
        String diff = new String(PidfDiff.diff(one, other, 7).orElseThrow(), StandardCharsets.UTF_8);
        assertThat(diff).contains("version=\"7\"", "<p:remove sel=\"*/tuple[@id='t1']\"/>", "<p:add sel=\"*\">",
                "tuple id=\"t2\"");
        byte[] withNote = bytes(pidf(ALICE, "t1", "open", "<note>top-level</note>"));
        assertThat(PidfDiff.diff(one, withNote, 8)).isEmpty();
        assertThat(new String(PidfDiff.full(withNote, 9), StandardCharsets.UTF_8)).contains("pidf-full", "top-level");
    }

    @Test
    @DisplayName("C5 fan-out, RFC 4662 §3: a thousand watchers of one presentity cost one composition, one rules read, one encoded body")
    void oneCompositionPerChange() throws Exception {
        AtomicInteger compositions = new AtomicInteger();
        AtomicInteger rulesRead = new AtomicInteger();
        String rules = PresenceFixture.rules(PresenceFixture.rule("all", "<cr:many/>", "allow", PresenceFixture.ALL));
        PresentitySnapshot snapshot = new PresentitySnapshot(ALICE, () -> {
            compositions.incrementAndGet();
            return PresenceComposer.compose(ALICE, List.of(), List.of());
        }, () -> {
            rulesRead.incrementAndGet();
            try {
                return PresRules.compile(Xml.parse(bytes(rules)));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, new PresRules(id -> Optional.of(id)));
        for (int i = 0; i < 1000; i++) {
            assertThat(snapshot.view(i % 2 == 0 ? BOB : CAROL).standing()).isEqualTo(WatcherView.Standing.ACTIVE);
        }
        assertThat(compositions).hasValue(1);
        assertThat(rulesRead).hasValue(1);
        // one encoded document for all of them: what each NOTIFY carries and each watcher keeps as its last
        assertThat(snapshot.view(BOB).body()).isSameAs(snapshot.view(CAROL).body());
    }
}
