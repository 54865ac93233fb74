package org.parley.xml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The one XML parser of the server. Every document it reads comes from a user (a PUBLISH body,
 * an XCAP PUT, a recipient list), so it refuses any DOCTYPE outright: no entity can be declared,
 * hence neither external entities (XXE) nor entity expansion bombs, and nothing is ever fetched
 * (no external DTD, schema or XInclude). Namespace-aware, as every usage needs.
 */
public final class XmlParser {
    private static final DocumentBuilderFactory FACTORY = factory();

    /** Parse errors are thrown rather than printed to stderr, which is what the JDK does by default. */
    private static final ErrorHandler STRICT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
            // a warning does not make a document unusable
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    /** Builders for reuse: one per concurrent parse is what a busy presence server needs. */
    private static final Pool<DocumentBuilder> BUILDERS = new Pool<>(64, XmlParser::newBuilder, b -> {
        b.reset(); // forgets the last document and handler; the factory's security features stay
        b.setErrorHandler(STRICT);
    });

    private XmlParser() {
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
            throw new IllegalStateException("the JDK XML parser lacks a required security feature", e);
        }
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }

    /** A document from bytes; the encoding is the one its XML declaration names, else UTF-8. */
    public static Document parse(byte[] xml) throws XmlException {
        return parse(new InputSource(new ByteArrayInputStream(xml)));
    }

    /** A document from text already decoded. */
    public static Document parse(String xml) throws XmlException {
        return parse(new InputSource(new StringReader(xml)));
    }

    private static Document parse(InputSource source) throws XmlException {
        DocumentBuilder builder = BUILDERS.take();
        try {
            return builder.parse(source);
        } catch (SAXException e) {
            throw new XmlException(e.getMessage(), e);
        } catch (IOException e) {
            // in-memory input: only a decoding fault of the bytes can end up here
            throw new XmlException("unreadable XML: " + e.getMessage(), e);
        } finally {
            BUILDERS.give(builder);
        }
    }

    /** An empty namespace-aware document to build into. */
    public static Document newDocument() {
        DocumentBuilder builder = BUILDERS.take();
        try {
            return builder.newDocument();
        } finally {
            BUILDERS.give(builder);
        }
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            builder.setErrorHandler(STRICT);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }
}
