package org.parley.xdm.xcap;

import org.parley.xdm.XcapConflict;
import org.parley.xml.XmlParser;
import org.parley.xml.XmlWriter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The application/xcap-error+xml body of a 409 (RFC 4825 §11): one element named after the
 * condition, with the phrase, and for no-parent the closest existing ancestor, for
 * uniqueness-failure the clashing field and alternative values.
 */
public final class ErrorDocument {
    public static final String NAMESPACE = "urn:ietf:params:xml:ns:xcap-error";
    public static final String MIME_TYPE = "application/xcap-error+xml";

    private ErrorDocument() {
    }

    public static byte[] render(XcapConflict conflict) {
        Document doc = XmlParser.newDocument();
        Element root = doc.createElementNS(NAMESPACE, "xcap-error");
        root.setAttributeNS(javax.xml.XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns", NAMESPACE);
        doc.appendChild(root);
        Element condition = doc.createElementNS(NAMESPACE, conflict.condition());
        root.appendChild(condition);
        if (conflict.getMessage() != null && !conflict.getMessage().isBlank()) {
            condition.setAttribute("phrase", conflict.getMessage());
        }
        switch (conflict.condition()) {
            case "no-parent" -> {
                if (conflict.field() != null) {
                    Element ancestor = doc.createElementNS(NAMESPACE, "ancestor");
                    ancestor.setTextContent(conflict.field());
                    condition.appendChild(ancestor);
                }
            }
            case "uniqueness-failure" -> {
                Element exists = doc.createElementNS(NAMESPACE, "exists");
                exists.setAttribute("field", conflict.field() == null ? "" : conflict.field());
                for (String alternative : conflict.alternatives()) {
                    Element alt = doc.createElementNS(NAMESPACE, "alt-value");
                    alt.setTextContent(alternative);
                    exists.appendChild(alt);
                }
                condition.appendChild(exists);
            }
            default -> {
                // The other conditions carry only the phrase.
            }
        }
        return XmlWriter.document(doc);
    }
}
