package org.parley.xdm.xcap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.xdm.xcap.XcapTestServer.put;

/** Element, attribute and namespace operations over real HTTP, after the examples of RFC 4825 §8. */
@DisplayName("RFC 4825 §8.2-8.3 / §7.10 XCAP element, attribute and namespace operations (C4)")
class XcapOperationsTest {
    static final String DOC = "/resource-lists/users/sip:alice@example.org/index";
    static final String LISTS = "application/resource-lists+xml";
    static final String EL = "application/xcap-el+xml";
    static final String ATT = "application/xcap-att+xml";
    static final String INITIAL = """
            <?xml version="1.0" encoding="UTF-8"?>
            <resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists" xmlns:x="urn:example:x">
              <list name="friends">
                <entry uri="sip:bob@example.org"><display-name>Bob</display-name></entry>
                <entry uri="sip:carol@example.org"/>
              </list>
            </resource-lists>
            """;

    private final XcapTestServer http = new XcapTestServer();

    @AfterEach
    void stop() {
        http.close();
    }

    private HttpResponse<String> putDoc(String body) {
        return http.send(put(http.alice(DOC), LISTS, body));
    }

    private HttpResponse<String> get(String pathAndSelector) {
        return http.send(http.alice(pathAndSelector).GET());
    }

    static String sel(String selector) {
        return DOC + "/~~/" + selector.replace("\"", "%22").replace("[", "%5b").replace("]", "%5d")
                .replace("@", "%40").replace(" ", "%20");
    }

