package org.parley.xdm.usage.ietf;

import org.parley.xdm.ApplicationUsage;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.parley.xdm.xcap.JdbiXcapStore;
import org.parley.xdm.xcap.Xml;
import org.parley.xml.XmlSchema;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The rls-services usage (RFC 4826 §4): resource list server services, each a URI with a list or a
 * reference to a resource-lists list (the schema's choice). Service URIs must be unique (§4.3.5);
 * this checks them across all of the owner's rls-services documents, not yet across the whole
 * domain. The store's per-owner lock makes the check and the write atomic within one node.
 */
public final class RlsServicesUsage implements ApplicationUsage {
    public static final String AUID = "rls-services";
    public static final String NAMESPACE = "urn:ietf:params:xml:ns:rls-services";
    private static final XmlSchema SCHEMA = XmlSchema.load("xsd/rls-services.xsd");

    private final JdbiXcapStore store;

    public RlsServicesUsage(JdbiXcapStore store) {
        this.store = store;
    }

    @Override
    public String auid() {
        return AUID;
    }

    @Override
    public String mimeType() {
        return "application/rls-services+xml";
    }

    @Override
    public String defaultNamespace() {
        return NAMESPACE;
    }

    @Override
    public void validate(Document document, DocumentContext context) throws XcapConflict {
        Xml.validate(SCHEMA, document);
        Set<String> taken = context.global() ? new HashSet<>() : otherDocumentsUris(context);
        Set<String> inThisDocument = new HashSet<>();
        for (Element service : Uniqueness.children(document.getDocumentElement(), NAMESPACE, "service")) {
            String uri = service.getAttribute("uri");
            if (taken.contains(uri) || !inThisDocument.add(uri)) {
                taken.addAll(inThisDocument);
                throw Uniqueness.failure("rls-services/service[@uri=\"" + uri + "\"]/@uri", uri, taken);
            }
            for (Element list : Uniqueness.children(service, NAMESPACE, "list")) {
                ResourceListsUsage.checkList(list, "rls-services/service[@uri=\"" + uri + "\"]/list");
            }
        }
    }

    private Set<String> otherDocumentsUris(DocumentContext context) {
        Set<String> uris = new HashSet<>();
        for (Map.Entry<String, byte[]> other : store.documents(AUID, context.xui()).entrySet()) {
            if (other.getKey().equals(context.documentName())) {
                continue;
            }
            try {
                Document doc = Xml.parse(other.getValue(), "not-well-formed");
                Uniqueness.children(doc.getDocumentElement(), NAMESPACE, "service")
                        .forEach(s -> uris.add(s.getAttribute("uri")));
            } catch (XcapConflict e) {
                throw new IllegalStateException("A stored rls-services document is not well-formed: " + other.getKey(), e);
            }
        }
        return uris;
    }
}
