package org.parley.xdm.oma;

import org.parley.xdm.XcapConflict;
import org.w3c.dom.Document;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.transform.Source;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Arrays;

/**
 * An XML Schema loaded from the classpath ({@code xsd/oma/...}). Imports are resolved only among
 * the files given, never fetched: the factory may access no external schema or DTD.
 */
public final class SchemaValidator {
    private final Schema schema;

    /** @param resources classpath names, imported schemas first */
    public SchemaValidator(String... resources) {
        try {
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            Source[] sources = Arrays.stream(resources).map(SchemaValidator::source).toArray(Source[]::new);
            this.schema = factory.newSchema(sources);
        } catch (SAXException e) {
            throw new IllegalStateException("invalid built-in schema " + Arrays.toString(resources), e);
        }
    }

    private static Source source(String resource) {
        URL url = SchemaValidator.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("missing built-in schema " + resource);
        }
        // Read here rather than by the factory, which may fetch nothing itself.
        try (InputStream in = url.openStream()) {
            return new StreamSource(new ByteArrayInputStream(in.readAllBytes()), url.toExternalForm());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in schema " + resource, e);
        }
    }

    /** @throws XcapConflict schema-validation-error, naming the first violation */
    public void validate(Document document) throws XcapConflict {
        Validator validator = schema.newValidator();
        try {
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            validator.validate(new DOMSource(document));
        } catch (SAXException e) {
            throw new XcapConflict("schema-validation-error", e.getMessage());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
