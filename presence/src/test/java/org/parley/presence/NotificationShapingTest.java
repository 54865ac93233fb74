package org.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.presence.PresenceFixture.ALICE;
import static org.parley.presence.PresenceFixture.ALL;
import static org.parley.presence.PresenceFixture.BOB;
import static org.parley.presence.PresenceFixture.pidf;
import static org.parley.presence.PresenceFixture.rule;
import static org.parley.presence.PresenceFixture.rules;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;

/**
 * What a watcher's NOTIFYs carry and when: pacing with coalescing (one busy presentity does not
 * flood its watchers), filters (RFC 4660/4661, IWF-4) and partial presence (RFC 5262/5263).
 */
class NotificationShapingTest {
    private static final Duration INTERVAL = PresenceSettings.defaults().notifyInterval();
    private static final String NOTE = "<note>%s</note>";
    private final PresenceFixture f = new PresenceFixture();

    @BeforeEach
    void bobMaySee() throws Exception {
        f.writeRules(ALICE, rules(rule("r1", "<cr:one id=\"" + BOB + "\"/>", "allow", ALL)));
    }

    private String etag;

    private void publish(String basic, String note) {
        String body = pidf(ALICE, "t1", basic, "").replace("</tuple>", NOTE.formatted(note) + "</tuple>");
        SipResponse r = etag == null
                ? f.send(f.request("PUBLISH", "alice", ALICE, "pub-1", body, "Event: presence", "Expires: 600"), "alice")
                : f.send(f.request("PUBLISH", "alice", ALICE, "pub-1", body, "Event: presence", "Expires: 600",
                "SIP-If-Match: " + etag), "alice");
        assertThat(r.status()).isEqualTo(200);
        etag = r.header("SIP-ETag").orElseThrow();
    }

    private SipResponse subscribe(String body, String... extra) {
        return f.send(f.request("SUBSCRIBE", "bob", ALICE, "sub-bob", body, extra), "bob");
    }

    private static String body(SipRequest r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("RFC 6665 §4.2.2 rate control: changes within the interval are coalesced into one NOTIFY with the latest state")
    void pacingCoalesces() {
        publish("open", "one");
        assertThat(subscribe("", "Event: presence", "Expires: 600").status()).isEqualTo(200);
        assertThat(f.notifiesTo("bob")).hasSize(1);

        publish("open", "two");
        publish("closed", "three");
        publish("open", "four");
        assertThat(f.notifiesTo("bob")).as("still within the interval").hasSize(1);

        f.advance(INTERVAL);
        assertThat(f.notifiesTo("bob")).hasSize(2);
        assertThat(body(f.lastNotifyTo("bob"))).contains("four").doesNotContain("three");

        f.advance(INTERVAL.multipliedBy(3));
        publish("open", "five");
        assertThat(f.notifiesTo("bob")).as("after a quiet interval a change goes at once").hasSize(3);
    }

    static final String FILTER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<filter-set xmlns=\"urn:ietf:params:xml:ns:simple-filter\">\n"
            + "<ns-bindings><ns-binding prefix=\"pidf\" urn=\"urn:ietf:params:xml:ns:pidf\"/></ns-bindings>\n"
            + "<filter id=\"f1\" uri=\"" + ALICE + "\">\n"
            + "<what><include type=\"xpath\">/pidf:presence/pidf:tuple/pidf:status/pidf:basic</include></what>\n"
            + "<trigger><changed>/pidf:presence/pidf:tuple[@id='t1']/pidf:status/pidf:basic</changed></trigger>\n"
            + "</filter>\n</filter-set>\n";

    @Test
    @DisplayName("RFC 4660/4661, IWF-4: one attribute only (basic status), and only when it changes")
    void filterOneAttributeOnChangeOnly() {
        publish("open", "at my desk");
        SipResponse ok = subscribe(FILTER, "Event: presence", "Expires: 600",
                "Content-Type: application/simple-filter+xml");
        assertThat(ok.status()).isEqualTo(200);
        String first = body(f.lastNotifyTo("bob"));
        assertThat(first).contains("<basic>open</basic>").doesNotContain("at my desk").doesNotContain("<contact>");

        f.advance(INTERVAL);
        publish("open", "gone for lunch");
        f.advance(INTERVAL);
        assertThat(f.notifiesTo("bob")).as("the note is not a trigger").hasSize(1);

        publish("closed", "gone for lunch");
        f.advance(INTERVAL);
        assertThat(f.notifiesTo("bob")).hasSize(2);
        assertThat(body(f.lastNotifyTo("bob"))).contains("<basic>closed</basic>").doesNotContain("lunch");
    }

    @Test
    @DisplayName("RFC 4660: a filter that is not XPath is 488; a body that is no filter is 415")
    void badFilters() {
        assertThat(subscribe(FILTER.replace("/pidf:presence/pidf:tuple/pidf:status/pidf:basic<", "/pidf:presence[[<"),
                "Event: presence", "Content-Type: application/simple-filter+xml").status()).isEqualTo(488);
        assertThat(subscribe("<filter-set", "Event: presence", "Content-Type: application/simple-filter+xml").status())
                .isEqualTo(488);
        SipResponse wrongType = subscribe("hello", "Event: presence", "Content-Type: text/plain");
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.header("Accept")).hasValue("application/simple-filter+xml");
    }

