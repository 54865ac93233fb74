package org.parley.xdm.xcap;

import org.parley.xdm.XcapConflict;
import org.parley.xml.XmlParser;
import org.parley.xml.XmlWriter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The application/xcap-error+xml body of a 409 (RFC 4825 §11): one element named after the
 * condition, with the phrase, and for no-parent the closest existing ancestor, for
 * uniqueness-failure the clashing field and alternative values. The field and the ancestor are
 * URI parts, so they are percent-encoded (§11: a node selector's quotes and brackets are not
 * URI characters).
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
                    ancestor.setTextContent(percentEncoded(conflict.field()));
                    condition.appendChild(ancestor);
                }
            }
            case "uniqueness-failure" -> {
                Element exists = doc.createElementNS(NAMESPACE, "exists");
                exists.setAttribute("field", conflict.field() == null ? "" : percentEncoded(conflict.field()));
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

    /**
     * Percent-encodes (RFC 3986 §2.1, UTF-8) what may not stand in a URI path: everything but
     * the unreserved and sub-delim characters, ':', '@', '/', and '%' already starting an escape.
     */
    static String percentEncoded(String value) {
        StringBuilder out = new StringBuilder();
        byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean escape = b == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) && hex(bytes[i + 2]);
            if (b < 0x80 && (Character.isLetterOrDigit(b) || "-._~!$&'()*+,;=:@/".indexOf(b) >= 0 || escape)) {
                out.append((char) b);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static boolean hex(byte b) {
        return Character.digit(b, 16) >= 0;
    }
}
