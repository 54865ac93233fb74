package org.parley.presence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.xml.XmlException;
import org.parley.xml.XmlParser;
import org.parley.xml.XmlWriter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Partial presence (RFC 5262 format, RFC 5263 use) for watchers that accept
 * {@code application/pidf-diff+xml}: the first NOTIFY carries the whole document as
 * {@code <pidf-full>}, later ones a {@code <pidf-diff>} of XML patch operations (RFC 5261) on the
 * tuples, persons and devices that were added, changed or removed, each found by its id. A change
 * an id cannot name (a top-level note, an extension) is sent as full state again, which RFC 5263
 * always allows. Versions count up by one per document.
 */
final class PidfDiff {
    static final String CONTENT_TYPE = "application/pidf-diff+xml";
    static final String NS = "urn:ietf:params:xml:ns:pidf-diff";
    private static final String XMLNS = "http://www.w3.org/2000/xmlns/";

    private PidfDiff() {
    }

    /** The whole state as {@code <pidf-full>}. */
    static byte[] full(byte[] pidf, long version) {
        Document source = parsed(pidf);
        Document doc = root(source, "p:pidf-full", version);
        for (Element e : PresenceComposer.elements(source.getDocumentElement())) {
            doc.getDocumentElement().appendChild(doc.importNode(e, true));
        }
        return XmlWriter.document(doc);
    }

    /** What changed from {@code before} to {@code after} as {@code <pidf-diff>}, or empty when ids cannot say it. */
    static Optional<byte[]> diff(byte[] before, byte[] after, long version) {
        Document old = parsed(before);
        Document now = parsed(after);
        Map<String, Element> was = keyed(old);
        Map<String, Element> is = keyed(now);
        if (was == null || is == null || !unkeyed(old).equals(unkeyed(now))) {
            return Optional.empty();
        }
        Document doc = root(now, "p:pidf-diff", version);
        Element patch = doc.getDocumentElement();
        for (Map.Entry<String, Element> e : was.entrySet()) {
            if (!is.containsKey(e.getKey())) {
                operation(patch, "p:remove", e.getKey());
            }
        }
        for (Map.Entry<String, Element> e : is.entrySet()) {
            Element previous = was.get(e.getKey());
            if (previous == null) {
                operation(patch, "p:add", "*").appendChild(doc.importNode(e.getValue(), true));
            } else if (!previous.isEqualNode(e.getValue())) {
                operation(patch, "p:replace", e.getKey()).appendChild(doc.importNode(e.getValue(), true));
            }
        }
        return Optional.of(XmlWriter.document(doc));
    }

    private static Element operation(Element patch, String name, String sel) {
        Element op = patch.getOwnerDocument().createElementNS(NS, name);
        op.setAttribute("sel", sel);
        patch.appendChild(op);
        return op;
    }

    private static Document root(Document presence, String name, long version) {
        Document doc = XmlParser.newDocument();
        Element root = doc.createElementNS(NS, name);
        // RFC 5262: PIDF is the default namespace, so selectors name tuples without a prefix
        root.setAttributeNS(XMLNS, "xmlns", Pidf.NS);
        root.setAttributeNS(XMLNS, "xmlns:p", NS);
        root.setAttributeNS(XMLNS, "xmlns:dm", Pidf.DM);
        root.setAttribute("entity", presence.getDocumentElement().getAttribute("entity"));
        root.setAttribute("version", Long.toString(version));
        doc.appendChild(root);
        return doc;
    }

    /** Tuples, persons and devices by selector; null when one has no id to be found by. */
    private static Map<String, Element> keyed(Document doc) {
        Map<String, Element> found = new LinkedHashMap<>();
        for (Element e : PresenceComposer.elements(doc.getDocumentElement())) {
            String step = step(e);
            if (step == null) {
                continue;
            }
            if (e.getAttribute("id").isBlank() || e.getAttribute("id").contains("'")) {
                return null;
            }
            found.put("*/" + step + "[@id='" + e.getAttribute("id") + "']", e);
        }
        return found;
    }

    private static List<String> unkeyed(Document doc) {
        List<String> rest = new ArrayList<>();
        for (Element e : PresenceComposer.elements(doc.getDocumentElement())) {
            if (step(e) == null) {
                Document one = XmlParser.newDocument();
                one.appendChild(one.importNode(e, true));
                rest.add(new String(XmlWriter.document(one), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return rest;
    }

    private static String step(Element e) {
        return switch (String.valueOf(e.getNamespaceURI()) + " " + e.getLocalName()) {
            case Pidf.NS + " tuple" -> "tuple";
            case Pidf.DM + " person" -> "dm:person";
            case Pidf.DM + " device" -> "dm:device";
            default -> null;
        };
    }

    private static Document parsed(byte[] xml) {
        try {
            return XmlParser.parse(xml);
        } catch (XmlException e) {
            throw new IllegalStateException("The server's own presence document does not parse", e);
        }
    }
}
