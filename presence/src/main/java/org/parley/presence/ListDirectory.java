package org.parley.presence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.parley.xdm.XcapDocuments;
import org.parley.xdm.oma.Dom;
import org.parley.xdm.xcap.Xml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The services of the resource list server: every service URI of every user's rls-services
 * documents (RFC 4826 §4) with its owner, kept in step with the XDM server, and the members of
 * a service resolved when a subscription needs them — its own {@code <list>} (nested lists
 * flattened, {@code <external>} anchors followed) or the resource-lists list its
 * {@code <resource-list>} points at. Only lists of the service's owner are followed.
 */
final class ListDirectory {
    static final String AUID = "rls-services";
    static final String NS = "urn:ietf:params:xml:ns:rls-services";
    static final String RL = "urn:ietf:params:xml:ns:resource-lists";

    /** One member of a list: its URI and the display name the list gives it. */
    record Member(String uri, String name) {
    }

    /**
     * A service, as a subscription needs it.
     *
     * @param packages the event packages it is for; empty means any
     */
    record Service(String uri, String owner, String name, List<Member> members, List<String> packages) {
    }

    private final XcapDocuments documents;
    private final PresenceServer.StoredLists references;
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    ListDirectory(XcapDocuments documents, PresenceServer.StoredLists references) {
        this.documents = documents;
        this.references = references;
        documents.users(AUID).forEach(this::reindex);
    }

    /** Whether any user has a service URI: most servers have none, and then no SUBSCRIBE is for a list. */
    boolean hasServices() {
        return !owners.isEmpty();
    }

    /** The owner of the service {@code uri}, if there is one. */
    Optional<String> owner(String uri) {
        return Optional.ofNullable(owners.get(key(uri)));
    }

    /** An rls-services document of {@code owner} changed: its service URIs are read again. */
    synchronized void reindex(String owner) {
        owners.values().removeIf(owner::equals);
        for (Element service : services(owner)) {
            owners.putIfAbsent(key(service.getAttribute("uri")), owner);
        }
    }

    /** The service {@code uri} with its members as they are now. */
    Optional<Service> service(String uri) {
        String owner = owners.get(key(uri));
        if (owner == null) {
            return Optional.empty();
        }
        for (Element service : services(owner)) {
            if (!key(service.getAttribute("uri")).equals(key(uri))) {
                continue;
            }
            Map<String, Member> members = new LinkedHashMap<>();
            String name = null;
            Optional<Element> list = Dom.child(service, NS, "list");
            if (list.isPresent()) {
                name = Dom.text(list.get(), RL, "display-name").orElse(null);
                collect(owner, list.get(), members);
            }
            Dom.text(service, NS, "resource-list").ifPresent(ref ->
                    references.resolve(owner, ref.strip()).orElse(List.of())
                            .forEach(m -> members.putIfAbsent(key(m), new Member(m, null))));
            List<String> packages = Dom.child(service, NS, "packages")
                    .map(p -> Dom.children(p, NS, "package").stream().map(e -> e.getTextContent().strip()).toList())
                    .orElse(List.of());
            return Optional.of(new Service(service.getAttribute("uri"), owner, name,
                    List.copyOf(members.values()), packages));
        }
        return Optional.empty();
    }

    private void collect(String owner, Element list, Map<String, Member> into) {
        for (Element e : PresenceComposer.elements(list)) {
            if (!RL.equals(e.getNamespaceURI())) {
                continue;
            }
            switch (e.getLocalName()) {
                case "entry" -> into.putIfAbsent(key(e.getAttribute("uri")),
                        new Member(e.getAttribute("uri"), Dom.text(e, RL, "display-name").orElse(null)));
                case "list" -> collect(owner, e, into);
                case "external" -> references.resolve(owner, e.getAttribute("anchor")).orElse(List.of())
                        .forEach(m -> into.putIfAbsent(key(m), new Member(m, null)));
                default -> { } // entry-ref points into the global tree, which holds no lists of users
            }
        }
    }

    private List<Element> services(String owner) {
        List<Element> found = new ArrayList<>();
        for (String name : documents.documentNames(AUID, owner)) {
            documents.read(new DocumentContext(AUID, false, owner, name)).ifPresent(stored -> {
                try {
                    Document doc = Xml.parse(stored.content());
                    found.addAll(Dom.children(doc.getDocumentElement(), NS, "service"));
                } catch (XcapConflict e) {
                    // the XCAP server validated it on write; a document that no longer parses offers no service
                }
            });
        }
        return found;
    }

    /** URIs compare without parameters and with the host in lower case, as a Request-URI arrives. */
    static String key(String uri) {
        String u = uri.strip();
        int params = u.indexOf(';');
        u = params < 0 ? u : u.substring(0, params);
        int at = u.lastIndexOf('@');
        return at < 0 ? u.toLowerCase(Locale.ROOT) : u.substring(0, at) + u.substring(at).toLowerCase(Locale.ROOT);
    }
}
