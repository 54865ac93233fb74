package org.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.presence.PresenceFixture.ALICE;
import static org.parley.presence.PresenceFixture.ALL;
import static org.parley.presence.PresenceFixture.BOB;
import static org.parley.presence.PresenceFixture.CAROL;
import static org.parley.presence.PresenceFixture.pidf;
import static org.parley.presence.PresenceFixture.rule;
import static org.parley.presence.PresenceFixture.rules;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;

@DisplayName("C5 presence server over a real transaction layer")
class PresenceServiceTest {
    private final PresenceFixture f = new PresenceFixture();

    private SipResponse publish(String body, String... extra) {
        return f.send(f.request("PUBLISH", "alice", ALICE, "pub-" + System.nanoTime(), body, withEvent(extra)), "alice");
    }

    private static String[] withEvent(String... extra) {
        String[] all = new String[extra.length + 1];
        all[0] = "Event: presence";
        System.arraycopy(extra, 0, all, 1, extra.length);
        return all;
    }

    private SipResponse subscribe(String watcher, String callId, String... extra) {
        return f.send(f.request("SUBSCRIBE", watcher, ALICE, callId, "", withEvent(extra)), watcher);
    }

    private static String body(SipRequest r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("RFC 3903 initial, refresh, modify and remove; stale entity tags get 412")
    void publicationLifecycle() {
        SipResponse initial = publish(pidf(ALICE, "t1", "open", ""), "Expires: 600");
        assertThat(initial.status()).isEqualTo(200);
        String etag = initial.header("SIP-ETag").orElseThrow();
        assertThat(initial.header("Expires")).hasValue("600");

        SipResponse refresh = publish("", "SIP-If-Match: " + etag, "Expires: 600");
        assertThat(refresh.status()).isEqualTo(200);
        String etag2 = refresh.header("SIP-ETag").orElseThrow();
        assertThat(etag2).isNotEqualTo(etag);
        assertThat(publish("", "SIP-If-Match: " + etag).status()).as("stale tag").isEqualTo(412);

        SipResponse modify = publish(pidf(ALICE, "t1", "closed", ""), "SIP-If-Match: " + etag2);
        assertThat(modify.status()).isEqualTo(200);
        String etag3 = modify.header("SIP-ETag").orElseThrow();

        SipResponse remove = publish("", "SIP-If-Match: " + etag3, "Expires: 0");
        assertThat(remove.status()).isEqualTo(200);
        assertThat(publish("", "SIP-If-Match: " + etag3).status()).isEqualTo(412);
        assertThat(publish("", "SIP-If-Match: no-such-tag").status()).isEqualTo(412);
    }

    @Test
    @DisplayName("RFC 3903 refusals: 423 Min-Expires, 400 for a body that is not PIDF, 489 unknown event, 403 not the owner, 407 unauthenticated")
    void publishRefusals() {
        SipResponse brief = publish(pidf(ALICE, "t1", "open", ""), "Expires: 5");
        assertThat(brief.status()).isEqualTo(423);
        assertThat(brief.header("Min-Expires")).hasValue("60");
        assertThat(publish("<presence xmlns=\"urn:example\" entity=\"x\"/>").status()).isEqualTo(400);
        SipResponse broken = publish("<presence");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.reason()).contains("well-formed");
        assertThat(publish("").status()).as("initial without body").isEqualTo(400);

        SipRequest dialog = f.request("PUBLISH", "alice", ALICE, "p-ev", pidf(ALICE, "t", "open", ""), "Event: dialog");
        assertThat(f.send(dialog, "alice").status()).isEqualTo(489);

        SipRequest byBob = f.request("PUBLISH", "bob", ALICE, "p-bob", pidf(ALICE, "t", "open", ""), "Event: presence");
        assertThat(f.send(byBob, "bob").status()).isEqualTo(403);

        SipRequest overUdp = f.request("PUBLISH", "alice", ALICE, "p-udp", pidf(ALICE, "t", "open", ""), "Event: presence");
        assertThat(f.send(overUdp, PresenceFixture.UDP).status()).isEqualTo(407);
    }

