package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;

/**
 * Presence between two real third-party clients (GIM-1: presence exchanged with an Internet IM
 * client; UC 5.3 normal flow: proactive authorisation, user- and network-provided presence, the
 * watcher sees the presentity come online; PP-4: the availability of the terminal). Two baresip
 * processes register over UDP with MD5 digest (GS-1), PUBLISH their PIDF (RFC 3903, RFC 3863),
 * SUBSCRIBE to each other (RFC 3856), each already allowed by the other's pres-rules (RFC 5025),
 * and each shows the other Online in its own contact list; one sends the other a MESSAGE (RFC 3428,
 * PP-13) on the server's defaults (C14: MD5). When one quits, it removes its
 * publication and its binding, and the other's contact list turns it Offline.
 */
@DisplayName("GIM-1, UC 5.3, PP-4, PP-13, RFC 3903, RFC 3856, RFC 3428: two baresip clients see each other online, exchange a MESSAGE, then see offline")
class BaresipPresenceTest {
    @TempDir
    Path dir;

    @Test
    void baresipWatchersSeeEachOtherOnlineThenOfflineUc53() throws Exception {
        String binary = ExternalTool.find("baresip", "baresip");
        // on the default auth.algorithms (MD5 alone): libre, baresip's SIP library, gives up on a
        // challenge list that names any algorithm it lacks, SHA-256 included (C14)
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            server.addUser("alice", "alice-secret", null, List.of());
            server.addUser("bob", "bob-secret", null, List.of());
            server.allowWatcher("alice", "alice-secret", "sip:bob@localhost");
            server.allowWatcher("bob", "bob-secret", "sip:alice@localhost");
            int port = server.sipPort(Transport.UDP);
            try (Baresip alice = Baresip.start(binary, dir.resolve("alice"), "alice", "alice-secret", "bob", port);
                 Baresip bob = Baresip.start(binary, dir.resolve("bob"), "bob", "bob-secret", "alice", port)) {
                for (Baresip b : List.of(alice, bob)) {
                    b.await(b.user() + "@localhost: {0/UDP/v4} 200 OK () [1 binding]");
                    assertThat(server.admin("/admin/v1/registrations?aor=sip:" + b.user() + "@localhost"))
                            .as("binding of " + b.user()).contains("baresip").contains("\"transport\":\"UDP\"");
                }

                for (Baresip b : List.of(alice, bob)) {
                    b.awaitContact("Online");
                    assertThat(b.answered("PUBLISH", "200 OK")).as(b.user() + " published\n" + b.output())
                            .anySatisfy(m -> assertThat(m).contains("SIP-ETag:"));
                    assertThat(b.answered("SUBSCRIBE", "200 OK")).as(b.user() + " subscribed\n" + b.output()).isNotEmpty();
                    // the person element came only in the other's own PUBLISH: user-provided presence reached the watcher
                    b.awaitNotify("Subscription-State: active", "<basic>open</basic>", "rpid:activities");
                }

                // pager mode between the two (RFC 3428, PP-13): baresip's /message goes to its current contact
                alice.message("Hello bob, from baresip through Parley");
                bob.awaitRequest("MESSAGE", "Hello bob, from baresip through Parley");
                alice.awaitAnswered("MESSAGE", "200 OK");

                bob.quit();
                assertThat(bob.answered("PUBLISH", "200 OK")).as("bob removed his publication\n" + bob.output())
                        .anySatisfy(m -> assertThat(m).contains("Expires: 0"));
                assertThat(server.admin("/admin/v1/registrations?aor=sip:bob@localhost"))
                        .as("bob unregistered\n" + bob.output()).contains("\"total\":0");

                alice.await("<sip:bob@localhost> changed status from Online to Offline");
                alice.awaitContact("Offline");
                assertThat(alice.notifies().getLast()).as(alice.output())
                        .contains("<basic>closed</basic>").doesNotContain("<basic>open</basic>");
            }
        }
    }
}
