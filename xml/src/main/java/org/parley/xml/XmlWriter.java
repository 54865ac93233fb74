package org.parley.xml;

import java.io.ByteArrayOutputStream;
import javax.xml.XMLConstants;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

/**
 * The one way the server writes XML: DOM documents and fragments as UTF-8 bytes, and
 * {@link #escape} for the documents small enough to be written as text (watcher information,
 * xcap-diff, notices).
 */
public final class XmlWriter {
    private XmlWriter() {
    }

    /**
     * A whole document, with a UTF-8 XML declaration and without a {@code standalone} pseudo
     * attribute; namespace declarations stay where the DOM has them.
     */
    public static byte[] document(Document document) {
        // the JDK writes standalone="no" (and no line break after the declaration) unless told this
        document.setXmlStandalone(true);
        return transform(document, false);
    }

    /** A node on its own (an element or a subtree), without an XML declaration. */
    public static byte[] fragment(Node node) {
        return transform(node, true);
    }

    private static byte[] transform(Node node, boolean omitDeclaration) {
        try {
            Transformer t = transformers().newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, omitDeclaration ? "yes" : "no");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            t.transform(new DOMSource(node), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot serialise a DOM node", e);
        }
    }

    /** A new factory each time: the JAXP factories promise no thread safety. */
    private static TransformerFactory transformers() throws TransformerConfigurationException {
        TransformerFactory tf = TransformerFactory.newInstance();
        tf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
        return tf;
    }

    /**
     * {@code text} as character data or as an attribute value in either kind of quotes. Tab, line
     * feed and carriage return become character references so that an attribute keeps them
     * (attribute-value normalisation would turn them into spaces); a character XML 1.0 cannot
     * carry at all (C0 controls, U+FFFE, U+FFFF, a lone surrogate) becomes U+FFFD, since no
     * reader would accept the document otherwise.
     */
    public static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                case '\t' -> sb.append("&#9;");
                case '\n' -> sb.append("&#10;");
                case '\r' -> sb.append("&#13;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        sb.append(c).append(text.charAt(++i));
                    } else if (c < 0x20 || c == 0xFFFE || c == 0xFFFF || Character.isSurrogate(c)) {
                        sb.append('\uFFFD');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
