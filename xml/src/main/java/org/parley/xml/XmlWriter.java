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
import java.nio.charset.StandardCharsets;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
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

    /**
     * A whole document as {@link #document} writes it, but by this class rather than the JDK's
     * serialiser, which allocates some 30 KB for each document however small (its output
     * properties, its handler): for the documents written on a request path (a presentity's
     * state for its watchers, issue 13). An element or attribute whose namespace is not declared
     * where it stands (a DOM built with createElementNS, nodes imported from another document)
     * gets its declaration there; entity references and a DOCTYPE are not written (the parser
     * refuses DTDs and expands entities).
     */
    public static byte[] written(Document document) {
        StringBuilder out = new StringBuilder(512).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        write(document.getDocumentElement(), out, null, true);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A prefix bound to a namespace where it was declared, and the bindings around it. */
    private record Binding(String prefix, String uri, Binding outer) {
        static String uriOf(Binding b, String prefix) {
            for (; b != null; b = b.outer) {
                if (b.prefix.equals(prefix)) {
                    return b.uri;
                }
            }
            return prefix.equals("xml") ? XMLConstants.XML_NS_URI : "";
        }
    }

    /** {@code prefix} bound to {@code uri} (null: none) where it is not yet; the scope the element's content sees. */
    private static Binding declare(String prefix, String uri, Binding scope, StringBuilder out) {
        String wanted = uri == null ? "" : uri;
        if (Binding.uriOf(scope, prefix).equals(wanted)) {
            return scope;
        }
        out.append(prefix.isEmpty() ? " xmlns" : " xmlns:" + prefix).append("=\"").append(escape(wanted)).append('"');
        return new Binding(prefix, wanted, scope);
    }

    /** A node on its own (an element or a subtree), without an XML declaration. */
    public static byte[] fragment(Node node) {
        return transform(node, true);
    }

    /**
     * An element as it is written in its document (RFC 4825 §8.3, application/xcap-el+xml): its
     * own namespace declarations and no others. {@link #fragment} would add the declarations in
     * scope from its ancestors, which the element does not carry in the document.
     */
    public static byte[] asWritten(Element element) {
        StringBuilder out = new StringBuilder();
        write(element, out, null, false);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code declaring}: each namespace a name uses is declared where it is not yet in
     * {@code scope} ({@link #written}); otherwise the nodes are written as they stand, their own
     * declarations and no others ({@link #asWritten}).
     */
    private static void write(Node node, StringBuilder out, Binding scope, boolean declaring) {
        switch (node.getNodeType()) {
            case Node.ELEMENT_NODE -> {
                out.append('<').append(node.getNodeName());
                NamedNodeMap attributes = node.getAttributes();
                if (declaring) {
                    // the declarations the element carries first: what it names below may rely on them
                    for (int i = 0; i < attributes.getLength(); i++) {
                        Node a = attributes.item(i);
                        if (isDeclaration(a)) {
                            scope = new Binding(a.getPrefix() == null ? "" : a.getLocalName(), a.getNodeValue(), scope);
                            writeAttribute(a, out);
                        }
                    }
                    scope = declare(node.getPrefix() == null ? "" : node.getPrefix(), node.getNamespaceURI(), scope, out);
                }
                for (int i = 0; i < attributes.getLength(); i++) {
                    Node a = attributes.item(i);
                    if (declaring && isDeclaration(a)) {
                        continue;
                    }
                    if (declaring && a.getPrefix() != null) {
                        scope = declare(a.getPrefix(), a.getNamespaceURI(), scope, out);
                    }
                    writeAttribute(a, out);
                }
                if (!node.hasChildNodes()) {
                    out.append("/>");
                    return;
                }
                out.append('>');
                for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
                    write(child, out, scope, declaring);
                }
                out.append("</").append(node.getNodeName()).append('>');
            }
            case Node.TEXT_NODE -> out.append(escape(node.getNodeValue(), false));
            case Node.CDATA_SECTION_NODE -> out.append("<![CDATA[").append(node.getNodeValue()).append("]]>");
            case Node.COMMENT_NODE -> out.append("<!--").append(node.getNodeValue()).append("-->");
            case Node.PROCESSING_INSTRUCTION_NODE -> out.append("<?").append(node.getNodeName()).append(' ')
                    .append(node.getNodeValue()).append("?>");
            default -> {
                // entity references are expanded by the parser; nothing else occurs inside an element
            }
        }
    }

    private static boolean isDeclaration(Node attribute) {
        return XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(attribute.getNamespaceURI());
    }

    private static void writeAttribute(Node a, StringBuilder out) {
        out.append(' ').append(a.getNodeName()).append("=\"").append(escape(a.getNodeValue())).append('"');
    }

    private static byte[] transform(Node node, boolean omitDeclaration) {
        Transformer t = SERIALISERS.take();
        try {
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, omitDeclaration ? "yes" : "no");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            t.transform(new DOMSource(node), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot serialise a DOM node", e);
        } finally {
            SERIALISERS.give(t);
        }
    }

    /** Identity transformers for reuse; reset puts their output properties back to the defaults. */
    private static final Pool<Transformer> SERIALISERS = new Pool<>(64, XmlWriter::newSerialiser, Transformer::reset);

    /** A new factory each time: the JAXP factories promise no thread safety (the transformers are pooled). */
    private static Transformer newSerialiser() {
        try {
            TransformerFactory tf = TransformerFactory.newInstance();
            tf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            return tf.newTransformer();
        } catch (TransformerConfigurationException e) {
            throw new IllegalStateException("the JDK XML serialiser is not available", e);
        }
    }

    /**
     * {@code text} as character data or as an attribute value in either kind of quotes. Tab, line
     * feed and carriage return become character references so that an attribute keeps them
     * (attribute-value normalisation would turn them into spaces); a character XML 1.0 cannot
     * carry at all (C0 controls, U+FFFE, U+FFFF, a lone surrogate) becomes U+FFFD, since no
     * reader would accept the document otherwise.
     */
    public static String escape(String text) {
        return escape(text, true);
    }

    /** As {@link #escape}; character data ({@code attribute} false) keeps its tabs and line feeds as written. */
    private static String escape(String text, boolean attribute) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                case '\t' -> sb.append(attribute ? "&#9;" : "\t");
                case '\n' -> sb.append(attribute ? "&#10;" : "\n");
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
