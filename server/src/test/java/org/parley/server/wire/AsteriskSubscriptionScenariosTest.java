package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;
import org.parley.xdm.oma.Dom;
import org.parley.xdm.xcap.Xml;
import org.w3c.dom.Element;

/**
 * The subscription scenarios of the Asterisk test suite (github.com/asterisk/testsuite,
 * tests/channels/pjsip/subscriptions, GPL-2.0 test data, adapted under
 * src/test/resources/sipp/asterisk/ with a header naming each original) run with SIPp against
 * Parley: presence (RFC 3856 over RFC 6665; PIDF RFC 3863, RPID RFC 4480, PUBLISH RFC 3903;
 * pres-rules RFC 5025), messages waiting (RFC 3842) and the refusals of RFC 6665. RLS scenarios
 * are in {@link AsteriskRlsScenariosTest}.
 *
 * <p>What Parley does differently from the Asterisk these scenarios were written for, and so what
 * the adaptations change (each scenario's header says what applies to it):
 * <ul>
 *   <li>presentities are users, {@code sip:<user>@localhost}, not Asterisk extensions and hints;</li>
 *   <li>every SUBSCRIBE and PUBLISH is authenticated (GS-1): SIPp answers the 407 with MD5 digest
 *       (the default algorithm); where the order of the challenge and the answer
 *       under test is the server's choice, the scenario accepts the 407 as optional;</li>
 *   <li>a watcher needs the presentity's pres-rules to allow it (written here over XCAP), else it is
 *       pending (202 and a NOTIFY without state) or, when blocked, refused;</li>
 *   <li>presence state is what the presentity PUBLISHes and what the network knows (a registered
 *       device is an open tuple), not Asterisk device or presence states set over AMI: the test
 *       publishes, registers or sends a pager message where the original sent an AMI action;</li>
 *   <li>the original tests waited for AMI TestEvents before changing state; the adapted scenarios
 *       report "established" through an exec action ({@link ScenarioSteps}) and the test waits
 *       for it, so no step races a timer;</li>
 *   <li>NOTIFY bodies are application/pidf+xml only; where the original parsed bodies with a
 *       Python module, SIPp checks each body with regular expressions and, for verify_pidf, the
 *       test parses the bodies from SIPp's message trace ({@link SippMessageLog}).</li>
 * </ul>
 *
 * <p>Not adapted, because what they test does not exist in Parley (there is nothing honest to
 * assert): presence/dialog_info_xml (the dialog event package, RFC 4235, with bodies built from
 * Asterisk device states; Parley serves no dialog package), presence/digium_presence (Digium's
 * proprietary {@code <digium_presence>} body supplement), the xpidf body checks of
 * presence/presence_xpidf and presence/verify_bodies/verify_xpidf (Parley produces no
 * application/xpidf+xml; only their negotiation is tested, see {@link #xpidfOnlyAcceptIsRefused}).
 * MWI and ast_restart were outside this adaptation's scope.
 *
 * <p>Every test starts its own server, as every Asterisk test started its own Asterisk, so that no
 * publication, subscription or stored message of one scenario is seen by another.
 */
@DisplayName("RFC 6665, RFC 3856, RFC 3903, RFC 3842, RFC 5025, UC 5.3, GS-1 (interop): Asterisk subscription scenarios with SIPp")
class AsteriskSubscriptionScenariosTest {
    /** A presentity state as bob publishes it: the note Asterisk wrote for the device state, basic status, RPID activity. */
    private record State(String note, boolean open, String activity) {
    }

    /** presence_pidf's state_check.py: INUSE, ONHOLD, BUSY, RINGING, UNAVAILABLE, NOT_INUSE. */
    private static final List<State> PIDF_WALK = List.of(
            new State("On the phone", true, "<rpid:on-the-phone/>"),
            new State("On hold", true, "<rpid:on-the-phone/>"),
            new State("On the phone", true, "<rpid:busy/>"),
            new State("Ringing", true, null),
            new State("Unavailable", false, null),
            new State("Ready", true, null));

    /** verify_pidf's ami-config order after the initial Ready: RINGING, INUSE, ONHOLD, BUSY, UNAVAILABLE, NOT_INUSE. */
    private static final List<State> VERIFY_WALK = List.of(
            new State("Ringing", true, null),
            new State("On the phone", true, "<rpid:on-the-phone/>"),
            new State("On hold", true, "<rpid:on-the-phone/>"),
            new State("On the phone", true, "<rpid:busy/>"),
            new State("Unavailable", false, null),
            new State("Ready", true, null));

