package org.parley.xdm.xcap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.xdm.xcap.XcapOperationsTest.DOC;
import static org.parley.xdm.xcap.XcapOperationsTest.EL;
import static org.parley.xdm.xcap.XcapOperationsTest.INITIAL;
import static org.parley.xdm.xcap.XcapOperationsTest.LISTS;
import static org.parley.xdm.xcap.XcapOperationsTest.sel;
import static org.parley.xdm.xcap.XcapTestServer.put;

/** Every 409 condition of RFC 4825 §11 as an application/xcap-error+xml document, and 415. */
@DisplayName("RFC 4825 §11 error conditions (409 xcap-error documents, 415) (C4)")
class XcapConflictsTest {
    private final XcapTestServer http = new XcapTestServer();

    @BeforeEach
    void document() {
        assertThat(http.send(put(http.alice(DOC), LISTS, INITIAL)).statusCode()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        http.close();
    }

    private static void assertConflict(HttpResponse<String> response, String condition) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/xcap-error+xml");
        assertThat(response.body()).contains("<xcap-error xmlns=\"urn:ietf:params:xml:ns:xcap-error\"")
                .contains("<" + condition);
    }

    @Test
    @DisplayName("not-well-formed: a document that is not XML; nothing is stored")
    void notWellFormed() {
        assertConflict(http.send(put(http.alice(DOC), LISTS, "<resource-lists")), "not-well-formed");
        assertThat(http.send(http.alice(DOC).GET()).body()).isEqualTo(INITIAL);
    }

    @Test
    @DisplayName("not-xml-frag: an element body that is not exactly one element")
    void notXmlFragment() {
        String uri = sel("resource-lists/list/entry[@uri=\"sip:x@example.org\"]");
        assertConflict(http.send(put(http.alice(uri), EL, "<entry uri=\"sip:x@example.org\"/><entry uri=\"sip:y@example.org\"/>")),
                "not-xml-frag");
        assertConflict(http.send(put(http.alice(uri), EL, "text only")), "not-xml-frag");
    }

    @Test
    @DisplayName("no-parent: the ancestor that exists is named; a missing document's is the user's home")
    void noParent() {
        HttpResponse<String> response = http.send(put(http.alice(sel("resource-lists/list[@name=\"work\"]/entry")), EL,
                "<entry uri=\"sip:x@example.org\"/>"));
        assertConflict(response, "no-parent");
        assertThat(response.body()).contains("<ancestor>http://127.0.0.1:").contains(DOC + "/~~/resource-lists</ancestor>");
        HttpResponse<String> noDoc = http.send(put(http.alice("/resource-lists/users/sip:alice@example.org/other/~~/resource-lists/list"),
                EL, "<list/>"));
        assertConflict(noDoc, "no-parent");
        assertThat(noDoc.body()).contains("/xcap-root/resource-lists/users/sip:alice@example.org</ancestor>");
    }

    @Test
    @DisplayName("cannot-insert: RFC 4825 §8.2.5, after the PUT the selector must select the element that was put")
    void cannotInsert() {
        assertConflict(http.send(put(http.alice(sel("resource-lists/list/entry[@uri=\"sip:x@example.org\"]")), EL,
                "<entry uri=\"sip:other@example.org\"/>")), "cannot-insert");
        assertConflict(http.send(put(http.alice(sel("resource-lists/list[@name=\"friends\"]/entry[@uri=\"sip:x@example.org\"]")), EL,
                "<external anchor=\"http://example.org\"/>")), "cannot-insert");
    }

    @Test
    @DisplayName("cannot-delete: the root element, and a positional delete that would select the next sibling")
    void cannotDelete() {
        assertConflict(http.send(http.alice(sel("resource-lists")).DELETE()), "cannot-delete");
        assertConflict(http.send(http.alice(sel("resource-lists/list/entry[1]")).DELETE()), "cannot-delete");
    }

    @Test
    @DisplayName("uniqueness-failure (RFC 4826 §3.4.5): a duplicate entry URI, with the field and an alternative")
    void uniqueness() {
        HttpResponse<String> response = http.send(put(http.alice(sel("resource-lists/list/entry[3]")), EL,
                "<entry uri=\"sip:bob@example.org\"/>"));
        assertConflict(response, "uniqueness-failure");
        // RFC 4825 §11: the field is a percent-encoded node selector
        assertThat(response.body()).contains("<exists field=\"resource-lists/list%5B@name=%22friends%22%5D/entry%5B@uri=%22sip:bob@example.org%22%5D/@uri\">")
                .contains("<alt-value>sip:bob-1@example.org</alt-value>");
    }

    @Test
    @DisplayName("schema-validation-error: an element the resource-lists schema does not allow")
    void schema() {
        assertConflict(http.send(put(http.alice(sel("resource-lists/list/entry[3]")), EL, "<entry/>")),
                "schema-validation-error");
        assertConflict(http.send(put(http.alice(DOC), LISTS,
                "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"><bogus/></resource-lists>")),
                "schema-validation-error");
    }

    @Test
    @DisplayName("not-utf-8 for a Latin-1 body or a declaration of another encoding")
    void notUtf8() {
        byte[] latin1 = "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"><list name=\"caf\u00e9\"/></resource-lists>"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertConflict(http.send(http.alice(DOC).header("Content-Type", LISTS)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(latin1))), "not-utf-8");
        assertConflict(http.send(put(http.alice(DOC), LISTS,
                "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"/>")),
                "not-utf-8");
    }

    @Test
    @DisplayName("415: the Content-Type must be the one of the resource kind (document, element, attribute)")
    void unsupportedMediaType() {
        assertThat(http.send(put(http.alice(DOC), "application/xml", INITIAL)).statusCode()).isEqualTo(415);
        assertThat(http.send(put(http.alice(sel("resource-lists/list/entry[3]")), LISTS,
                "<entry uri=\"sip:x@example.org\"/>")).statusCode()).isEqualTo(415);
        assertThat(http.send(put(http.alice(sel("resource-lists/list/@name")), EL, "x")).statusCode()).isEqualTo(415);
    }

    @Test
    @DisplayName("XXE: a document with a DTD is refused and no entity is expanded")
    void noDoctype() {
        assertConflict(http.send(put(http.alice(DOC), LISTS, "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"><list name=\"&x;\"/></resource-lists>")),
                "not-well-formed");
    }
}
