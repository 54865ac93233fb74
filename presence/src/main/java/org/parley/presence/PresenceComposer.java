package org.parley.presence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.registrar.Binding;
import org.parley.xdm.oma.Dom;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Composes the one view of a presentity (RFC 4479 data model, simplified) from every live
 * publication, one per device, and from what the network knows: each registered device is an
 * open tuple, no registration at all a closed one. Tuples and devices are keyed by id and the
 * most recently changed publication wins; the person is one, its attributes taken from the most
 * recent publication that has them; notes are collected from all.
 *
 * <p>What the user published wins over what the network knows: when the published tuples say
 * {@code closed} and none says {@code open}, the user chose to appear offline (PP-4, OMA Presence SIMPLE: published state
 * takes precedence over network-provided state), so no open network tuple is added that would
 * contradict it — watchers see closed only, whichever tuple their client reads.
 */
final class PresenceComposer {
    static final String OFFLINE_TUPLE = "parley-reg";

    private PresenceComposer() {
    }

    /**
     * @param publications oldest change first, as {@link Publications#current} gives them; each one's
     *                     elements are copied into the new document while its monitor is held (see
     *                     {@link Publication#pidf}), and one that a later publication overrides is
     *                     simply not appended
     */
    static Document compose(String aor, List<Publication> publications, List<Binding> bindings) {
        Document doc = Pidf.empty(aor);
        Map<String, Element> tuples = new LinkedHashMap<>();
        Map<String, Element> devices = new LinkedHashMap<>();
        Map<String, Element> personAttributes = new LinkedHashMap<>();
        Map<String, Element> notes = new LinkedHashMap<>();
        Map<String, Element> personNotes = new LinkedHashMap<>();
        Map<String, Element> extensions = new LinkedHashMap<>();
        String personId = null;
        for (Publication p : publications) {
            Element published = p.pidf();
            synchronized (published) {
                for (Element e : elements(published)) {
                    String ns = String.valueOf(e.getNamespaceURI());
                    switch (ns + " " + e.getLocalName()) {
                        case Pidf.NS + " tuple" -> tuples.put(e.getAttribute("id"), copy(doc, e));
                        case Pidf.NS + " note" -> notes.put(noteKey(e), copy(doc, e));
                        case Pidf.DM + " device" -> devices.put(e.getAttribute("id"), copy(doc, e));
                        case Pidf.DM + " person" -> {
                            personId = personId != null ? personId : e.getAttribute("id");
                            for (Element attribute : elements(e)) {
                                if (Pidf.DM.equals(attribute.getNamespaceURI()) && "note".equals(attribute.getLocalName())) {
                                    personNotes.put(noteKey(attribute), copy(doc, attribute));
                                } else {
                                    personAttributes.put(key(attribute), copy(doc, attribute));
                                }
                            }
                        }
                        default -> extensions.put(key(e), copy(doc, e));
                    }
                }
            }
        }
        Element root = doc.getDocumentElement();
        tuples.values().forEach(root::appendChild);
        List<String> published = tuples.values().stream().map(PresenceComposer::basic).toList();
        boolean appearOffline = published.contains("closed") && !published.contains("open");
        if (!appearOffline) {
            networkTuples(doc, aor, bindings);
        }
        notes.values().forEach(root::appendChild);
        if (personId != null) {
            Element person = Dom.append(root, Pidf.DM, "dm:person", null);
            person.setAttribute("id", personId.isBlank() ? "p" : personId);
            personAttributes.values().forEach(person::appendChild);
            personNotes.values().forEach(person::appendChild);
        }
        devices.values().forEach(root::appendChild);
        extensions.values().forEach(root::appendChild);
        return doc;
    }

    private static Element copy(Document doc, Element published) {
        return (Element) doc.importNode(published, true);
    }

    /**
     * Network-provided presence: a registered device is reachable, so open. The contact is the
     * AOR, never the registered contact: that would hand every watcher the device's address.
     */
    private static void networkTuples(Document doc, String aor, List<Binding> bindings) {
        if (bindings.isEmpty()) {
            Pidf.basicTuple(doc, OFFLINE_TUPLE, false, aor);
            return;
        }
        for (Binding b : bindings) {
            Element tuple = Pidf.basicTuple(doc, OFFLINE_TUPLE + "-" + shortHash(b.key()), true, aor);
            b.instance().ifPresent(instance -> Dom.append(tuple, Pidf.DM, "dm:deviceID", instance));
        }
    }

    /** A tuple's status/basic (RFC 3863 §4.1.4: open or closed); empty when it has none. */
    private static String basic(Element tuple) {
        for (Element status : elements(tuple)) {
            if (Pidf.NS.equals(status.getNamespaceURI()) && "status".equals(status.getLocalName())) {
                for (Element basic : elements(status)) {
                    if (Pidf.NS.equals(basic.getNamespaceURI()) && "basic".equals(basic.getLocalName())) {
                        return basic.getTextContent().strip();
                    }
                }
            }
        }
        return "";
    }

    static List<Element> elements(Element parent) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                found.add(e);
            }
        }
        return found;
    }

    private static String key(Element e) {
        return e.getNamespaceURI() + " " + e.getLocalName();
    }

    /** Two devices saying the same thing in the same language say it once. */
    private static String noteKey(Element note) {
        return note.getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang") + "\n" + note.getTextContent().strip();
    }

    /** Tuple ids are xs:ID and must not reveal the binding; a hash is both stable and opaque. */
    private static String shortHash(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