    @Test
    @DisplayName("RFC 5025 allow, RFC 3856: a watcher on the access list is active at once and hears every change (IWF-2, GU-4)")
    void allowedWatcherSeesChanges() throws Exception {
        f.writeRules(ALICE, rules(rule("r1", "<cr:one id=\"" + BOB + "\"/>", "allow", ALL)));
        publish(pidf(ALICE, "mobile", "open", "<note>In a meeting</note>"), "Expires: 600");

        SipResponse ok = subscribe("bob", "sub-bob");
        assertThat(ok.status()).isEqualTo(200);
        SipRequest first = f.lastNotifyTo("bob");
        assertThat(first.header("Subscription-State").orElseThrow()).startsWith("active");
        assertThat(first.header("Event")).hasValue("presence");
        assertThat(body(first)).contains("mobile", "In a meeting", "parley-reg-");

        publish(pidf(ALICE, "laptop", "closed", ""), "Expires: 600");
        f.advance(PresenceSettings.defaults().notifyInterval());
        assertThat(body(f.lastNotifyTo("bob"))).contains("laptop", "mobile");
    }

    @Test
    @DisplayName("RFC 5025 confirm: no rule leaves the watcher pending (202, empty NOTIFY); a new allow rule activates it (UC 5.3, IWF-3)")
    void reactiveAuthorisation() throws Exception {
        publish(pidf(ALICE, "mobile", "open", ""), "Expires: 600");
        SipResponse pending = subscribe("bob", "sub-pending");
        assertThat(pending.status()).isEqualTo(202);
        SipRequest n = f.lastNotifyTo("bob");
        assertThat(n.header("Subscription-State").orElseThrow()).startsWith("pending");
        assertThat(n.body()).isEmpty();

        publish(pidf(ALICE, "laptop", "open", ""), "Expires: 600");
        assertThat(f.notifiesTo("bob")).as("pending watchers hear nothing").hasSize(1);

        f.writeRules(ALICE, rules(rule("r1", "<cr:one id=\"" + BOB + "\"/>", "allow", ALL)));
        SipRequest active = f.lastNotifyTo("bob");
        assertThat(active.header("Subscription-State").orElseThrow()).startsWith("active");
        assertThat(body(active)).contains("mobile", "laptop");
    }

    @Test
    @DisplayName("RFC 5025 block: 403; removing an allowed watcher terminates its subscription with reason=rejected (IWF-8)")
    void blockAndRemoval() throws Exception {
        f.writeRules(ALICE, rules(rule("r1", "<cr:one id=\"sip:carol@example.com\"/>", "block", "")));
        assertThat(subscribe("carol", "sub-carol").status()).isEqualTo(403);

        f.writeRules(ALICE, rules(rule("r1", "<cr:one id=\"" + BOB + "\"/>", "allow", ALL)));
        assertThat(subscribe("bob", "sub-bob").status()).isEqualTo(200);
        f.writeRules(ALICE, rules());
        SipRequest last = f.lastNotifyTo("bob");
        assertThat(last.header("Subscription-State")).hasValue("terminated;reason=rejected");
        assertThat(f.server.services()).hasSize(4); // PUBLISH, SUBSCRIBE to lists, to presence, to presence.winfo
    }

    @Test
    @DisplayName("RFC 5025 polite-block: the subscription looks active but shows one closed tuple and no notes (GU-5)")
    void politeBlock() throws Exception {
        f.writeRules(ALICE, rules(rule("r1", "<cr:many/>", "polite-block", "")));
        publish(pidf(ALICE, "mobile", "open", "<note>secret</note>"), "Expires: 600");
        assertThat(subscribe("bob", "sub-bob").status()).isEqualTo(200);
        SipRequest n = f.lastNotifyTo("bob");
        assertThat(n.header("Subscription-State").orElseThrow()).startsWith("active");
        assertThat(body(n)).contains("closed").doesNotContain("secret", "mobile", "open");

        publish(pidf(ALICE, "laptop", "open", ""), "Expires: 600");
        assertThat(f.notifiesTo("bob")).as("no timing hint for a blocked watcher").hasSize(1);
    }

