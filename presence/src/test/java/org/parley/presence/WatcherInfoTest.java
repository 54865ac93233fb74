package org.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.presence.PresenceFixture.ALICE;
import static org.parley.presence.PresenceFixture.ALL;
import static org.parley.presence.PresenceFixture.BOB;
import static org.parley.presence.PresenceFixture.CAROL;
import static org.parley.presence.PresenceFixture.rule;
import static org.parley.presence.PresenceFixture.rules;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

@DisplayName("UC 5.3, IWF-3, RFC 3857, RFC 3858: watcher information for presence")
class WatcherInfoTest {
    private final PresenceFixture f = new PresenceFixture();

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setNamespaceAware(true);
        return dbf.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    /** The watcher-list and its watchers as attribute maps plus the URI under "uri". */
    private static List<Map<String, String>> watchers(Document d) {
        List<Map<String, String>> all = new ArrayList<>();
        NodeList ws = d.getElementsByTagNameNS(WatcherInfo.NAMESPACE, "watcher");
        for (int i = 0; i < ws.getLength(); i++) {
            Element w = (Element) ws.item(i);
            Map<String, String> m = new TreeMap<>();
            for (int a = 0; a < w.getAttributes().getLength(); a++) {
                m.put(w.getAttributes().item(a).getNodeName(), w.getAttributes().item(a).getNodeValue());
            }
            m.put("uri", w.getTextContent().strip());
            all.add(m);
        }
        return all;
    }

    private static Element list(Document d) {
        return (Element) d.getElementsByTagNameNS(WatcherInfo.NAMESPACE, "watcher-list").item(0);
    }

