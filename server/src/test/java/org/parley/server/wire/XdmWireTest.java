package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;

/**
 * The XDM server in the assembled Parley (C4, RFC 4825, RFC 4826): a user keeps a contact list
 * over XCAP with the SIP credentials, nobody else reads it, and the messaging server sends to a
 * stored list named in a recipient list (PP2-35, PP2-37).
 */
@DisplayName("C4, RFC 4825, PP2-37: XCAP contact lists in the running server, used by the messaging server")
class XdmWireTest {
    static TestServer server;
    static final String LISTS = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\">\n"
            + "  <list name=\"friends\">\n"
            + "    <entry uri=\"sip:bob@localhost\"><display-name>Bob</display-name></entry>\n"
            + "  </list>\n"
            + "</resource-lists>\n";
    static final String PATH = "/xcap-root/resource-lists/users/sip:alice@localhost/index";

    @BeforeAll
    static void start(@TempDir Path dataDir) throws Exception {
        server = TestServer.start(dataDir, new SystemScheduler(), Map.of());
        server.addUser("alice", "alice-secret", null, List.of());
        server.addUser("bob", "bob-secret", null, List.of());
        server.addUser("carl", "carl-secret", null, List.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> put(String path, String body, String contentType, String auth) throws Exception {
        var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.server().httpPort() + path))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType)
                .header("Authorization", auth);
        return java.net.http.HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("RFC 4825 §8: PUT then GET byte-exact with an ETag; another user is refused; the admin reads it")
    void ownListOverXcap() throws Exception {
        HttpResponse<String> created = put(PATH, LISTS, "application/resource-lists+xml", TestServer.basic("alice", "alice-secret"));
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        assertThat(created.headers().firstValue("ETag")).isPresent();
        HttpResponse<String> got = server.http("GET", PATH, null, TestServer.basic("alice", "alice-secret"));
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(LISTS);
        assertThat(server.http("GET", PATH, null, TestServer.basic("bob", "bob-secret")).statusCode()).isEqualTo(403);
        assertThat(server.http("GET", PATH, null, "Bearer test-admin-token").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("GIM-7, GIM-8, GIM-9: a closed group's shared folder is read by its members, not by others")
    void sharedGroupContent() throws Exception {
        org.parley.xdm.oma.Group group = new org.parley.xdm.oma.Group("sip:alice.club@groups.localhost",
                java.util.Optional.of("Club"), List.of(new org.parley.xdm.oma.Group.Member("sip:bob@localhost",
                java.util.Optional.empty())), java.util.OptionalInt.of(10), org.parley.xdm.oma.Group.Origin.USER,
                "sip:alice@localhost", org.parley.xdm.oma.Group.Membership.CLOSED,
                org.parley.xdm.oma.Group.ContentWrite.OWNER, java.util.Optional.empty());
        String groupXml = new String(org.parley.xml.XmlWriter.document(org.parley.xdm.oma.GroupXml.write(group)),
                StandardCharsets.UTF_8);
        HttpResponse<String> created = put("/xcap-root/org.openmobilealliance.groups/users/sip:alice@localhost/club",
                groupXml, org.parley.xdm.oma.GroupUsage.MIME_TYPE, TestServer.basic("alice", "alice-secret"));
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        String folder = "/xcap-root/org.parley.group-content/users/sip:alice.club@groups.localhost/agenda";
        String agenda = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<agenda><item>Friday</item></agenda>\n";
        String type = org.parley.xdm.oma.GroupContentUsage.MIME_TYPE;
        assertThat(put(folder, agenda, type, TestServer.basic("alice", "alice-secret")).statusCode()).isIn(200, 201);
        assertThat(server.http("GET", folder, null, TestServer.basic("bob", "bob-secret")).body()).isEqualTo(agenda);
        assertThat(put(folder, agenda, type, TestServer.basic("bob", "bob-secret")).statusCode())
                .as("owner-only writing").isEqualTo(403);
        assertThat(server.http("GET", folder, null, TestServer.basic("carl", "carl-secret")).statusCode()).isEqualTo(403);
        // RFC 4825 §11: a usage's own rule broken is 409 with an xcap-error document naming the condition
        HttpResponse<String> noGroup = put("/xcap-root/org.parley.group-content/users/sip:alice.none@groups.localhost/x",
                agenda, type, "Bearer test-admin-token");
        assertThat(noGroup.statusCode()).isEqualTo(409);
        assertThat(noGroup.headers().firstValue("Content-Type")).hasValue("application/xcap-error+xml");
        assertThat(noGroup.body()).contains("<constraint-failure");
    }

    @Test
    @DisplayName("RFC 5875, UC 5.1.6: a SIPp subscriber to xcap-diff is notified of a PUT with the document's new ETag")
    void xcapDiffAfterPut() throws Exception {
        try (Sipp.Running sipp = Sipp.start("xcap-diff-subscriber.xml", server.sipPort(Transport.UDP), "u1",
                List.of("alice;localhost"), 1, "-au", "alice", "-ap", "alice-secret")) {
            // the subscription is live once SIPp has its first NOTIFY; PUT until SIPp has seen a change
            for (int i = 0; i < 20 && sipp.isAlive(); i++) {
                assertThat(put(PATH, LISTS.replace("Bob", "Bob " + i), "application/resource-lists+xml",
                        TestServer.basic("alice", "alice-secret")).statusCode()).isIn(200, 201);
                Thread.sleep(250);
            }
            Sipp.Result r = sipp.await();
            assertThat(r.passed()).as(r.output()).isTrue();
        }
    }

    @Test
    @DisplayName("PP2-35, PP2-37: a recipient list naming the sender's stored list reaches its members")
    void messageToStoredList() throws Exception {
        assertThat(put(PATH, LISTS, "application/resource-lists+xml", TestServer.basic("alice", "alice-secret")).statusCode())
                .isIn(200, 201);
        try (SipTestClient bob = SipTestClient.udp(server.sipPort(Transport.UDP));
             SipTestClient alice = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            Registration reg = new Registration(bob, "bob");
            assertThat(reg.register("bob-secret", reg.contact("bob"), "600", "").status()).isEqualTo(200);
            String anchor = "http://localhost" + PATH + "/~~/resource-lists/list%5b@name=%22friends%22%5d";
            String body = "--b\r\nContent-Type: text/plain\r\n\r\nto my friends\r\n"
                    + "--b\r\nContent-Type: application/resource-lists+xml\r\nContent-Disposition: recipient-list\r\n\r\n"
                    + "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"><list>"
                    + "<external anchor=\"" + anchor + "\"/></list></resource-lists>\r\n--b--\r\n";
            SipTestClient.Reply toBob = bob.answerNext(200);
            SipResponse r = new Pager(alice, "alice", "alice-secret").send("sip:localhost", "multipart/mixed;boundary=b",
                    body.getBytes(StandardCharsets.UTF_8), "Require: recipient-list-message\n");
            assertThat(r.status()).isEqualTo(202);
            assertThat(new String(toBob.request().body(), StandardCharsets.UTF_8)).isEqualTo("to my friends");
            assertThat(reg.answer("bob", "bob-secret", "*", "0", "").status()).isEqualTo(200);
        }
    }

    /** One raw HTTP/1.1 request to the plain listener; the response head and its Content-Length body. */
    private static String raw(String request) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.server().httpPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            java.io.InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (head.indexOf("\r\n\r\n") < 0) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            return request.startsWith("HEAD") || !length.find() ? head.toString()
                    : head + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
        }
    }

    @Test
    @DisplayName("RFC 4825 §8.3, issue 14 §5: a raw node selector as XCAP clients send it; the element as written, without its ancestors' namespaces; HEAD")
    void xcapAsClientsSpeakIt() throws Exception {
        assertThat(put(PATH, LISTS, "application/resource-lists+xml", TestServer.basic("alice", "alice-secret")).statusCode())
                .isIn(200, 201);
        String auth = "Authorization: " + TestServer.basic("alice", "alice-secret") + "\r\n";
        String element = raw("GET " + PATH + "/~~/resource-lists/list[@name=\"friends\"] HTTP/1.1\r\nHost: localhost\r\n"
                + auth + "\r\n");
        assertThat(element).startsWith("HTTP/1.1 200").contains("application/xcap-el+xml")
                .endsWith("<list name=\"friends\">\n    <entry uri=\"sip:bob@localhost\"><display-name>Bob</display-name></entry>\n  </list>");
        assertThat(element.substring(element.indexOf("\r\n\r\n"))).doesNotContain("xmlns");
        String head = raw("HEAD " + PATH + " HTTP/1.1\r\nHost: localhost\r\n" + auth + "\r\n");
        assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("etag: \"").doesNotContain("<resource-lists");
    }
}
