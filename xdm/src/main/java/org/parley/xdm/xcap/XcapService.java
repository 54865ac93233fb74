package org.parley.xdm.xcap;

import org.parley.xdm.ApplicationUsage;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.parley.xdm.XcapDocuments;
import org.parley.xml.XmlWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The XCAP server (RFC 4825 §7-8): GET, PUT and DELETE of whole documents, elements, attributes
 * and (GET only) namespace bindings, with ETags and conditional requests, every write validated by
 * the application usage and checked-and-written atomically per document. The same documents serve
 * the other XDM services through {@link XcapDocuments}.
 */
public final class XcapService implements XcapDocuments {
    public static final String ELEMENT_TYPE = "application/xcap-el+xml";
    public static final String ATTRIBUTE_TYPE = "application/xcap-att+xml";
    public static final String NAMESPACES_TYPE = "application/xcap-ns+xml";
    private static final Logger LOG = LoggerFactory.getLogger(XcapService.class);

    private final JdbiXcapStore store;
    private final ApplicationUsages usages;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

    public XcapService(JdbiXcapStore store, ApplicationUsages usages) {
        this.store = store;
        this.usages = usages;
    }

    /** A successful answer: 200/201/304, the body with its type (none for writes), the document's ETag. */
    public record Response(int status, String contentType, byte[] body, String etag) {
    }

    // ---- request-level operations ------------------------------------------------------------

    public Response get(XcapUri uri, Conditions conditions) throws XcapError {
        ApplicationUsage usage = usage(uri.auid());
        Optional<NodeSelector> selector = selector(uri, usage);
        Stored current = read(uri.document(), usage).orElseThrow(() -> XcapError.notFound("No such document"));
        if (!conditions.ifMatchHolds(current.etag())) {
            throw XcapError.preconditionFailed("If-Match does not match the document's ETag");
        }
        if (conditions.ifNoneMatchMatches(current.etag())) {
            return new Response(304, null, new byte[0], current.etag());
        }
        if (selector.isEmpty()) {
            return new Response(200, usage.mimeType(), current.content(), current.etag());
        }
        NodeSelector s = selector.get();
        Element element = single(s.select(conflictToError(() -> Xml.parse(current.content(), "not-well-formed"))));
        return switch (s.terminal()) {
            case NodeSelector.ElementTerminal e ->
                    new Response(200, ELEMENT_TYPE, XmlWriter.asWritten(element), current.etag());
            case NodeSelector.AttributeTerminal a -> {
                String value = NodeSelector.attributeValue(element, a.attribute());
                if (value == null) {
                    throw XcapError.notFound("No such attribute");
                }
                yield new Response(200, ATTRIBUTE_TYPE, XmlWriter.escape(value).getBytes(StandardCharsets.UTF_8),
                        current.etag());
            }
            case NodeSelector.NamespaceTerminal n ->
                    new Response(200, NAMESPACES_TYPE, NamespaceBindings.of(element), current.etag());
        };
    }

    /**
     * The element an XCAP URI selects, within its parsed document, so that it keeps the
     * namespaces in scope there (the element GET's body does not declare its ancestors', §8.3).
     */
    Element element(XcapUri uri) throws XcapError {
        ApplicationUsage usage = usage(uri.auid());
        NodeSelector s = selector(uri, usage).filter(n -> n.terminal() instanceof NodeSelector.ElementTerminal)
                .orElseThrow(() -> XcapError.notFound("The URI selects no element"));
        Stored current = read(uri.document(), usage).orElseThrow(() -> XcapError.notFound("No such document"));
        return single(s.select(conflictToError(() -> Xml.parse(current.content(), "not-well-formed"))));
    }

    public Response put(XcapUri uri, String contentType, byte[] body, Conditions conditions) throws XcapError {
        ApplicationUsage usage = usage(uri.auid());
        readOnlyGlobal(uri);
        Optional<NodeSelector> selector = selector(uri, usage);
        NodeSelector.Terminal terminal = selector.map(NodeSelector::terminal).orElse(null);
        if (terminal instanceof NodeSelector.NamespaceTerminal) {
            throw XcapError.notAllowed("GET", "Namespace bindings can only be read");
        }
        String expected = selector.isEmpty() ? usage.mimeType()
                : terminal instanceof NodeSelector.AttributeTerminal ? ATTRIBUTE_TYPE : ELEMENT_TYPE;
        if (!mediaType(contentType).equals(expected)) {
            throw XcapError.of(415, "This resource takes Content-Type " + expected);
        }
        String text = conflictToError(() -> Xml.utf8(body));
        DocumentContext where = uri.document();
        AtomicBoolean nodeCreated = new AtomicBoolean();
        JdbiXcapStore.Change change = store.update(where, current -> {
            precondition(conditions, current);
            try {
                if (selector.isEmpty()) {
                    usage.validate(Xml.parse(body, "not-well-formed"), where);
                    return Optional.of(body);
                }
                Document doc = existing(current, uri);
                nodeCreated.set(terminal instanceof NodeSelector.AttributeTerminal a
                        ? PartialEdits.putAttribute(doc, selector.get(), a, text, uri)
                        : PartialEdits.putElement(doc, selector.get(), text, uri));
                usage.validate(doc, where);
                return Optional.of(XmlWriter.document(doc));
            } catch (XcapConflict e) {
                throw XcapError.conflict(e);
            }
        });
        notify(where, change);
        boolean created = selector.isEmpty() ? change.created() : nodeCreated.get();
        return new Response(created ? 201 : 200, null, new byte[0], change.newEtag());
    }

