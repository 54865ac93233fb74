package org.parley.xdm.xcap;

import org.parley.xdm.XcapConflict;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Secure, namespace-aware XML parsing and serialisation for XCAP. No DTD is accepted at all, so
 * neither external entities nor entity expansion bombs can reach the parser (XXE).
 */
public final class Xml {
    private static final DocumentBuilderFactory FACTORY = factory();
    private static final Pattern ENCODING_DECL =
            Pattern.compile("^\\s*<\\?xml[^>]*encoding\\s*=\\s*[\"']([^\"']+)[\"']");

    private Xml() {
    }

    private static DocumentBuilderFactory factory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The JDK parser lacks a required security feature", e);
        }
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }

    /** RFC 4825 §8.2.1: bodies must be UTF-8; anything else is the not-utf-8 conflict. */
    public static String utf8(byte[] body) throws XcapConflict {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
            var declared = ENCODING_DECL.matcher(text);
            if (declared.find() && !declared.group(1).equalsIgnoreCase("UTF-8")) {
                throw new XcapConflict("not-utf-8", "The XML declaration names encoding " + declared.group(1));
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new XcapConflict("not-utf-8", "The body is not valid UTF-8");
        }
    }

    /** Parses a whole document; a parse failure is the given conflict (not-well-formed, not-xml-frag). */
    public static Document parse(byte[] body, String conflict) throws XcapConflict {
        try {
            return builder().parse(new ByteArrayInputStream(body));
        } catch (SAXException | IOException e) {
            throw new XcapConflict(conflict, e.getMessage());
        }
    }

    public static Document parse(String text, String conflict) throws XcapConflict {
        try {
            return builder().parse(new InputSource(new java.io.StringReader(text)));
        } catch (SAXException | IOException e) {
            throw new XcapConflict(conflict, e.getMessage());
        }
    }

    public static Document newDocument() {
        return builder().newDocument();
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            // Without this the default handler prints parse errors to stderr before throwing.
            builder.setErrorHandler(new DefaultHandler() {
                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Serialises a whole document after a partial change (element or attribute PUT/DELETE), the
     * one place where the stored bytes are not the client's: the DOM keeps every namespace
     * declaration where it was written, and a UTF-8 XML declaration is always written, so the
     * result stays a standalone UTF-8 document; insignificant formatting inside tags may differ.
     */
    public static byte[] serialise(Document document) {
        document.setXmlStandalone(true);
        return transform(document, false);
    }

    /** A node on its own (an element for application/xcap-el+xml), without an XML declaration. */
    public static byte[] serialiseFragment(Node node) {
        return transform(node, true);
    }

    /**
     * An element as it is written in its document (RFC 4825 §8.3, application/xcap-el+xml): its
     * own namespace declarations and no others. A DOM serialiser would add the declarations in
     * scope from its ancestors, which the element does not have in the document.
     */
    public static byte[] serialiseAsWritten(Element element) {
        StringBuilder out = new StringBuilder();
        write(element, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Node node, StringBuilder out) {
        switch (node.getNodeType()) {
            case Node.ELEMENT_NODE -> {
                out.append('<').append(node.getNodeName());
                NamedNodeMap attributes = node.getAttributes();
                for (int i = 0; i < attributes.getLength(); i++) {
                    Node a = attributes.item(i);
                    out.append(' ').append(a.getNodeName()).append("=\"").append(escape(a.getNodeValue(), true)).append('"');
                }
                if (!node.hasChildNodes()) {
                    out.append("/>");
                    return;
                }
                out.append('>');
                for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
                    write(child, out);
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

    private static String escape(String text, boolean attribute) {
        String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return attribute ? escaped.replace("\"", "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")
                .replace("\r", "&#13;") : escaped.replace("\r", "&#13;");
    }

    private static byte[] transform(Node node, boolean omitDeclaration) {
        try {
            TransformerFactory tf = TransformerFactory.newInstance();
            tf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Transformer t = tf.newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, omitDeclaration ? "yes" : "no");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            t.transform(new DOMSource(node), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException("Cannot serialise a DOM node", e);
        }
    }
}
