package org.parley.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The one hardened parser (issue 14 §6; OWASP XXE prevention): well-formed documents come back
 * namespace-aware, every DTD is refused before it can declare, expand or fetch anything.
 */
class XmlParserTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("a well-formed document is parsed namespace-aware, from bytes and from text")
    void parsesNamespaceAware() throws XmlException {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><p:presence xmlns:p=\"urn:ietf:params:xml:ns:pidf\""
                + " entity=\"sip:alice@example.org\"><p:tuple id=\"é\"/></p:presence>";
        for (Document doc : new Document[] {XmlParser.parse(utf8(xml)), XmlParser.parse(xml)}) {
            Element root = doc.getDocumentElement();
            assertThat(root.getNamespaceURI()).isEqualTo("urn:ietf:params:xml:ns:pidf");
            assertThat(root.getLocalName()).isEqualTo("presence");
            assertThat(((Element) root.getFirstChild()).getAttribute("id")).isEqualTo("é");
        }
    }

    @Test
    @DisplayName("malformed input: truncated, mismatched tags, two roots, empty, unbound prefix, bad UTF-8")
    void malformedIsAnException() {
        for (String bad : new String[] {"<a>", "<a></b>", "<a/><b/>", "", "not xml", "<p:a/>", "<a x=\"1\" x=\"2\"/>"}) {
            assertThatThrownBy(() -> XmlParser.parse(utf8(bad))).as(bad).isInstanceOf(XmlException.class)
                    .hasMessageNotContaining("null");
        }
        byte[] invalidUtf8 = {'<', 'a', '>', (byte) 0xC3, (byte) 0x28, '<', '/', 'a', '>'};
        assertThatThrownBy(() -> XmlParser.parse(invalidUtf8)).isInstanceOf(XmlException.class);
    }

    @Test
    @DisplayName("reused parsers: after a malformed document, a DOCTYPE and an error the next parse is clean and as strict, also in parallel")
    void reusedParsersStayStrict() throws Exception {
        String good = "<a xmlns=\"urn:x\"><b>1</b></a>";
        String doctype = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>";
        for (int round = 0; round < 200; round++) {
            assertThatThrownBy(() -> XmlParser.parse(utf8("<a><b></a>"))).isInstanceOf(XmlException.class);
            assertThatThrownBy(() -> XmlParser.parse(utf8(doctype))).isInstanceOf(XmlException.class)
                    .hasMessageContaining("DOCTYPE");
            Document doc = XmlParser.parse(utf8(good));
            assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo("urn:x");
            assertThat(doc.getDocumentElement().getTextContent()).isEqualTo("1");
        }
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var results = new java.util.ArrayList<java.util.concurrent.Future<String>>();
            for (int i = 0; i < 500; i++) {
                String xml = "<n v=\"" + i + "\">" + i + "</n>";
                results.add(pool.submit(() -> XmlParser.parse(xml).getDocumentElement().getAttribute("v")));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(Integer.toString(i));
            }
        }
    }

    @Test
    @DisplayName("XXE: an external entity naming a local file is refused and its content never appears")
    void externalEntityRefused(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "top-secret");
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]><a>&x;</a>";
        assertThatThrownBy(() -> XmlParser.parse(utf8(xml))).isInstanceOf(XmlException.class)
                .hasMessageContaining("DOCTYPE").hasMessageNotContaining("top-secret");
    }

    @Test
    @DisplayName("XXE over the network: an external DTD or parameter entity is never fetched")
    void externalDtdNeverFetched() throws Exception {
        try (LocalHttp http = new LocalHttp()) {
            String dtd = "<!DOCTYPE a SYSTEM \"" + http.url("/evil.dtd") + "\"><a/>";
            String param = "<!DOCTYPE a [<!ENTITY % p SYSTEM \"" + http.url("/p.dtd") + "\"> %p;]><a>&secret;</a>";
            assertThatThrownBy(() -> XmlParser.parse(utf8(dtd))).isInstanceOf(XmlException.class);
            assertThatThrownBy(() -> XmlParser.parse(param)).isInstanceOf(XmlException.class);
            assertThat(http.hits()).isZero();
        }
    }

    @Test
    @DisplayName("billion laughs: nested internal entities are refused at once, not expanded")
    void billionLaughsRefused() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            sb.append("<!ENTITY lol").append(i).append(" \"")
                    .append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        sb.append("]><lolz>&lol9;</lolz>");
        long start = System.nanoTime();
        assertThatThrownBy(() -> XmlParser.parse(sb.toString())).isInstanceOf(XmlException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    @DisplayName("XInclude is not processed: an xi:include stays an ordinary element")
    void xincludeIgnored(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.xml"), "<s>top-secret</s>");
        String xml = "<a xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"" + secret.toUri() + "\"/></a>";
        Document doc = XmlParser.parse(xml);
        assertThat(doc.getDocumentElement().getTextContent()).doesNotContain("top-secret");
        assertThat(doc.getElementsByTagNameNS("http://www.w3.org/2001/XInclude", "include").getLength()).isEqualTo(1);
    }

    @Test
    @DisplayName("the predefined entities and character references still work without a DTD")
    void predefinedEntities() throws XmlException {
        Document doc = XmlParser.parse("<a v=\"&quot;&#10;\">&lt;&amp;&gt;&apos;&#x263A;</a>");
        assertThat(doc.getDocumentElement().getTextContent()).isEqualTo("<&>'\u263A");
        assertThat(doc.getDocumentElement().getAttribute("v")).isEqualTo("\"\n");
    }
}