    public Response delete(XcapUri uri, Conditions conditions) throws XcapError {
        ApplicationUsage usage = usage(uri.auid());
        readOnlyGlobal(uri);
        Optional<NodeSelector> selector = selector(uri, usage);
        if (selector.isPresent() && selector.get().terminal() instanceof NodeSelector.NamespaceTerminal) {
            throw XcapError.notAllowed("GET", "Namespace bindings can only be read");
        }
        DocumentContext where = uri.document();
        JdbiXcapStore.Change change = store.update(where, current -> {
            if (current.isEmpty()) {
                throw XcapError.notFound("No such document");
            }
            precondition(conditions, current);
            if (selector.isEmpty()) {
                return Optional.empty();
            }
            try {
                Document doc = Xml.parse(current.get().content(), "not-well-formed");
                PartialEdits.delete(doc, selector.get());
                usage.validate(doc, where);
                return Optional.of(XmlWriter.document(doc));
            } catch (XcapConflict e) {
                throw XcapError.conflict(e);
            }
        });
        notify(where, change);
        return new Response(200, null, new byte[0], change.newEtag());
    }

    // ---- XcapDocuments -----------------------------------------------------------------------

    @Override
    public Optional<Stored> read(DocumentContext where) {
        return usages.find(where.auid()).flatMap(usage -> read(where, usage));
    }

    @Override
    public String write(DocumentContext where, byte[] content, Optional<String> ifMatch)
            throws XcapConflict, PreconditionFailed {
        ApplicationUsage usage = usages.find(where.auid())
                .orElseThrow(() -> new IllegalArgumentException("Unknown AUID " + where.auid()));
        Xml.utf8(content);
        Conditions conditions = ifMatch == null ? Conditions.NONE
                : ifMatch.map(etag -> Conditions.of(Optional.of('"' + etag + '"'), Optional.empty()))
                .orElse(Conditions.of(Optional.empty(), Optional.of("*")));
        try {
            JdbiXcapStore.Change change = store.update(where, current -> {
                precondition(conditions, current);
                try {
                    usage.validate(Xml.parse(content, "not-well-formed"), where);
                } catch (XcapConflict e) {
                    throw XcapError.conflict(e);
                }
                return Optional.of(content);
            });
            notify(where, change);
            return change.newEtag();
        } catch (XcapError e) {
            if (e.xcapConflict().isPresent()) {
                throw e.xcapConflict().get();
            }
            throw new PreconditionFailed(e.getMessage());
        }
    }

    @Override
    public boolean delete(DocumentContext where) {
        try {
            JdbiXcapStore.Change change = store.update(where, current -> Optional.empty());
            notify(where, change);
            return change.oldEtag() != null;
        } catch (XcapError e) {
            throw new IllegalStateException("A plain delete cannot be refused", e);
        }
    }

    @Override
    public List<String> documentNames(String auid, String xui) {
        return store.documentNames(auid, xui);
    }

    @Override
    public List<String> users(String auid) {
        return store.users(auid);
    }

    @Override
    public void addListener(ChangeListener listener) {
        listeners.add(listener);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private Optional<Stored> read(DocumentContext where, ApplicationUsage usage) {
        if (where.global()) {
            Optional<byte[]> generated = usage.globalDocument(where.documentName());
            if (generated.isPresent()) {
                return generated.map(content -> new Stored(content, contentEtag(content)));
            }
        }
        return store.read(where);
    }

    private ApplicationUsage usage(String auid) throws XcapError {
        return usages.find(auid).orElseThrow(() -> XcapError.notFound("No application usage " + auid));
    }

    /** RFC 4825 §6.2: the global tree holds documents the server provides; clients only read them. */
    private static void readOnlyGlobal(XcapUri uri) throws XcapError {
        if (uri.global()) {
            throw XcapError.notAllowed("GET", "The global tree is read-only");
        }
    }

    private static Optional<NodeSelector> selector(XcapUri uri, ApplicationUsage usage) throws XcapError {
        if (uri.nodeSelector().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(NodeSelector.parse(uri.nodeSelector().get(), usage.defaultNamespace(), uri.namespaces()));
        } catch (NodeSelector.Malformed e) {
            throw XcapError.of(400, e.getMessage());
        }
    }

    private static void precondition(Conditions conditions, Optional<Stored> current) throws XcapError {
        if (!conditions.allowsWrite(current.map(Stored::etag).orElse(null))) {
            throw XcapError.preconditionFailed("The document's ETag does not satisfy If-Match / If-None-Match");
        }
    }

    /** An element or attribute can only be put into an existing document; the user's home is the ancestor. */
    private static Document existing(Optional<Stored> current, XcapUri uri) throws XcapConflict {
        if (current.isEmpty()) {
            throw new XcapConflict("no-parent", "The document does not exist", uri.homeUri(), List.of());
        }
        return Xml.parse(current.get().content(), "not-well-formed");
    }

    private static Element single(List<Element> selected) throws XcapError {
        if (selected.size() != 1) {
            throw XcapError.notFound(selected.isEmpty() ? "No such element" : "The selector matches several elements");
        }
        return selected.getFirst();
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    static String escapeAttribute(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
    }

    private void notify(DocumentContext where, JdbiXcapStore.Change change) {
        for (ChangeListener listener : listeners) {
            try {
                listener.changed(where, change.oldEtag(), change.newEtag());
            } catch (RuntimeException e) {
                // A failing listener (e.g. an xcap-diff NOTIFY) must not undo or fail a committed write.
                LOG.warn("XCAP change listener failed for {}/{}", where.auid(), where.documentName(), e);
            }
        }
    }

    private static String contentEtag(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }

    @FunctionalInterface
    private interface ConflictingStep<T> {
        T get() throws XcapConflict;
    }

    private static <T> T conflictToError(ConflictingStep<T> step) throws XcapError {
        try {
            return step.get();
        } catch (XcapConflict e) {
            throw XcapError.conflict(e);
        }
    }
}