    private static final State READY = new State("Ready", true, null);

    private TestServer server;

    @TempDir
    Path work;

    @BeforeEach
    void start() throws Exception {
        // the scenarios expect one NOTIFY per change, as Asterisk sends them: Parley's pacing is off here
        server = TestServer.start(work.resolve("server"), new SystemScheduler(), Map.of("presence.notify.min-interval-ms", "0"));
        for (String u : List.of("alice", "bob", "carol", "sipp")) {
            server.addUser(u, u + "-secret", null, List.of());
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int udp() {
        return server.sipPort(Transport.UDP);
    }

    /** SIPp's digest credentials for {@code user} (the scenarios answer 401/407 with them). */
    private static String[] credentials(String user, String... more) {
        List<String> args = new ArrayList<>(List.of("-au", user, "-ap", user + "-secret"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private void allow(String presentity, String watcher) throws Exception {
        server.allowWatcher(presentity, presentity + "-secret", "sip:" + watcher + "@localhost");
    }

    private static void publish(Publisher p, State s) throws Exception {
        p.publish(p.pidf(s.note(), s.open(), s.activity()));
    }

    private static void assertPassed(Sipp.Result r) {
        assertThat(r.passed()).as(r.output()).isTrue();
    }

    /** Runs a scenario in which alice subscribes to {@code target} and nothing else takes part; it must pass. */
    private void aliceSubscribes(String scenario, String target) throws Exception {
        assertPassed(Sipp.run("asterisk/" + scenario, udp(), "u1", List.of("alice;localhost;" + target), 1, credentials("alice")));
    }

    /**
     * presence/presence_pidf (RFC 3856, RFC 3903, RFC 3863, UC 5.3): alice registers, subscribes to
     * bob and sees each of bob's six state changes in its own NOTIFY, with the note and basic
     * status bob published; publishing the last state again brings no NOTIFY.
     */
    @Test
    @DisplayName("presence/presence_pidf — RFC 3856, RFC 3903, RFC 3863, UC 5.3: every published state reaches the watcher, a repeated one does not")
    void presencePidf() throws Exception {
        allow("bob", "alice");
        try (Publisher bob = new Publisher(server, "bob", "bob-secret")) {
            publish(bob, READY);
            int port = Sipp.freePort();
            assertPassed(Sipp.startOn(port, "asterisk/presence/alice-registers.xml", udp(), "u1", List.of("alice;localhost"), 1,
                    credentials("alice")).await());
            ScenarioSteps steps = ScenarioSteps.in(work);
            try (Sipp.Running alice = Sipp.startOn(port, "asterisk/presence/presence_pidf/alice-subscribes.xml", udp(), "u1",
                    List.of("alice;localhost;bob;" + steps.path()), 1, credentials("alice"))) {
                steps.await("established", alice);
                for (State s : PIDF_WALK) {
                    publish(bob, s);
                }
                publish(bob, READY); // state_check.py's final '' state: Ready again, no change
                assertPassed(alice.await());
            }
        }
    }

    /**
     * presence/verify_bodies/verify_pidf (RFC 3863, RFC 4479, RFC 4480, RFC 3856): seven NOTIFYs,
     * each a well-formed PIDF document in the right namespaces, for sip:bob@localhost, with bob's
     * tuple, its contact of priority 1, the note and basic status of that state, and the RPID
     * activity bob published (none where he published none) — what the original's BodyCheck
     * module verified.
     */
    @Test
    @DisplayName("presence/verify_bodies/verify_pidf — RFC 3863, RFC 4479, RFC 4480, RFC 3856: seven NOTIFY bodies are correct PIDF")
    void verifyPidfBodies() throws Exception {
        allow("bob", "alice");
        Path trace = work.resolve("verify_pidf.log");
        List<State> expected = new ArrayList<>(List.of(READY));
        expected.addAll(VERIFY_WALK);
        try (Publisher bob = new Publisher(server, "bob", "bob-secret")) {
            publish(bob, READY);
            ScenarioSteps steps = ScenarioSteps.in(work);
            try (Sipp.Running alice = Sipp.start("asterisk/presence/verify_bodies/verify_pidf/subscribe.xml", udp(), "u1",
                    List.of("alice;localhost;bob;" + steps.path()), 1, credentials("alice", SippMessageLog.options(trace)))) {
                steps.await("established", alice);
                for (State s : VERIFY_WALK) {
                    publish(bob, s);
                }
                assertPassed(alice.await());
            }
        }
        List<SipRequest> notifies = SippMessageLog.notifies(trace);
        assertThat(notifies).as("expected_notifies: 7").hasSize(7);
        for (int i = 0; i < notifies.size(); i++) {
            assertPidf(notifies.get(i), expected.get(i), "NOTIFY " + (i + 1));
        }
    }

    private static final String PIDF = "urn:ietf:params:xml:ns:pidf";
    private static final String DATA_MODEL = "urn:ietf:params:xml:ns:pidf:data-model";
    private static final String RPID = "urn:ietf:params:xml:ns:pidf:rpid";

    private static void assertPidf(SipRequest notify, State state, String which) throws Exception {
        assertThat(notify.contentType()).as(which).hasValueSatisfying(t -> assertThat(t).startsWith("application/pidf+xml"));
        Element presence = Xml.parse(notify.body()).getDocumentElement();
        assertThat(presence.getNamespaceURI() + " " + presence.getLocalName()).as(which).isEqualTo(PIDF + " presence");
        assertThat(presence.getAttribute("entity")).as(which).isEqualTo("sip:bob@localhost");
        Element tuple = Dom.children(presence, PIDF, "tuple").stream().filter(t -> t.getAttribute("id").equals("bob"))
                .findFirst().orElseThrow(() -> new AssertionError(which + ": no tuple 'bob'"));
        Element basic = only(only(tuple, PIDF, "status", which), PIDF, "basic", which);
        assertThat(basic.getTextContent()).as(which + " basic").isEqualTo(state.open() ? "open" : "closed");
        Element contact = only(tuple, PIDF, "contact", which);
        assertThat(contact.getAttribute("priority")).as(which + " contact priority").isEqualTo("1");
        assertThat(contact.getTextContent()).as(which + " contact").isEqualTo("sip:bob@localhost");
        assertThat(Dom.children(presence, PIDF, "note")).as(which + " note").singleElement()
                .satisfies(n -> assertThat(n.getTextContent()).isEqualTo(state.note()));
        List<Element> persons = Dom.children(presence, DATA_MODEL, "person");
        if (state.activity() == null) {
            assertThat(persons).as(which + ": no activity published, none shown").isEmpty();
        } else {
            Element activities = only(persons.stream().findFirst().orElseThrow(() -> new AssertionError(which + ": no person")),
                    RPID, "activities", which);
            String name = state.activity().replaceAll("[<>/]|rpid:", "");
            assertThat(Dom.children(activities, RPID, name)).as(which + " activity " + name).hasSize(1);
        }
    }

    private static Element only(Element parent, String ns, String local, String which) {
        List<Element> found = Dom.children(parent, ns, local);
        assertThat(found).as(which + ": one {" + ns + "}" + local + " in " + parent.getLocalName()).hasSize(1);
        return found.get(0);
    }

    /**
     * presence/unsubscribe (RFC 6665, RFC 3856, IWF-8): alice registers, subscribes to bob (active
     * NOTIFY), unsubscribes with Expires 0 in the dialog and gets the terminated NOTIFY; nothing
     * follows it.
     */
    @Test
    @DisplayName("presence/unsubscribe — RFC 6665, RFC 3856, IWF-8: the watcher unsubscribes and gets the terminated NOTIFY")
    void unsubscribe() throws Exception {
        allow("bob", "alice");
        int port = Sipp.freePort();
        assertPassed(Sipp.startOn(port, "asterisk/presence/alice-registers.xml", udp(), "u1", List.of("alice;localhost"), 1,
                credentials("alice")).await());
        assertPassed(Sipp.startOn(port, "asterisk/presence/unsubscribe/alice-subscribes.xml", udp(), "u1",
                List.of("alice;localhost;bob"), 1, credentials("alice")).await());
    }

    /**
     * presence/resubscribe (RFC 6665, RFC 3856): a subscription for 300 s refreshed for 600 s; each
     * NOTIFY says active with the time granted, the refresh's 200 says Expires 600.
     */
    @Test
    @DisplayName("presence/resubscribe — RFC 6665, RFC 3856: a refresh extends the subscription to 600 s")
    void resubscribe() throws Exception {
        allow("bob", "alice");
        aliceSubscribes("presence/resubscribe/subscribe.xml", "bob");
    }

    /**
     * presence/no_accept_header (RFC 3856, RFC 6665, RFC 4480): without Accept the NOTIFY is
     * application/pidf+xml and carries what alice published (away, meal, "banana" — the
     * standard form of the original's Digium away/lunch/banana).
     */
    @Test
    @DisplayName("presence/no_accept_header — RFC 3856, RFC 6665, RFC 4480: no Accept means PIDF, with the published state")
    void noAcceptHeader() throws Exception {
        try (Publisher alice = new Publisher(server, "alice", "alice-secret")) {
            alice.publish(alice.pidf("banana", true, "<rpid:away/><rpid:meal/>"));
            aliceSubscribes("presence/no_accept_header/subscribe.xml", "alice");
        }
    }

    /**
     * presence/presencestate_repeat (RFC 3903, RFC 6665, RFC 4480): bob publishes the state he
     * already has, then refreshes his publication without a body; alice gets no NOTIFY for either.
     */
    @Test
    @DisplayName("presence/presencestate_repeat — RFC 3903, RFC 6665, RFC 4480: the same presence state again brings no NOTIFY")
    void presenceStateRepeat() throws Exception {
        allow("bob", "alice");
        try (Publisher bob = new Publisher(server, "bob", "bob-secret")) {
            String sick = bob.pidf("feeling a bit sick", true, "<rpid:away/><rpid:other>scrambled</rpid:other>");
            bob.publish(sick);
            ScenarioSteps steps = ScenarioSteps.in(work);
            try (Sipp.Running alice = Sipp.start("asterisk/presence/presencestate_repeat/subscribe.xml", udp(), "u1",
                    List.of("alice;localhost;bob;" + steps.path()), 1, credentials("alice"))) {
                steps.await("established", alice);
                bob.publish(sick);
                bob.refresh();
                assertPassed(alice.await());
            }
        }
    }

    /**
     * presence/presencestate_repeat_okay (RFC 3903, RFC 4480, RFC 6665): the same activity with a
     * new subtype, then a new message, are changes: alice gets one NOTIFY for each, showing it.
     */
    @Test
    @DisplayName("presence/presencestate_repeat_okay — RFC 3903, RFC 4480, RFC 6665: new sub-values of the same state are notified")
    void presenceStateRepeatOkay() throws Exception {
        allow("bob", "alice");
        try (Publisher bob = new Publisher(server, "bob", "bob-secret")) {
            bob.publish(bob.pidf("feeling a bit sick", true, "<rpid:away/><rpid:other>scrambled</rpid:other>"));
            ScenarioSteps steps = ScenarioSteps.in(work);
            try (Sipp.Running alice = Sipp.start("asterisk/presence/presencestate_repeat_okay/subscribe.xml", udp(), "u1",
                    List.of("alice;localhost;bob;" + steps.path()), 1, credentials("alice"))) {
                steps.await("established", alice);
                bob.publish(bob.pidf("feeling a bit sick", true, "<rpid:away/><rpid:other>poached</rpid:other>"));
                bob.publish(bob.pidf("the horses could not put me back together", true,
                        "<rpid:away/><rpid:other>poached</rpid:other>"));
                assertPassed(alice.await());
            }
        }
    }

    /**
     * presence/devstate_repeat (RFC 3856, RFC 6665, UC 5.3 network-provided presence): bob's
     * registered device is his device state; refreshing that registration changes nothing, so
     * alice gets no NOTIFY after the first, which shows the open device tuple.
     */
    @Test
    @DisplayName("presence/devstate_repeat — RFC 3856, RFC 6665, UC 5.3: a registration refresh (same device state) brings no NOTIFY")
    void devstateRepeat() throws Exception {
        allow("bob", "alice");
        try (SipTestClient device = SipTestClient.udp(udp())) {
            Registration bob = new Registration(device, "bob");
            assertThat(bob.register("bob-secret", bob.contact("bob-device"), "600", "").status()).isEqualTo(200);
            ScenarioSteps steps = ScenarioSteps.in(work);
            try (Sipp.Running alice = Sipp.start("asterisk/presence/devstate_repeat/subscribe.xml", udp(), "u1",
                    List.of("alice;localhost;bob;" + steps.path()), 1, credentials("alice"))) {
                steps.await("established", alice);
                SipResponse refreshed = bob.register("bob-secret", bob.contact("bob-device"), "600", "");
                assertThat(refreshed.status()).as(refreshed.startLine()).isEqualTo(200);
                assertPassed(alice.await());
            }
        }
    }

    /**
     * presence/presence_xpidf, its SUBSCRIBE only (RFC 6665, RFC 3261, RFC 3856): Parley produces
     * no application/xpidf+xml, so a presence SUBSCRIBE that accepts only that is refused with
     * 406 Not Acceptable and no NOTIFY follows.
     */
    @Test
    @DisplayName("presence/presence_xpidf (SUBSCRIBE) — RFC 6665, RFC 3261, RFC 3856: Accept of xpidf only gets 406")
    void xpidfOnlyAcceptIsRefused() throws Exception {
        allow("bob", "alice");
        aliceSubscribes("presence/presence_xpidf/alice-subscribes.xml", "bob");
    }

    /** unallowed (RFC 5025, RFC 3856, UC 5.3): carol's pres-rules block alice; her SUBSCRIBE gets 403, no NOTIFY. */
    @Test
    @DisplayName("unallowed — RFC 5025, RFC 3856, UC 5.3: a blocked watcher is refused with 403")
    void unallowed() throws Exception {
        server.blockWatcher("carol", "carol-secret", "sip:alice@localhost");
        aliceSubscribes("unallowed/subscribe.xml", "carol");
    }

    /** unknown_event_package (RFC 6665): Event "shablagoo" gets 489 Bad Event with Allow-Events naming presence. */
    @Test
    @DisplayName("unknown_event_package — RFC 6665: an unknown event package gets 489 with Allow-Events")
    void unknownEventPackage() throws Exception {
        aliceSubscribes("unknown_event_package/subscribe.xml", "alice");
    }

    /** no_event_header (RFC 6665, RFC 3261): a SUBSCRIBE without Event is rejected, 489 or 400. */
    @Test
    @DisplayName("no_event_header — RFC 6665, RFC 3261: a SUBSCRIBE without Event is rejected (489 or 400)")
    void noEventHeader() throws Exception {
        aliceSubscribes("no_event_header/subscribe.xml", "alice");
    }

    /** below_min_expiry (RFC 6665, RFC 3261): Expires 30 gets 423 with Min-Expires 60. */
    @Test
    @DisplayName("below_min_expiry — RFC 6665, RFC 3261: Expires below 60 s gets 423 with Min-Expires: 60")
    void belowMinExpiry() throws Exception {
        aliceSubscribes("below_min_expiry/subscribe.xml", "alice");
    }

    /**
     * mismatch (RFC 6665, RFC 3842, RFC 3856, RFC 3261): message-summary with a presence or dialog
     * format, presence with the message-summary format get 406; the dialog package, which Parley
     * does not serve, gets 489.
     */
    @Test
    @DisplayName("mismatch — RFC 6665, RFC 3842, RFC 3856, RFC 3261: Event and Accept that do not go together are refused")
    void mismatch() throws Exception {
        aliceSubscribes("mismatch/subscribe.xml", "alice");
    }

    /**
     * large_number_of_accept_headers (RFC 3842, RFC 6665, GS-4): 36 Accept header fields on a
     * message-summary SUBSCRIBE; the subscription is accepted and its first NOTIFY arrives.
     */
    @Test
    @DisplayName("large_number_of_accept_headers — RFC 3842, RFC 6665, GS-4: 36 Accept headers are served")
    void largeNumberOfAcceptHeaders() throws Exception {
        assertPassed(Sipp.run("asterisk/large_number_of_accept_headers/subscribe.xml", udp(), "u1",
                List.of("sipp;localhost;sipp"), 1, credentials("sipp")));
    }

    /**
     * nat_notify (RFC 3842, RFC 6665, RFC 3428, PP-13): with an unreachable Contact, the initial
     * NOTIFY, the one after a pager message was stored for the user (Messages-Waiting: yes) and
     * the one after unsubscribing all reach the subscriber where its SUBSCRIBE came from.
     */
    @Test
    @DisplayName("nat_notify — RFC 3842, RFC 6665, RFC 3428, PP-13: NOTIFYs go where the SUBSCRIBE came from, not to the Contact")
    void natNotify() throws Exception {
        ScenarioSteps steps = ScenarioSteps.in(work);
        try (Sipp.Running sipp = Sipp.start("asterisk/nat_notify/subscribe.xml", udp(), "u1",
                List.of("sipp;localhost;sipp;" + steps.path()), 1, credentials("sipp"));
             SipTestClient bob = SipTestClient.udp(udp())) {
            steps.await("established", sipp);
            SipResponse stored = new Pager(bob, "bob", "bob-secret").send("sip:sipp@localhost", "a message for the mailbox");
            assertThat(stored.status()).as("sipp has no device, so the MESSAGE is stored: " + stored.startLine())
                    .isBetween(200, 299);
            assertPassed(sipp.await());
        }
    }
}
