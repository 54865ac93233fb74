package org.parley.xdm.xcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.xdm.xcap.XcapOperationsTest.DOC;
import static org.parley.xdm.xcap.XcapOperationsTest.EL;
import static org.parley.xdm.xcap.XcapOperationsTest.LISTS;
import static org.parley.xdm.xcap.XcapOperationsTest.sel;
import static org.parley.xdm.xcap.XcapTestServer.put;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The RFC 4825 details issue 14 §5 found wrong, each over real HTTP. */
@DisplayName("RFC 4825 §8.2.3, §8.3, §11, HTTP: element bodies, insertion, error documents, HEAD, raw selectors (C4)")
class XcapRfc4825Test {
    static final String DOCUMENT = """
            <?xml version="1.0" encoding="UTF-8"?>
            <resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists" xmlns:x="urn:example:x">
              <list name="friends" x:tag="f">
                <entry uri="sip:bob@example.org"/>
                <entry uri="sip:carol@example.org"/>
                <x:note>after the entries</x:note>
              </list>
            </resource-lists>
            """;

    private final XcapTestServer http = new XcapTestServer();

    @BeforeEach
    void document() {
        assertThat(http.send(put(http.alice(DOC), LISTS, DOCUMENT)).statusCode()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        http.close();
    }

    /**
     * One request on its own connection, exactly as given; returns the response: its head, and
     * the body its Content-Length announces (none for HEAD).
     */
    private String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", http.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            while (!got.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                got.write(b);
            }
            String head = got.toString(StandardCharsets.UTF_8);
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            if (!request.startsWith("HEAD") && length.find()) {
                return head + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
            }
            return head;
        }
    }

    private static String auth() {
        return "Authorization: Basic " + Base64.getEncoder().encodeToString("alice:alice-password"
                .getBytes(StandardCharsets.UTF_8)) + "\r\n";
    }

    @Test
    @DisplayName("RFC 4825 §8.3: an element comes as written, without namespace declarations of its ancestors")
    void elementWithoutAncestorsNamespaces() {
        HttpResponse<String> list = http.send(http.alice(sel("resource-lists/list[@name=\"friends\"]")).GET());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Type")).hasValue(EL);
        assertThat(list.body()).startsWith("<list name=\"friends\" x:tag=\"f\">").doesNotContain("xmlns")
                .contains("<x:note>after the entries</x:note>").endsWith("</list>");
        HttpResponse<String> entry = http.send(http.alice(sel("resource-lists/list/entry[2]")).GET());
        assertThat(entry.body()).isEqualTo("<entry uri=\"sip:carol@example.org\"/>");
    }

    @Test
    @DisplayName("RFC 4825 §8.2.3: a new element goes after the last sibling of its name, not after the last element")
    void insertedAfterItsNamesakes() {
        HttpResponse<String> put = http.send(put(http.alice(sel("resource-lists/list/entry[@uri=\"sip:dan@example.org\"]")),
                EL, "<entry uri=\"sip:dan@example.org\"/>"));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        String doc = http.send(http.alice(DOC).GET()).body();
        assertThat(doc.indexOf("sip:dan@example.org")).isGreaterThan(doc.indexOf("sip:carol@example.org"))
                .isLessThan(doc.indexOf("<x:note>"));
    }

    @Test
    @DisplayName("RFC 4825 §6.3: position 0 or one past every digit selects nothing: GET 404, PUT 409 cannot-insert, never 400")
    void positionZero() {
        assertThat(http.send(http.alice(sel("resource-lists/list[0]")).GET()).statusCode()).isEqualTo(404);
        assertThat(http.send(http.alice(sel("resource-lists/list/entry[99999999999]")).GET()).statusCode()).isEqualTo(404);
        HttpResponse<String> put = http.send(put(http.alice(sel("resource-lists/list/entry[0]")), EL,
                "<entry uri=\"sip:zero@example.org\"/>"));
        assertThat(put.statusCode()).isEqualTo(409);
        assertThat(put.body()).contains("<cannot-insert");
        assertThat(http.send(http.alice(sel("resource-lists/list[-1]")).GET()).statusCode()).as("not a position").isEqualTo(400);
    }

    @Test
    @DisplayName("RFC 4825 §11.2, §11.4: the ancestor and the field are percent-encoded URI parts")
    void errorDocumentsPercentEncoded() {
        HttpResponse<String> noParent = http.send(put(http.alice(sel(
                "resource-lists/list[@name=\"none\"]/entry[@uri=\"sip:x@example.org\"]")), EL, "<entry uri=\"sip:x@example.org\"/>"));
        assertThat(noParent.statusCode()).isEqualTo(409);
        assertThat(noParent.body()).contains("<ancestor>http://").contains(DOC + "/~~/resource-lists</ancestor>");
        HttpResponse<String> deeper = http.send(put(http.alice(sel(
                "resource-lists/list[@name=\"friends\"]/list[@name=\"x\"]/entry")), EL, "<entry uri=\"sip:x@example.org\"/>"));
        assertThat(deeper.body()).contains("/~~/resource-lists/list%5B@name=%22friends%22%5D</ancestor>");
        HttpResponse<String> twice = http.send(put(http.alice(sel("resource-lists/list[@name=\"friends\"]/@name")),
                "application/xcap-att+xml", "\"friends\""));
        assertThat(twice.statusCode()).isEqualTo(200);
        HttpResponse<String> clash = http.send(put(http.alice(sel("resource-lists/list[@name=\"b c\"]")), EL,
                "<list name=\"friends\"/>"));
        assertThat(clash.statusCode()).isIn(409);
        assertThat(ErrorDocument.percentEncoded("resource-lists/list[@name=\"a b\"]/@name"))
                .isEqualTo("resource-lists/list%5B@name=%22a%20b%22%5D/@name");
        assertThat(ErrorDocument.percentEncoded("ü%41%zz")).isEqualTo("%C3%BC%41%25zz");
    }

    @Test
    @DisplayName("RFC 9110 §9.3.2: HEAD on a document answers like GET without the body")
    void head() throws IOException {
        String response = raw("HEAD /xcap-root" + DOC + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth() + "\r\n");
        assertThat(response).startsWith("HTTP/1.1 200").contains("ETag: \"").containsIgnoringCase("content-type: " + LISTS)
                .doesNotContain("<resource-lists");
        assertThat(raw("HEAD /xcap-root/resource-lists/users/sip:alice@example.org/none HTTP/1.1\r\nHost: x\r\n" + auth()
                + "\r\n")).startsWith("HTTP/1.1 404");
    }

    @Test
    @DisplayName("RFC 4825 §6: raw [, ], \" in a node selector, as common XCAP clients send them, are accepted")
    void rawSelectorCharacters() throws IOException {
        String response = raw("GET /xcap-root" + DOC + "/~~/resource-lists/list[@name=\"friends\"]/entry[1] HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n" + auth() + "\r\n");
        assertThat(response).startsWith("HTTP/1.1 200").endsWith("<entry uri=\"sip:bob@example.org\"/>");
        String put = "<entry uri=\"sip:raw@example.org\"/>";
        assertThat(raw("PUT /xcap-root" + DOC + "/~~/resource-lists/list[@name=\"friends\"]/entry[@uri=\"sip:raw@example.org\"]"
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth() + "Content-Type: " + EL + "\r\nContent-Length: " + put.length()
                + "\r\n\r\n" + put)).startsWith("HTTP/1.1 201");
    }

    private static String buddies(int entries) {
        StringBuilder doc = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"><list name=\"all\">\n");
        for (int i = 0; i < entries; i++) {
            doc.append("<entry uri=\"sip:buddy").append(i).append("@example.org\"><display-name>Buddy number ")
                    .append(i).append("</display-name></entry>\n");
        }
        return doc.append("</list></resource-lists>\n").toString();
    }

    @Test
    @DisplayName("Issue 14 §5: XCAP takes a buddy list of 5,000 contacts (1 MiB by default); a bigger body is 413; the APIs keep their 64 KiB")
    void bodyLimit() throws IOException {
        String big = buddies(5000);
        assertThat(big.length()).isGreaterThan(256 * 1024);
        HttpResponse<String> ok = http.send(put(http.alice(DOC), LISTS, big));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        // only the declared length is sent: the server answers 413 before the body, and a client
        // still sending would see the connection close under it
        assertThat(raw("PUT /xcap-root" + DOC + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth() + "Content-Type: " + LISTS
                + "\r\nContent-Length: 2000000\r\n\r\n")).startsWith("HTTP/1.1 413");

        // the admin and user APIs keep their own, smaller limit: XCAP's does not open them up
        HttpResponse<String> admin = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + http.port() + "/admin/v1/users"))
                .header("Authorization", "Bearer " + XcapTestServer.TOKEN).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"" + "x".repeat(100_000) + "\"}")));
        assertThat(admin.statusCode()).isEqualTo(413);
        assertThat(admin.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/problem+json"));
        assertThat(admin.body()).contains("this API takes at most 65536");
    }
}