    @Test
    @DisplayName("RFC 4825 §8.2.1: whole-document PUT stores the bytes exactly (201, then 200), GET returns them with the usage MIME type and ETag")
    void wholeDocument() {
        HttpResponse<String> created = putDoc(INITIAL);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String etag = created.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).startsWith("\"").endsWith("\"");
        HttpResponse<String> read = get(DOC);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(INITIAL);
        assertThat(read.headers().firstValue("Content-Type")).hasValue(LISTS);
        assertThat(read.headers().firstValue("ETag")).hasValue(etag);
        HttpResponse<String> replaced = putDoc(INITIAL.replace("Bob", "Bobby"));
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(replaced.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
        assertThat(http.send(http.alice(DOC).DELETE()).statusCode()).isEqualTo(200);
        assertThat(get(DOC).statusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("RFC 4825 §8.2.3: element GET by attribute and by position; PUT inserts a new element after its siblings; the document keeps its namespace declarations")
    void elementInsert() {
        putDoc(INITIAL);
        HttpResponse<String> bob = get(sel("resource-lists/list[@name=\"friends\"]/entry[1]"));
        assertThat(bob.statusCode()).isEqualTo(200);
        assertThat(bob.headers().firstValue("Content-Type")).hasValue(EL);
        assertThat(bob.body()).contains("uri=\"sip:bob@example.org\"").contains("<display-name>Bob</display-name>");

        String selector = sel("resource-lists/list[@name=\"friends\"]/entry[@uri=\"sip:dave@example.org\"]");
        HttpResponse<String> inserted = http.send(put(http.alice(selector), EL, "<entry uri=\"sip:dave@example.org\"/>"));
        assertThat(inserted.statusCode()).as(inserted.body()).isEqualTo(201);
        assertThat(get(selector).body()).contains("sip:dave@example.org");
        assertThat(get(sel("resource-lists/list/entry[3]")).body()).contains("sip:dave@example.org");
        String whole = get(DOC).body();
        assertThat(whole).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .contains("xmlns=\"urn:ietf:params:xml:ns:resource-lists\"").contains("xmlns:x=\"urn:example:x\"");
    }

    @Test
    @DisplayName("RFC 4825 §8.2.3: a positional PUT inserts at that position; a PUT on an existing element replaces it (200)")
    void positionalInsertAndReplace() {
        putDoc(INITIAL);
        HttpResponse<String> first = http.send(put(http.alice(sel("resource-lists/list/entry[1]")), EL,
                "<entry uri=\"sip:zed@example.org\"/>"));
        assertThat(first.statusCode()).as("entry[1] exists, so it is replaced").isEqualTo(200);
        assertThat(get(sel("resource-lists/list/entry[1]/@uri")).body()).isEqualTo("sip:zed@example.org");
        HttpResponse<String> third = http.send(put(http.alice(sel("resource-lists/list/entry[3]")), EL,
                "<entry uri=\"sip:erin@example.org\"/>"));
        assertThat(third.statusCode()).as(third.body()).isEqualTo(201);
        assertThat(get(sel("resource-lists/list/entry[3]/@uri")).body()).isEqualTo("sip:erin@example.org");
        HttpResponse<String> fifth = http.send(put(http.alice(sel("resource-lists/list/entry[5]")), EL,
                "<entry uri=\"sip:far@example.org\"/>"));
        assertThat(fifth.statusCode()).as("entry[5] cannot exist with only 3 entries").isEqualTo(409);
        assertThat(fifth.body()).contains("<cannot-insert");
    }

    @Test
    @DisplayName("RFC 4825 §8.2.4 / §8.3.3: attribute GET, PUT (replace and create) and DELETE")
    void attributes() {
        putDoc(INITIAL);
        String name = sel("resource-lists/list/@name");
        HttpResponse<String> got = get(name);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValue("Content-Type")).hasValue(ATT);
        assertThat(got.body()).isEqualTo("friends");
        assertThat(http.send(put(http.alice(name), ATT, "close friends")).statusCode()).isEqualTo(200);
        assertThat(get(sel("resource-lists/list[@name=\"close friends\"]/@name")).body()).isEqualTo("close friends");
        assertThat(http.send(http.alice(sel("resource-lists/list/@name")).DELETE()).statusCode()).isEqualTo(200);
        assertThat(get(sel("resource-lists/list/@name")).statusCode()).isEqualTo(404);
        assertThat(http.send(put(http.alice(sel("resource-lists/list/@name")), ATT, "family")).statusCode()).as("re-created")
                .isEqualTo(201);
        assertThat(get(sel("resource-lists/list/@name")).body()).isEqualTo("family");
    }

    @Test
    @DisplayName("RFC 4825 §8.3: element DELETE, 404 for a missing node, cannot-delete when the URI would select another element")
    void elementDelete() {
        putDoc(INITIAL);
        HttpResponse<String> positional = http.send(http.alice(sel("resource-lists/list/entry[1]")).DELETE());
        assertThat(positional.statusCode()).isEqualTo(409);
        assertThat(positional.headers().firstValue("Content-Type")).hasValue("application/xcap-error+xml");
        assertThat(positional.body()).contains("<cannot-delete");
        String carol = sel("resource-lists/list/entry[@uri=\"sip:carol@example.org\"]");
        assertThat(http.send(http.alice(carol).DELETE()).statusCode()).isEqualTo(200);
        assertThat(get(carol).statusCode()).isEqualTo(404);
        assertThat(http.send(http.alice(carol).DELETE()).statusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("RFC 4825 §7.10: namespace::* returns the in-scope bindings as application/xcap-ns+xml; it cannot be written")
    void namespaceBindings() {
        putDoc(INITIAL);
        HttpResponse<String> ns = get(sel("resource-lists/list/namespace::*"));
        assertThat(ns.statusCode()).as(ns.body()).isEqualTo(200);
        assertThat(ns.headers().firstValue("Content-Type")).hasValue("application/xcap-ns+xml");
        assertThat(ns.body()).startsWith("<list").contains("xmlns=\"urn:ietf:params:xml:ns:resource-lists\"")
                .contains("xmlns:x=\"urn:example:x\"");
        HttpResponse<String> put = http.send(put(http.alice(sel("resource-lists/list/namespace::*")), EL, "<a/>"));
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    @DisplayName("RFC 4825 §6.3: prefixes bound by xmlns() in the query; several matches or a malformed selector are 404 / 400")
    void selectors() {
        putDoc(INITIAL);
        HttpResponse<String> prefixed = get(sel("rl:resource-lists/rl:list/rl:entry[2]/@uri")
                + "?xmlns(rl=urn:ietf:params:xml:ns:resource-lists)");
        assertThat(prefixed.body()).isEqualTo("sip:carol@example.org");
        assertThat(get(sel("resource-lists/list/entry")).statusCode()).as("two entries").isEqualTo(404);
        assertThat(get(sel("resource-lists/list[")).statusCode()).isEqualTo(400);
        assertThat(get(sel("p:resource-lists")).statusCode()).as("unbound prefix").isEqualTo(400);
        assertThat(get(sel("*/list/*[@uri='sip:carol@example.org']/@uri")).body()).isEqualTo("sip:carol@example.org");
    }

    @Test
    @DisplayName("RFC 4825 §12: the global xcap-caps document lists the AUIDs and namespaces; the global tree is read-only (405)")
    void xcapCaps() {
        HttpResponse<String> caps = get("/xcap-caps/global/index");
        assertThat(caps.statusCode()).isEqualTo(200);
        assertThat(caps.headers().firstValue("Content-Type")).hasValue("application/xcap-caps+xml");
        assertThat(caps.body()).contains("<auid>xcap-caps</auid>", "<auid>resource-lists</auid>",
                "<auid>rls-services</auid>", "<auid>pres-rules</auid>",
                "<namespace>urn:ietf:params:xml:ns:resource-lists</namespace>");
        HttpResponse<String> put = http.send(put(http.admin("/xcap-caps/global/index"), "application/xcap-caps+xml",
                caps.body()));
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET");
        assertThat(http.send(http.alice("/xcap-caps/global/index").DELETE()).statusCode()).isEqualTo(405);
        assertThat(get("/no-such-auid/users/sip:alice@example.org/index").statusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("RFC 4825 §6: the XUI's host is case-insensitive and percent-encoded XUIs name the same documents")
    void xuiCanonical() {
        putDoc(INITIAL);
        assertThat(get("/resource-lists/users/sip%3Aalice%40EXAMPLE.org/index").body()).isEqualTo(INITIAL);
    }
}
