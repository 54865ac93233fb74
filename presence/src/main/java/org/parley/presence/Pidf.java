package org.parley.presence;

import org.parley.xdm.oma.Dom;
import org.parley.xml.XmlException;
import org.parley.xml.XmlParser;
import org.parley.xml.XmlWriter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Presence documents (PIDF, RFC 3863, with the data model of RFC 4479 and RPID of RFC 4480):
 * checking what a publisher sends and building the documents this server writes. Parsing goes
 * through {@link XmlParser}: documents come from users, so DTDs and external entities are refused.
 */
final class Pidf {
    static final String CONTENT_TYPE = "application/pidf+xml";
    static final String NS = "urn:ietf:params:xml:ns:pidf";
    static final String DM = "urn:ietf:params:xml:ns:pidf:data-model";
    static final String RPID = "urn:ietf:params:xml:ns:pidf:rpid";

    /** A body that is not a usable PIDF document; the message becomes the 400's reason phrase. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private Pidf() {
    }

    /** Parses and checks the structure RFC 3863 requires: a presence root with an entity, tuples with id and status. */
    static Document parse(byte[] body) throws Invalid {
        Document doc;
        try {
            doc = XmlParser.parse(body);
        } catch (XmlException e) {
            throw new Invalid("Body is not well-formed XML");
        }
        Element root = doc.getDocumentElement();
        if (!NS.equals(root.getNamespaceURI()) || !"presence".equals(root.getLocalName())) {
            throw new Invalid("Body is not a PIDF presence document");
        }
        if (root.getAttribute("entity").isBlank()) {
            throw new Invalid("PIDF presence without entity");
        }
        for (Element tuple : Dom.children(root, NS, "tuple")) {
            if (tuple.getAttribute("id").isBlank()) {
                throw new Invalid("PIDF tuple without id");
            }
            Element status = Dom.child(tuple, NS, "status").orElseThrow(() -> new Invalid("PIDF tuple without status"));
            // RFC 3863 §4.1.4: basic is open or closed; anything else would reach watchers as nonsense
            if (Dom.text(status, NS, "basic").map(String::strip).filter(b -> !b.equals("open") && !b.equals("closed"))
                    .isPresent()) {
                throw new Invalid("PIDF basic status must be open or closed");
            }
        }
        return doc;
    }

    /**
     * What a publication keeps of a checked document: its presence element, in a copy that is an
     * ordinary DOM. The parser's own document expands its nodes when first read and keeps its
     * parse tables for that, several KiB for a few elements; the copy is built once per PUBLISH,
     * and composition only reads it.
     */
    static Element kept(Document parsed) {
        Document doc = XmlParser.newDocument();
        Element root = (Element) doc.importNode(parsed.getDocumentElement(), true);
        doc.appendChild(root);
        // the DOM makes an element's attribute map when first asked, and copying an element asks: made
        // now, so that composing never changes the kept document (nor adds to the heap after the PUBLISH)
        root.getAttributes();
        NodeList all = root.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            all.item(i).getAttributes();
        }
        return root;
    }

    /** An empty presence document for {@code entity}, to compose into. */
    static Document empty(String entity) {
        Document doc = XmlParser.newDocument();
        Element root = doc.createElementNS(NS, "presence");
        root.setAttribute("entity", entity);
        doc.appendChild(root);
        return doc;
    }

    /** A tuple with only a basic status, for network-provided state and the neutral document. */
    static Element basicTuple(Document doc, String id, boolean open, String contact) {
        Element tuple = Dom.append(doc.getDocumentElement(), NS, "tuple", null);
        tuple.setAttribute("id", id);
        Dom.append(Dom.append(tuple, NS, "status", null), NS, "basic", open ? "open" : "closed");
        if (contact != null) {
            Dom.append(tuple, NS, "contact", contact);
        }
        return tuple;
    }

    /**
     * What a politely blocked watcher sees (RFC 5025 §3.2.1: indistinguishable from a presentity
     * that is offline): one closed tuple, nothing else.
     */
    static byte[] neutral(String entity) {
        Document doc = empty(entity);
        basicTuple(doc, "offline", false, null);
        return XmlWriter.document(doc);
    }
}
