package org.parley.xdm.xcap;

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
import java.io.IOException;
import java.net.URL;

/**
 * XML Schemas of application usages, loaded from the classpath ({@code xsd/}). Imports between
 * them resolve relative to the classpath; the network is never reached (only file and jar
 * locations may be read, and documents may bring no DTD).
 */
public final class XmlSchemas {
    private XmlSchemas() {
    }

    /** One schema from several XSD files on the classpath, e.g. "xsd/common-policy.xsd". */
    public static Schema load(String... resources) {
        try {
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file,jar");
            Source[] sources = new Source[resources.length];
            for (int i = 0; i < resources.length; i++) {
                URL url = XmlSchemas.class.getClassLoader().getResource(resources[i]);
                if (url == null) {
                    throw new IllegalStateException("Missing schema resource " + resources[i]);
                }
                sources[i] = new StreamSource(url.toExternalForm());
            }
            return factory.newSchema(sources);
        } catch (SAXException e) {
            throw new IllegalStateException("Invalid bundled schema " + String.join(", ", resources), e);
        }
    }

    /** Validates a whole document; any violation is the schema-validation-error conflict. */
    public static void validate(Schema schema, Document document) throws XcapConflict {
        try {
            Validator validator = schema.newValidator();
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            validator.validate(new DOMSource(document));
        } catch (SAXException e) {
            throw new XcapConflict("schema-validation-error", e.getMessage());
        } catch (IOException e) {
            throw new IllegalStateException("Validating an in-memory document cannot do I/O", e);
        }
    }
}
