package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.SystemScheduler;

/**
 * Presence over the wire, each test its own presentity (C5; RFC 3903, RFC 3856, RFC 5025, RFC
 * 4660/4661; UC 5.3 step 3, GU-4, GU-5, PP-4, IWF-4): multi-device composition, network state
 * from registration, 412 and recovery, expiry, per-watcher transformations, a filter, and
 * messaging that respects a busy presentity (UC 5.6 alternative flow). NOTIFY pacing is off here
 * (presence.notify.min-interval-ms=0) so each change is one NOTIFY; pacing has its own tests.
 */
@DisplayName("C5, RFC 3903, RFC 3856, UC 5.3, GU-4, GU-5, PP-4, IWF-4: presence lifecycle over the wire")
class PresenceLifecycleWireTest {
    static TestServer server;

    @BeforeAll
    static void start(@TempDir Path dataDir) throws Exception {
        server = TestServer.start(dataDir, new SystemScheduler(), Map.of(
                "presence.notify.min-interval-ms", "0", "presence.publish.min-expires", "1"));
        for (String u : List.of("ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal", "ida")) {
            server.addUser(u, u + "-secret", null, List.of());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String pidf(String user, String tuple, String basic, String note, String person) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
                + "xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\" "
                + "entity=\"sip:" + user + "@localhost\"><tuple id=\"" + tuple + "\"><status><basic>" + basic
                + "</basic></status><note>" + note + "</note></tuple>" + person + "</presence>";
    }

    static SipResponse publish(SipTestClient c, String user, String body, String extra) throws IOException {
        c.send(TrustedSender.request(c, "PUBLISH", user, "sip:" + user + "@localhost",
                "Event: presence\r\nContent-Type: application/pidf+xml\r\n" + extra, body));
        return c.receiveResponse();
    }

    /** Subscribes and returns the first NOTIFY's body, answered. */
    static String subscribe(SipTestClient c, String user, String target, String extra, String body) throws IOException {
        c.send(TrustedSender.request(c, "SUBSCRIBE", user, "sip:" + target + "@localhost",
                "Event: presence\r\nExpires: 600\r\n" + extra, body));
        SipResponse r = c.receiveResponse();
        assertThat(r.status()).as(r.startLine()).isEqualTo(200);
        return nextNotify(c);
    }

    static String nextNotify(SipTestClient c) throws IOException {
        SipRequest n = c.receiveRequest();
        assertThat(n.method()).isEqualTo("NOTIFY");
        c.send(n.createResponse(200, "w"));
        return new String(n.body(), StandardCharsets.UTF_8);
    }

    static int count(String haystack, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(haystack);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    @DisplayName("GU-4, UC 5.3 step 3: two devices' publications are composed into one document; a second registration is a second open tuple")
    void multiDeviceComposition() throws Exception {
        server.allowWatcher("ann", "ann-secret", "sip:bob@localhost");
        try (SipTestClient phone = TrustedSender.open(server, "ann", "ann-secret");
             SipTestClient laptop = TrustedSender.open(server, "ann", "ann-secret");
             SipTestClient bob = TrustedSender.open(server, "bob", "bob-secret")) {
            assertThat(publish(phone, "ann", pidf("ann", "phone", "open", "on my phone", ""), "Expires: 600\r\n").status())
                    .isEqualTo(200);
            String first = subscribe(bob, "bob", "ann", "", "");
            assertThat(first).contains("on my phone");
            assertThat(count(first, "parley-reg-")).as("two registered devices: two open network tuples").isEqualTo(2);

            assertThat(publish(laptop, "ann", pidf("ann", "laptop", "closed", "laptop asleep", ""), "Expires: 600\r\n")
                    .status()).isEqualTo(200);
            String both = nextNotify(bob);
            assertThat(both).contains("on my phone", "laptop asleep", "tuple id=\"phone\"", "tuple id=\"laptop\"");
        }
    }

    @Test
    @DisplayName("UC 5.3 step 3: network-provided state follows registration — open after REGISTER, closed after unregistering")
    void networkStateFollowsRegistration() throws Exception {
        server.allowWatcher("cat", "cat-secret", "sip:bob@localhost");
        try (SipTestClient bob = TrustedSender.open(server, "bob", "bob-secret")) {
            String offline = subscribe(bob, "bob", "cat", "", "");
            assertThat(offline).contains("<basic>closed</basic>").doesNotContain("<basic>open</basic>");

            try (SipTestClient cat = SipTestClient.tcp(server.sipPort(org.parley.sip.transport.Transport.TCP))) {
                Registration reg = new Registration(cat, "cat");
                String contact = reg.contact("cat-phone");
                assertThat(reg.register("cat-secret", contact, "600", "").status()).isEqualTo(200);
                assertThat(nextNotify(bob)).contains("<basic>open</basic>");

                assertThat(reg.register("cat-secret", contact, "0", "").status()).isEqualTo(200);
                assertThat(nextNotify(bob)).contains("<basic>closed</basic>").doesNotContain("<basic>open</basic>");
            }
        }
    }

    @Test
    @DisplayName("RFC 3903 §6: a stale SIP-If-Match gets 412; the device recovers with a new publication and no tuple is left twice")
    void staleEtagAndRecovery() throws Exception {
        server.allowWatcher("dan", "dan-secret", "sip:bob@localhost");
        try (SipTestClient dan = TrustedSender.open(server, "dan", "dan-secret");
             SipTestClient bob = TrustedSender.open(server, "bob", "bob-secret")) {
            SipResponse initial = publish(dan, "dan", pidf("dan", "desk", "open", "v1", ""), "Expires: 600\r\n");
            String first = initial.header("SIP-ETag").orElseThrow();
            SipResponse modified = publish(dan, "dan", pidf("dan", "desk", "open", "v2", ""),
                    "Expires: 600\r\nSIP-If-Match: " + first + "\r\n");
            assertThat(modified.status()).isEqualTo(200);
            assertThat(modified.header("SIP-ETag")).hasValueSatisfying(e -> assertThat(e).isNotEqualTo(first));

            SipResponse stale = publish(dan, "dan", pidf("dan", "desk", "open", "v3", ""),
                    "Expires: 600\r\nSIP-If-Match: " + first + "\r\n");
            assertThat(stale.status()).isEqualTo(412);

            assertThat(publish(dan, "dan", pidf("dan", "desk", "open", "v4", ""), "Expires: 600\r\n").status())
                    .isEqualTo(200);
            String seen = subscribe(bob, "bob", "dan", "", "");
            assertThat(count(seen, "tuple id=\"desk\"")).isEqualTo(1);
            assertThat(seen).contains("v4").doesNotContain("v2").doesNotContain("v3");
        }
    }

    @Test
    @DisplayName("RFC 3903 §6: a publication that is not refreshed expires and the watcher is told")
    void publicationExpires() throws Exception {
        server.allowWatcher("eve", "eve-secret", "sip:bob@localhost");
        try (SipTestClient eve = TrustedSender.open(server, "eve", "eve-secret");
             SipTestClient bob = TrustedSender.open(server, "bob", "bob-secret")) {
            assertThat(publish(eve, "eve", pidf("eve", "t", "open", "brief", ""), "Expires: 2\r\n").status()).isEqualTo(200);
            assertThat(subscribe(bob, "bob", "eve", "", "")).contains("brief");
            assertThat(nextNotify(bob)).as("after expiry").doesNotContain("brief").contains("parley-reg-");
        }
    }

    @Test
    @DisplayName("GU-5, RFC 5025 transformations: two watchers with different rules see different documents")
    void transformationsPerWatcher() throws Exception {
        String rules = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cr:ruleset xmlns=\"urn:ietf:params:xml:ns:pres-rules\" "
                + "xmlns:cr=\"urn:ietf:params:xml:ns:common-policy\">\n"
                + "<cr:rule id=\"friends\"><cr:conditions><cr:identity><cr:one id=\"sip:bob@localhost\"/></cr:identity>"
                + "</cr:conditions><cr:actions><sub-handling>allow</sub-handling></cr:actions><cr:transformations>"
                + "<provide-services><all-services/></provide-services><provide-persons><all-persons/></provide-persons>"
                + "<provide-all-attributes/></cr:transformations></cr:rule>\n"
                + "<cr:rule id=\"others\"><cr:conditions><cr:identity><cr:one id=\"sip:gus@localhost\"/></cr:identity>"
                + "</cr:conditions><cr:actions><sub-handling>allow</sub-handling></cr:actions><cr:transformations>"
                + "<provide-services><all-services/></provide-services></cr:transformations></cr:rule>\n</cr:ruleset>\n";
        server.xcapPut("fay", "fay-secret", "pres-rules", "application/auth-policy+xml", rules);
        try (SipTestClient fay = TrustedSender.open(server, "fay", "fay-secret");
             SipTestClient bob = TrustedSender.open(server, "bob", "bob-secret");
             SipTestClient gus = TrustedSender.open(server, "gus", "gus-secret")) {
            assertThat(publish(fay, "fay", pidf("fay", "t", "open", "in the garden",
                    "<dm:person id=\"p\"><rpid:activities><rpid:meal/></rpid:activities></dm:person>"),
                    "Expires: 600\r\n").status()).isEqualTo(200);
            String friend = subscribe(bob, "bob", "fay", "", "");
            String other = subscribe(gus, "gus", "fay", "", "");
            assertThat(friend).contains("in the garden", "meal", "<basic>open</basic>");
            assertThat(other).contains("<basic>open</basic>").doesNotContain("in the garden").doesNotContain("meal");
        }
    }

    @Test
    @DisplayName("IWF-4, RFC 4660/4661: a filter for the basic status only, notified only when it changes")
    void filterOverTheWire() throws Exception {
        server.allowWatcher("gus", "gus-secret", "sip:bob@localhost");
        String filter = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><filter-set xmlns=\"urn:ietf:params:xml:ns:simple-filter\">"
                + "<ns-bindings><ns-binding prefix=\"p\" urn=\"urn:ietf:params:xml:ns:pidf\"/></ns-bindings>"
                + "<filter id=\"f\"><what><include>/p:presence/p:tuple[@id='t']/p:status</include></what>"
                + "<trigger><changed>/p:presence/p:tuple[@id='t']/p:status/p:basic</changed></trigger></filter></filter-set>";
        try (SipTestClient gus = TrustedSender.open(server, "gus", "gus-secret");
             SipTestClient bob = TrustedSender.open(server, "bob", "bob-secret")) {
            String etag = publish(gus, "gus", pidf("gus", "t", "open", "note one", ""), "Expires: 600\r\n")
                    .header("SIP-ETag").orElseThrow();
            String first = subscribe(bob, "bob", "gus", "Content-Type: application/simple-filter+xml\r\n", filter);
            assertThat(first).contains("<basic>open</basic>").doesNotContain("note one").doesNotContain("parley-reg");

            etag = publish(gus, "gus", pidf("gus", "t", "open", "note two", ""),
                    "Expires: 600\r\nSIP-If-Match: " + etag + "\r\n").header("SIP-ETag").orElseThrow();
            assertThat(bob.poll(700)).as("a note change is not a trigger").isEmpty();

            publish(gus, "gus", pidf("gus", "t", "closed", "note two", ""), "Expires: 600\r\nSIP-If-Match: " + etag + "\r\n");
            assertThat(nextNotify(bob)).contains("<basic>closed</basic>").doesNotContain("note two");
        }
    }

    @Test
    @DisplayName("GU-4, PP-4, UC 5.6 alternative flow: a presentity that publishes it is busy gets no message; the sender hears 480, the presentity an attempted-contact notice")
    void busyPresentityDeclinesMessages() throws Exception {
        try (SipTestClient ann = TrustedSender.open(server, "ann", "ann-secret");
             SipTestClient bob = TrustedSender.open(server, "bob", "bob-secret")) {
            assertThat(publish(ann, "ann", pidf("ann", "busy-t", "open", "",
                    "<dm:person id=\"p\"><rpid:activities><rpid:busy/></rpid:activities></dm:person>"), "Expires: 600\r\n")
                    .status()).isEqualTo(200);
            bob.send(TrustedSender.message(bob, "bob", "sip:ann@localhost", "are you there?"));
            SipResponse r = bob.receiveResponse();
            assertThat(r.status()).isEqualTo(480);
            assertThat(r.reason()).contains("busy");
            SipMessage notice = ann.receive();
            while (!(notice instanceof SipRequest req && req.method().equals("MESSAGE"))) {
                notice = ann.receive();
            }
            ann.send(((SipRequest) notice).createResponse(200, "a"));
            assertThat(new String(notice.body(), StandardCharsets.UTF_8)).contains("Attempted contact from sip:bob@localhost")
                    .doesNotContain("are you there?");
        }
    }

    static String handling(String watcher, String action) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cr:ruleset xmlns=\"urn:ietf:params:xml:ns:pres-rules\" "
                + "xmlns:cr=\"urn:ietf:params:xml:ns:common-policy\">\n<cr:rule id=\"r\"><cr:conditions><cr:identity>"
                + "<cr:one id=\"" + watcher + "\"/></cr:identity></cr:conditions><cr:actions><sub-handling>" + action
                + "</sub-handling></cr:actions><cr:transformations><provide-services><all-services/></provide-services>"
                + "<provide-all-attributes/></cr:transformations></cr:rule>\n</cr:ruleset>\n";
    }

    static void halRules(String document) throws Exception {
        server.xcapPut("hal", "hal-secret", "pres-rules", "application/auth-policy+xml", document);
    }

    static final String NO_RULES = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cr:ruleset "
            + "xmlns:cr=\"urn:ietf:params:xml:ns:common-policy\"/>\n";

    @Test
    @DisplayName("RFC 5025 §3.2.1, IWF-8: polite-block shows a neutral offline document; block terminates; removing the rule ends an active subscription")
    void blockPoliteBlockAndRemoval() throws Exception {
        try (SipTestClient hal = TrustedSender.open(server, "hal", "hal-secret");
             SipTestClient bob = TrustedSender.open(server, "bob", "bob-secret")) {
            assertThat(publish(hal, "hal", pidf("hal", "t", "open", "at home", ""), "Expires: 600\r\n").status())
                    .isEqualTo(200);
            halRules(handling("sip:bob@localhost", "polite-block"));
            String neutral = subscribe(bob, "bob", "hal", "", "");
            assertThat(neutral).contains("<basic>closed</basic>").doesNotContain("at home").doesNotContain("<basic>open</basic>");

            halRules(handling("sip:bob@localhost", "allow"));
            assertThat(nextNotify(bob)).contains("at home", "<basic>open</basic>");

            halRules(NO_RULES);
            SipRequest ended = bob.receiveRequest();
            bob.send(ended.createResponse(200, "w"));
            assertThat(ended.header("Subscription-State")).hasValueSatisfying(v -> assertThat(v).startsWith("terminated"));

            halRules(handling("sip:bob@localhost", "block"));
            bob.send(TrustedSender.request(bob, "SUBSCRIBE", "bob", "sip:hal@localhost", "Event: presence\r\nExpires: 600\r\n", ""));
            assertThat(bob.receiveResponse().status()).isEqualTo(403);
        }
    }

    @Test
    @DisplayName("RFC 6665 §4.1.2.3: the notifier's Contact is this server's address, so an unsubscribe sent to it ends the subscription")
    void unsubscribeThroughTheNotifiersContact() throws Exception {
        server.allowWatcher("ann", "ann-secret", "sip:cat@localhost");
        try (SipTestClient cat = TrustedSender.open(server, "cat", "cat-secret")) {
            String subscribe = TrustedSender.request(cat, "SUBSCRIBE", "cat", "sip:ann@localhost",
                    "Event: presence\r\nExpires: 600\r\n", "");
            cat.send(subscribe);
            SipResponse ok = cat.receiveResponse();
            assertThat(ok.status()).isEqualTo(200);
            String contact = ok.header("Contact").orElseThrow();
            assertThat(contact).as("an address of this server, not the presentity's AOR")
                    .startsWith("<sip:ann@127.0.0.1:" + server.sipPort(org.parley.sip.transport.Transport.TCP))
                    .contains("transport=tcp");
            nextNotify(cat);

            String target = contact.substring(1, contact.indexOf('>'));
            String unsubscribe = subscribe.replaceFirst("^SUBSCRIBE [^ ]+ ", "SUBSCRIBE " + target + " ")
                    .replace("CSeq: 1 SUBSCRIBE", "CSeq: 2 SUBSCRIBE").replace("Expires: 600", "Expires: 0")
                    .replace("To: <sip:ann@localhost>", "To: <sip:ann@localhost>;tag=" + ok.to().tag().orElseThrow())
                    .replaceFirst("branch=[^\\r;]+", "branch=z9hG4bK-unsub-" + System.nanoTime());
            cat.send(unsubscribe);
            assertThat(cat.receiveResponse().status()).isEqualTo(200);
            SipRequest last = cat.receiveRequest();
            cat.send(last.createResponse(200, "w"));
            assertThat(last.header("Subscription-State")).hasValueSatisfying(v -> assertThat(v).startsWith("terminated"));
        }
    }

    @Test
    @DisplayName("PP-4, RFC 3863, RFC 4479, issue 14 §4: appear offline — a registered user who publishes closed is seen closed only; open again brings the registration back")
    void appearOffline() throws Exception {
        server.allowWatcher("ida", "ida-secret", "sip:bob@localhost");
        try (SipTestClient ida = TrustedSender.open(server, "ida", "ida-secret");
             SipTestClient bob = TrustedSender.open(server, "bob", "bob-secret")) {
            assertThat(subscribe(bob, "bob", "ida", "", "")).as("registered, nothing published")
                    .contains("<basic>open</basic>");
            String etag = publish(ida, "ida", pidf("ida", "pc", "closed", "invisible", ""), "Expires: 600\r\n")
                    .header("SIP-ETag").orElseThrow();
            String hidden = nextNotify(bob);
            assertThat(hidden).contains("<basic>closed</basic>").doesNotContain("<basic>open</basic>")
                    .doesNotContain("parley-reg");

            publish(ida, "ida", pidf("ida", "pc", "open", "back", ""), "Expires: 600\r\nSIP-If-Match: " + etag + "\r\n");
            String back = nextNotify(bob);
            assertThat(back).contains("back", "parley-reg-").doesNotContain("<basic>closed</basic>");
        }
    }
}
