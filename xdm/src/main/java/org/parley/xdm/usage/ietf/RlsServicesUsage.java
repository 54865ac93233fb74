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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The rls-services usage (RFC 4826 §4): resource list server services, each a URI with a list or a
 * reference to a resource-lists list (the schema's choice). A user's service URIs are addresses
 * the user may own ({@link ServiceUris}: {@code sip:<user>-<name>@<domain>}, never an account's
 * address) and unique across the domain (§4.3.5: 409 uniqueness-failure with a free alternative).
 * The store's per-owner lock makes the check and the write atomic for one owner; two users racing
 * for the same new URI on the same instant could both win, and the resource list server then
 * serves the first it indexed.
 */
public final class RlsServicesUsage implements ApplicationUsage {
    public static final String AUID = "rls-services";
    public static final String NAMESPACE = "urn:ietf:params:xml:ns:rls-services";
    private static final XmlSchema SCHEMA = XmlSchema.load("xsd/rls-services.xsd");

    private final JdbiXcapStore store;
    private final ServiceUris addresses;

    public RlsServicesUsage(JdbiXcapStore store, ServiceUris addresses) {
        this.store = store;
        this.addresses = addresses;
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
        Set<String> elsewhere = context.global() ? new HashSet<>() : urisElsewhere(context);
        Predicate<String> taken = uri -> elsewhere.contains(key(uri)) || addresses.isAccountAddress(uri);
        Set<String> inThisDocument = new HashSet<>();
        for (Element service : Uniqueness.children(document.getDocumentElement(), NAMESPACE, "service")) {
            String uri = service.getAttribute("uri");
            String field = "rls-services/service[@uri=\"" + uri + "\"]/@uri";
            if (!context.global()) {
                addresses.check(context.xui(), uri);
            }
            if (taken.test(uri) || !inThisDocument.add(key(uri))) {
                Predicate<String> used = taken.or(u -> inThisDocument.contains(key(u)));
                throw context.global() ? Uniqueness.failure(field, uri, used)
                        : new XcapConflict("uniqueness-failure", "'" + uri + "' is already used", field,
                                List.of(addresses.alternative(context.xui(), uri, used)));
            }
            for (Element list : Uniqueness.children(service, NAMESPACE, "list")) {
                ResourceListsUsage.checkList(list, "rls-services/service[@uri=\"" + uri + "\"]/list");
            }
        }
    }

    /** Every service URI of the domain but those of this document: the owner's others and every other user's. */
    private Set<String> urisElsewhere(DocumentContext context) {
        Set<String> uris = new HashSet<>();
        for (String user : store.users(AUID)) {
            for (Map.Entry<String, byte[]> other : store.documents(AUID, user).entrySet()) {
                if (user.equals(context.xui()) && other.getKey().equals(context.documentName())) {
                    continue;
                }
                try {
                    Document doc = Xml.parse(other.getValue(), "not-well-formed");
                    Uniqueness.children(doc.getDocumentElement(), NAMESPACE, "service")
                            .forEach(s -> uris.add(key(s.getAttribute("uri"))));
                } catch (XcapConflict e) {
                    throw new IllegalStateException("A stored rls-services document is not well-formed: " + other.getKey(), e);
                }
            }
        }
        return uris;
    }

    /** Service URIs compare as the resource list server finds them: without regard to case. */
    private static String key(String uri) {
        return uri.strip().toLowerCase(Locale.ROOT);
    }
}
