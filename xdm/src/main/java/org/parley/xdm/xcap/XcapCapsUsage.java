package org.parley.xdm.xcap;

import org.parley.xdm.ApplicationUsage;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.parley.xml.XmlParser;
import org.parley.xml.XmlSchema;
import org.parley.xml.XmlWriter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The xcap-caps usage (RFC 4825 §12): one global, read-only document, {@code
 * xcap-caps/global/index}, listing the AUIDs, extensions and namespaces this server supports. It
 * is generated from the registry on each read, so usages registered by other modules appear. It
 * lives beside the registry rather than with the other IETF usages because every XCAP server
 * must have it and the registry creates it.
 */
public final class XcapCapsUsage implements ApplicationUsage {
    public static final String AUID = "xcap-caps";
    public static final String NAMESPACE = "urn:ietf:params:xml:ns:xcap-caps";
    public static final String DOCUMENT = "index";
    private static final XmlSchema SCHEMA = XmlSchema.load("xsd/xcap-caps.xsd");

    private final ApplicationUsages registry;

    XcapCapsUsage(ApplicationUsages registry) {
        this.registry = registry;
    }

    @Override
    public String auid() {
        return AUID;
    }

    @Override
    public String mimeType() {
        return "application/xcap-caps+xml";
    }

    @Override
    public String defaultNamespace() {
        return NAMESPACE;
    }

    @Override
    public void validate(Document document, DocumentContext context) throws XcapConflict {
        Xml.validate(SCHEMA, document);
    }

    @Override
    public Optional<byte[]> globalDocument(String documentName) {
        return DOCUMENT.equals(documentName) ? Optional.of(XmlWriter.document(capabilities())) : Optional.empty();
    }

    private Document capabilities() {
        Document doc = XmlParser.newDocument();
        Element root = doc.createElementNS(NAMESPACE, "xcap-caps");
        root.setAttributeNS(javax.xml.XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns", NAMESPACE);
        doc.appendChild(root);
        Element auids = child(root, "auids");
        Set<String> namespaces = new LinkedHashSet<>();
        for (ApplicationUsage usage : registry.all()) {
            child(auids, "auid").setTextContent(usage.auid());
            if (!usage.defaultNamespace().isEmpty()) {
                // a usage for documents of any namespace (group content) declares none
                namespaces.add(usage.defaultNamespace());
            }
        }
        // No XCAP extensions (RFC 4825 §12.2) are implemented, so the optional element is left out.
        Element list = child(root, "namespaces");
        namespaces.add(ErrorDocument.NAMESPACE);
        namespaces.forEach(ns -> child(list, "namespace").setTextContent(ns));
        return doc;
    }

    private static Element child(Element parent, String name) {
        Element child = parent.getOwnerDocument().createElementNS(NAMESPACE, name);
        parent.appendChild(child);
        return child;
    }
}
