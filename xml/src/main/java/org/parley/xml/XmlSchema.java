package org.parley.xml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Arrays;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.transform.Source;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.w3c.dom.Document;
import org.w3c.dom.ls.LSInput;
import org.w3c.dom.ls.LSResourceResolver;
import org.xml.sax.SAXException;

/**
 * An XML Schema bundled with the server, loaded from the classpath. The schema files are read
 * here, and so are the ones they import or include by a relative location (from the same
 * classpath); the factory itself may fetch nothing, so no schema reaches the network, and a
 * document's own {@code xsi:schemaLocation} is never followed: it is validated against this
 * schema only.
 */
public final class XmlSchema {
    /** Where classpath resources live: a directory or a jar. */
    private static final Set<String> CLASSPATH_SCHEMES = Set.of("file", "jar");

    private final Schema schema;

    private XmlSchema(Schema schema) {
        this.schema = schema;
    }

    /**
     * One schema from several classpath resources, e.g. "xsd/common-policy.xsd", "xsd/pres-rules.xsd";
     * a namespace imported without a location must be among them.
     *
     * @throws IllegalStateException when a resource is missing or is not a valid schema: a build fault
     */
    public static XmlSchema load(String... resources) {
        try {
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setResourceResolver(new BundledResolver());
            Source[] sources = Arrays.stream(resources).map(XmlSchema::source).toArray(Source[]::new);
            return new XmlSchema(factory.newSchema(sources));
        } catch (SAXException e) {
            throw new IllegalStateException("invalid bundled schema " + String.join(", ", resources), e);
        }
    }

    private static Source source(String resource) {
        URL url = XmlSchema.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("missing bundled schema " + resource);
        }
        return new StreamSource(new ByteArrayInputStream(read(url)), url.toExternalForm());
    }

    private static byte[] read(URL url) {
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled schema " + url, e);
        }
    }

    /** Validates a whole document; the exception names the first violation. */
    public void validate(Document document) throws XmlException {
        Validator validator = schema.newValidator();
        try {
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            validator.validate(new DOMSource(document));
        } catch (SAXException e) {
            throw new XmlException(e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("validating an in-memory document cannot do I/O", e);
        }
    }

    /**
     * Serves an import or include relative to a bundled schema from the classpath; anything else
     * is left to the factory, which is allowed to fetch nothing and so refuses it.
     */
    private static final class BundledResolver implements LSResourceResolver {
        @Override
        public LSInput resolveResource(String type, String namespace, String publicId, String systemId, String baseUri) {
            if (systemId == null || baseUri == null) {
                return null;
            }
            try {
                URI base = new URI(baseUri);
                if (!CLASSPATH_SCHEMES.contains(base.getScheme())) {
                    return null;
                }
                URL resolved = resolve(base, systemId);
                if (resolved == null || !CLASSPATH_SCHEMES.contains(resolved.getProtocol())) {
                    return null;
                }
                return new Bundled(publicId, resolved.toExternalForm(), baseUri, read(resolved));
            } catch (URISyntaxException | IOException | IllegalArgumentException e) {
                return null;
            }
        }

        private static URL resolve(URI base, String systemId) throws URISyntaxException, IOException {
            if (new URI(systemId).isAbsolute()) {
                return new URI(systemId).toURL();
            }
            // jar:file:/x.jar!/xsd/a.xsd is opaque to URI.resolve; resolve against a URL instead
            return new URL(base.toURL(), systemId);
        }
    }

    /** An imported schema's bytes, read by {@link BundledResolver}. */
    private record Bundled(String publicId, String systemId, String baseUri, byte[] bytes) implements LSInput {
        @Override
        public java.io.Reader getCharacterStream() {
            return null;
        }

        @Override
        public void setCharacterStream(java.io.Reader characterStream) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream getByteStream() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public void setByteStream(InputStream byteStream) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getStringData() {
            return null;
        }

        @Override
        public void setStringData(String stringData) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getSystemId() {
            return systemId;
        }

        @Override
        public void setSystemId(String systemId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getPublicId() {
            return publicId;
        }

        @Override
        public void setPublicId(String publicId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getBaseURI() {
            return baseUri;
        }

        @Override
        public void setBaseURI(String baseURI) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getEncoding() {
            return null;
        }

        @Override
        public void setEncoding(String encoding) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean getCertifiedText() {
            return false;
        }

        @Override
        public void setCertifiedText(boolean certifiedText) {
            throw new UnsupportedOperationException();
        }
    }
}