    @Test
    @DisplayName("RFC 3858 §5: the document has the shape of the RFC's example")
    void documentMatchesRfcExample() throws Exception {
        Document example;
        try (InputStream in = getClass().getResourceAsStream("/rfc3858/rfc3858-sec5-example.xml")) {
            example = parse(in.readAllBytes());
        }
        byte[] ours = WatcherInfo.document(0, true, "sip:professor@example.net", List.of(
                new PresenceNotifier.Watcher("8ajksjda7s", "sip:userA@example.net", null, "active", "approved"),
                new PresenceNotifier.Watcher("hh8juja87s997-ass7", "sip:userB@example.org", "Mr. Subscriber", "pending",
                        "subscribe")));
        assertThat(new String(ours, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("\n");
        Document d = parse(ours);
        Element root = d.getDocumentElement();
        Element exampleRoot = example.getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo(exampleRoot.getNamespaceURI()).isEqualTo(WatcherInfo.NAMESPACE);
        assertThat(root.getLocalName()).isEqualTo(exampleRoot.getLocalName()).isEqualTo("watcherinfo");
        assertThat(root.getAttribute("version")).isEqualTo(exampleRoot.getAttribute("version"));
        assertThat(root.getAttribute("state")).isEqualTo(exampleRoot.getAttribute("state"));
        assertThat(list(d).getAttribute("resource")).isEqualTo(list(example).getAttribute("resource"));
        assertThat(list(d).getAttribute("package")).isEqualTo(list(example).getAttribute("package"));
        List<Map<String, String>> expected = watchers(example);
        expected.forEach(m -> m.remove("duration-subscribed")); // optional, not kept
        assertThat(watchers(d)).isEqualTo(expected);
    }

    @Test
    @DisplayName("escapes what XML needs escaped and writes state=partial")
    void escapingAndPartial() throws Exception {
        Document d = parse(WatcherInfo.document(7, false, "sip:a@x", List.of(
                new PresenceNotifier.Watcher("i", "sip:b@x;p=\"<&>\"", "A & \"B\"", "terminated", "timeout"))));
        assertThat(d.getDocumentElement().getAttribute("state")).isEqualTo("partial");
        assertThat(d.getDocumentElement().getAttribute("version")).isEqualTo("7");
        assertThat(watchers(d).get(0)).containsEntry("uri", "sip:b@x;p=\"<&>\"").containsEntry("display-name", "A & \"B\"");
    }

    private SipResponse subscribeWinfo(String user, String callId, String... extra) {
        String[] all = new String[extra.length + 1];
        all[0] = "Event: presence.winfo";
        System.arraycopy(extra, 0, all, 1, extra.length);
        return f.send(f.request("SUBSCRIBE", user, ALICE, callId, "", all), user);
    }

    private SipResponse subscribePresence(String user, String callId, String... extra) {
        String[] all = new String[extra.length + 1];
        all[0] = "Event: presence";
        System.arraycopy(extra, 0, all, 1, extra.length);
        return f.send(f.request("SUBSCRIBE", user, ALICE, callId, "", all), user);
    }

    private Document lastWinfo() throws Exception {
        SipRequest n = f.lastNotifyTo("alice");
        assertThat(n.header("Event")).hasValue("presence.winfo");
        assertThat(n.header("Content-Type")).hasValue(WatcherInfo.CONTENT_TYPE);
        return parse(n.body());
    }

    private static String attr(Document d, String name) {
        return d.getDocumentElement().getAttribute(name);
    }

    @Test
    @DisplayName("UC 5.3: full list at once, then a partial document per change with increasing versions")
    void reactiveAuthorisation() throws Exception {
        SipResponse ok = subscribeWinfo("alice", "winfo-1", "Expires: 600");
        assertThat(ok.status()).isEqualTo(200);
        Document first = lastWinfo();
        assertThat(attr(first, "version")).isEqualTo("0");
        assertThat(attr(first, "state")).isEqualTo("full");
        assertThat(list(first).getAttribute("resource")).isEqualTo(ALICE);
        assertThat(list(first).getAttribute("package")).isEqualTo("presence");
        assertThat(watchers(first)).isEmpty();

        assertThat(subscribePresence("bob", "sub-bob", "Expires: 600").status()).isEqualTo(202);
        Document pending = lastWinfo();
        assertThat(attr(pending, "version")).isEqualTo("1");
        assertThat(attr(pending, "state")).isEqualTo("partial");
        assertThat(watchers(pending)).singleElement().satisfies(w -> assertThat(w)
                .containsEntry("uri", BOB).containsEntry("status", "pending").containsEntry("event", "subscribe"));
        String bobId = watchers(pending).get(0).get("id");

        f.writeRules(ALICE, rules(rule("bob", "<cr:one id=\"" + BOB + "\"/>", "allow", ALL)));
        assertThat(f.lastNotifyTo("bob").header("Subscription-State").orElseThrow()).startsWith("active");
        Document approved = lastWinfo();
        assertThat(attr(approved, "version")).isEqualTo("2");
        assertThat(watchers(approved)).singleElement().satisfies(w -> assertThat(w).containsEntry("id", bobId)
                .containsEntry("status", "active").containsEntry("event", "approved"));

        int before = f.notifiesTo("alice").size();
        f.writeRules(ALICE, rules(rule("bob", "<cr:one id=\"" + BOB + "\"/>", "allow", ALL)));
        assertThat(f.notifiesTo("alice")).as("no watcher changed").hasSize(before);

        // a refresh of the winfo subscription: the full list again, the numbering goes on
        SipRequest refresh = f.request("SUBSCRIBE", "alice", ALICE, "winfo-1", "", "Event: presence.winfo", "Expires: 600");
        refresh = refresh.withHeaders(refresh.headers().set("To", "<" + ALICE + ">;tag=" + ok.to().tag().orElseThrow()));
        assertThat(f.send(refresh, "alice").status()).isEqualTo(200);
        Document full = lastWinfo();
        assertThat(attr(full, "version")).isEqualTo("3");
        assertThat(attr(full, "state")).isEqualTo("full");
        assertThat(watchers(full)).singleElement().satisfies(w -> assertThat(w).containsEntry("id", bobId)
                .containsEntry("status", "active"));

        f.writeRules(ALICE, rules(rule("bob", "<cr:one id=\"" + BOB + "\"/>", "block", "")));
        Document rejected = lastWinfo();
        assertThat(attr(rejected, "version")).isEqualTo("4");
        assertThat(watchers(rejected)).singleElement().satisfies(w -> assertThat(w).containsEntry("id", bobId)
                .containsEntry("status", "terminated").containsEntry("event", "rejected"));
    }

    @Test
    @DisplayName("an unsubscribe and an expiry terminate the watcher; each winfo subscription numbers from 0")
    void unsubscribeAndExpiry() throws Exception {
        SipResponse sub = subscribePresence("bob", "sub-bob", "Expires: 600");
        assertThat(sub.status()).isEqualTo(202);
        assertThat(subscribePresence("carol", "sub-carol", "Expires: 60").status()).isEqualTo(202);

        assertThat(subscribeWinfo("alice", "winfo-2", "Expires: 3600").status()).isEqualTo(200);
        Document first = lastWinfo();
        assertThat(attr(first, "version")).isEqualTo("0");
        assertThat(watchers(first)).extracting(w -> w.get("uri")).containsExactlyInAnyOrder(BOB, CAROL);
        assertThat(watchers(first)).allSatisfy(w -> assertThat(w).containsEntry("status", "pending"));

        SipRequest un = f.request("SUBSCRIBE", "bob", ALICE, "sub-bob", "", "Event: presence", "Expires: 0");
        un = un.withHeaders(un.headers().set("To", "<" + ALICE + ">;tag=" + sub.to().tag().orElseThrow()));
        assertThat(f.send(un, "bob").status()).isIn(200, 202);
        Document gone = lastWinfo();
        assertThat(attr(gone, "version")).isEqualTo("1");
        assertThat(watchers(gone)).singleElement().satisfies(w -> assertThat(w).containsEntry("uri", BOB)
                .containsEntry("status", "terminated").containsEntry("event", "timeout"));

        f.advance(java.time.Duration.ofSeconds(61));
        Document expired = lastWinfo();
        assertThat(attr(expired, "version")).isEqualTo("2");
        assertThat(watchers(expired)).singleElement().satisfies(w -> assertThat(w).containsEntry("uri", CAROL)
                .containsEntry("status", "terminated").containsEntry("event", "timeout"));
    }

    @Test
    @DisplayName("RFC 3857 §5.1: only the presentity may subscribe to its watcher information (403)")
    void onlyTheOwner() {
        assertThat(subscribeWinfo("bob", "winfo-bob", "Expires: 600").status()).isEqualTo(403);
        assertThat(f.notifiesTo("bob")).isEmpty();
        assertThat(subscribeWinfo("alice", "winfo-acc", "Accept: application/pidf+xml").status()).isEqualTo(406);
    }
}
