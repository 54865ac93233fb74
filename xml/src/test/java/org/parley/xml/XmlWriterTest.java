package org.parley.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The one writer and escaper (issue 14 §6): what it writes, the parser reads back unchanged. */
class XmlWriterTest {

    @Test
    @DisplayName("escape: the five markup characters, in text and in either kind of attribute quotes")
    void escapesMarkup() throws XmlException {
        String hostile = "a&b<c>d\"e'f]]>";
        assertThat(XmlWriter.escape(hostile)).isEqualTo("a&amp;b&lt;c&gt;d&quot;e&apos;f]]&gt;");
        String doc = "<r a=\"" + XmlWriter.escape(hostile) + "\" b='" + XmlWriter.escape(hostile) + "'>"
                + XmlWriter.escape(hostile) + "</r>";
        Element r = XmlParser.parse(doc).getDocumentElement();
        assertThat(r.getAttribute("a")).isEqualTo(hostile);
        assertThat(r.getAttribute("b")).isEqualTo(hostile);
        assertThat(r.getTextContent()).isEqualTo(hostile);
    }

    @Test
    @DisplayName("escape: tab, line feed and carriage return survive attribute-value normalisation")
    void whitespaceKept() throws XmlException {
        String value = "one\ttwo\nthree\r\nfour";
        Element r = XmlParser.parse("<r a=\"" + XmlWriter.escape(value) + "\">" + XmlWriter.escape(value) + "</r>")
                .getDocumentElement();
        assertThat(r.getAttribute("a")).isEqualTo(value);
        assertThat(r.getTextContent()).isEqualTo(value);
    }

    @Test
    @DisplayName("escape: characters XML cannot carry become U+FFFD, supplementary characters stay whole")
    void illegalCharacters() throws XmlException {
        String value = "nul\u0000bell\u0007\uFFFF lone\uD800 smile\uD83D\uDE00";
        String escaped = XmlWriter.escape(value);
        assertThat(escaped).isEqualTo("nul\uFFFDbell\uFFFD\uFFFD lone\uFFFD smile\uD83D\uDE00");
        assertThat(XmlParser.parse("<r>" + escaped + "</r>").getDocumentElement().getTextContent()).isEqualTo(escaped);
        assertThat(XmlWriter.escape("")).isEmpty();
    }

    @Test
    @DisplayName("document: UTF-8 with a declaration, namespaces kept, read back the same")
    void documentRoundTrip() throws XmlException {
        Document doc = XmlParser.newDocument();
        Element root = doc.createElementNS("urn:ietf:params:xml:ns:pidf", "presence");
        root.setAttribute("entity", "sip:zoë@example.org?a=1&b=<2>");
        doc.appendChild(root);
        byte[] bytes = XmlWriter.document(doc);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>").doesNotContain("standalone")
                .contains("xmlns=\"urn:ietf:params:xml:ns:pidf\"").contains("zoë");
        Element again = XmlParser.parse(bytes).getDocumentElement();
        assertThat(again.getNamespaceURI()).isEqualTo("urn:ietf:params:xml:ns:pidf");
        assertThat(again.getAttribute("entity")).isEqualTo("sip:zoë@example.org?a=1&b=<2>");
    }

    @Test
    @DisplayName("fragment: an element alone, without an XML declaration")
    void fragment() throws XmlException {
        Document doc = XmlParser.parse("<a xmlns=\"urn:x\"><b c=\"&amp;\">t</b></a>");
        String text = new String(XmlWriter.fragment(doc.getDocumentElement().getFirstChild()), StandardCharsets.UTF_8);
        assertThat(text).doesNotStartWith("<?xml").startsWith("<b").contains("c=\"&amp;\"").endsWith("</b>");
    }

    @Test
    @DisplayName("reused serialisers: a fragment (no declaration) between documents leaves each document its declaration")
    void reusedSerialisersKeepTheirSettings() throws XmlException {
        Document doc = XmlParser.parse("<a xmlns=\"urn:x\"><b>t</b></a>");
        for (int round = 0; round < 50; round++) {
            assertThat(new String(XmlWriter.fragment(doc.getDocumentElement().getFirstChild()), StandardCharsets.UTF_8))
                    .doesNotStartWith("<?xml");
            assertThat(new String(XmlWriter.document(doc), StandardCharsets.UTF_8))
                    .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        }
    }
}