    @Test
    @DisplayName("C5 network-provided presence and expiry: a lapsed publication and registration notify the watcher (UC 5.3)")
    void expiryNotifies() throws Exception {
        f.writeRules(ALICE, rules(rule("r1", "<cr:one id=\"" + BOB + "\"/>", "allow", ALL)));
        f.register("bob", Duration.ofHours(3)); // keep the watcher's own binding alive
        f.register("alice", Duration.ofSeconds(300));
        publish(pidf(ALICE, "mobile", "open", ""), "Expires: 120");
        subscribe("bob", "sub-bob", "Expires: 7200");
        assertThat(body(f.lastNotifyTo("bob"))).contains("mobile");

        f.advance(Duration.ofSeconds(121));
        String afterPublication = body(f.lastNotifyTo("bob"));
        assertThat(afterPublication).doesNotContain("mobile").contains("<basic>open</basic>");

        f.advance(Duration.ofSeconds(200));
        assertThat(body(f.lastNotifyTo("bob"))).contains("<basic>closed</basic>").doesNotContain("<basic>open</basic>");
    }

    @Test
    @DisplayName("RFC 3856: the watcher unsubscribes at any time (IWF-8); presence.winfo is not this package")
    void unsubscribe() throws Exception {
        f.writeRules(ALICE, rules(rule("r1", "<cr:one id=\"" + BOB + "\"/>", "allow", ALL)));
        SipResponse ok = subscribe("bob", "sub-bob");
        String toTag = ok.to().tag().orElseThrow();
        SipRequest un = f.request("SUBSCRIBE", "bob", ALICE, "sub-bob", "", "Event: presence", "Expires: 0");
        un = un.withHeaders(un.headers().set("To", "<" + ALICE + ">;tag=" + toTag));
        assertThat(f.send(un, "bob").status()).isEqualTo(200);
        assertThat(f.lastNotifyTo("bob").header("Subscription-State").orElseThrow()).startsWith("terminated");
        assertThat(f.server.services().get(1).accepts(
                f.request("SUBSCRIBE", "bob", ALICE, "w", "", "Event: presence.winfo"))).isFalse();
    }

    @Test
    @DisplayName("issue 9 §7, RFC 6665 §4.1.3: a deleted account's watchers end with noresource, its own subscriptions with rejected, its publications go")
    void deletedAccountEndsEverySubscriptionBothWays() throws Exception {
        f.writeRules(ALICE, rules(rule("r1", "<cr:one id=\"" + BOB + "\"/>", "allow", ALL)));
        f.writeRules(CAROL, rules(rule("r1", "<cr:one id=\"" + ALICE + "\"/>", "allow", ALL)));
        publish(pidf(ALICE, "mobile", "open", ""), "Expires: 600");
        assertThat(subscribe("bob", "sub-bob").status()).isEqualTo(200);
        assertThat(f.send(f.request("SUBSCRIBE", "alice", CAROL, "sub-alice", "", "Event: presence"), "alice").status())
                .isEqualTo(200);

        f.server.endAccount(ALICE);

        assertThat(f.lastNotifyTo("bob").header("Subscription-State")).hasValue("terminated;reason=noresource");
        assertThat(f.lastNotifyTo("alice").header("Subscription-State")).hasValue("terminated;reason=rejected");
        int toBob = f.notifiesTo("bob").size();
        publish(pidf(ALICE, "mobile", "closed", ""), "Expires: 600");
        f.advance(PresenceSettings.defaults().notifyInterval());
        assertThat(f.notifiesTo("bob")).as("the ended subscription hears nothing more").hasSize(toBob);
    }
}
