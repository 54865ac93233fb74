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
    @DisplayName("written: a DOM built and imported across documents gets every namespace declared where it is used "
            + "and reads back the same as the JDK serialiser's output")
    void writtenDeclaresNamespaces() throws XmlException {
        Document source = XmlParser.parse("<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" xmlns:rpid=\"urn:r\" "
                + "xmlns:dm=\"urn:d\" entity=\"e\"><dm:person id=\"p\"><rpid:activities><rpid:busy/></rpid:activities>"
                + "</dm:person><tuple id=\"t\"><status><basic>open</basic></status><note xml:lang=\"en\">a&amp;b&lt;</note>"
                + "</tuple><x:ext xmlns:x=\"urn:x\" x:a=\"1\"><plain xmlns=\"\">no namespace</plain></x:ext></presence>");
        Document doc = XmlParser.newDocument();
        Element root = doc.createElementNS("urn:ietf:params:xml:ns:pidf", "presence");
        root.setAttribute("entity", "sip:zoë@example.org?a=1&b=<2>");
        doc.appendChild(root);
        for (org.w3c.dom.Node n = source.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            root.appendChild(doc.importNode(n, true));
        }
        root.appendChild(doc.createElementNS("urn:d", "dm:device")).appendChild(doc.createElementNS(null, "bare"));
        String text = new String(XmlWriter.written(doc), StandardCharsets.UTF_8);
        assertThat(text).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\"")
                .contains("<rpid:activities xmlns:rpid=\"urn:r\">", "<bare xmlns=\"\"/>", "a&amp;b&lt;");
        Document mine = XmlParser.parse(XmlWriter.written(doc));
        Document jdk = XmlParser.parse(XmlWriter.document(doc));
        assertThat(canonical(mine.getDocumentElement())).isEqualTo(canonical(jdk.getDocumentElement()))
                .contains("{urn:r}busy", "{urn:x}a=1", "{}plain", "{}bare", "{http://www.w3.org/XML/1998/namespace}lang=en");
    }

    /** Every element and attribute by namespace and local name, text as it is: what a reader sees, not how it was declared. */
    private static String canonical(Element e) {
        StringBuilder sb = new StringBuilder("<{").append(e.getNamespaceURI() == null ? "" : e.getNamespaceURI()).append('}')
                .append(e.getLocalName());
        java.util.TreeSet<String> attributes = new java.util.TreeSet<>();
        for (int i = 0; i < e.getAttributes().getLength(); i++) {
            org.w3c.dom.Node a = e.getAttributes().item(i);
            if (!"http://www.w3.org/2000/xmlns/".equals(a.getNamespaceURI())) {
                attributes.add(" {" + (a.getNamespaceURI() == null ? "" : a.getNamespaceURI()) + "}" + a.getLocalName() + "="
                        + a.getNodeValue());
            }
        }
        attributes.forEach(sb::append);
        sb.append('>');
        for (org.w3c.dom.Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            sb.append(n instanceof Element c ? canonical(c) : n.getNodeValue());
        }
        return sb.append("</>").toString();
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