    @Test
    @DisplayName("RFC 5263: full state as pidf-full first, then only what changed as a pidf-diff with the next version")
    void partialNotification() {
        publish("open", "here");
        assertThat(subscribe("", "Event: presence", "Expires: 600",
                "Accept: application/pidf-diff+xml, application/pidf+xml").status()).isEqualTo(200);
        SipRequest first = f.lastNotifyTo("bob");
        assertThat(first.contentType()).hasValueSatisfying(t -> assertThat(t).startsWith("application/pidf-diff+xml"));
        assertThat(body(first)).contains("pidf-full", "version=\"1\"", "here", "parley-reg");

        f.advance(INTERVAL);
        publish("closed", "here");
        SipRequest diff = f.lastNotifyTo("bob");
        // appear offline (PP-4): the registration's open tuple goes with the user's closed one
        assertThat(body(diff)).contains("pidf-diff", "version=\"2\"", "<p:replace sel=\"*/tuple[@id='t1']\"",
                "<basic>closed</basic>", "<p:remove sel=\"*/tuple[@id='parley-reg-").doesNotContain("<basic>open</basic>");
    }

    @Test
    @DisplayName("RFC 6665 §4.2.2, UC 5.3: a device that removes its publication and unregisters — the first change goes at once, the second within the interval, and the watcher ends on the final state")
    void unpublishThenUnregister() {
        publish("open", "here");
        assertThat(subscribe("", "Event: presence", "Expires: 600").status()).isEqualTo(200);
        f.advance(INTERVAL);

        SipResponse removed = f.send(f.request("PUBLISH", "alice", ALICE, "pub-1", "", "Event: presence", "Expires: 0",
                "SIP-If-Match: " + etag), "alice");
        assertThat(removed.status()).isEqualTo(200);
        assertThat(body(f.lastNotifyTo("bob"))).as("the first change goes at once").doesNotContain("here")
                .contains("<basic>open</basic>");

        f.location.removeAll(ALICE);
        f.server.registrationChanged(ALICE);
        f.advance(INTERVAL);
        assertThat(body(f.lastNotifyTo("bob"))).contains("<basic>closed</basic>").doesNotContain("<basic>open</basic>");
    }

    @Test
    @DisplayName("RFC 6665 §4.2.2, RFC 3903: a removal and a new publication inside one pending interval end on the new publication")
    void removalThenNewPublicationWithinOneInterval() {
        publish("open", "one");
        assertThat(subscribe("", "Event: presence", "Expires: 600").status()).isEqualTo(200);
        f.advance(INTERVAL);
        publish("open", "two");
        assertThat(body(f.lastNotifyTo("bob"))).contains("two");

        assertThat(f.send(f.request("PUBLISH", "alice", ALICE, "pub-1", "", "Event: presence", "Expires: 0",
                "SIP-If-Match: " + etag), "alice").status()).isEqualTo(200);
        etag = null;
        publish("open", "three");
        publish("open", "four");
        f.advance(INTERVAL);
        assertThat(body(f.lastNotifyTo("bob"))).contains("four");
    }

    @Test
    @DisplayName("UC 5.3 step 3: when the presentity's last device is gone, its publications end with it — no device shown online by a leftover publication")
    void lastDeviceGoneEndsPublications() {
        publish("open", "left behind");
        assertThat(subscribe("", "Event: presence", "Expires: 600").status()).isEqualTo(200);
        assertThat(body(f.lastNotifyTo("bob"))).contains("left behind");
        f.advance(INTERVAL);

        f.location.removeAll(ALICE);
        f.server.registrationChanged(ALICE);
        assertThat(body(f.lastNotifyTo("bob"))).doesNotContain("left behind").doesNotContain("<basic>open</basic>");
    }
}
