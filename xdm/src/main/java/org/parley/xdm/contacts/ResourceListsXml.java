package org.parley.xdm.contacts;

import org.parley.xdm.DocumentContext;
import org.parley.xdm.oma.Dom;
import org.parley.xdm.oma.ParleyExtensions;
import org.parley.xml.XmlParser;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A user's contact lists: the top-level lists of their resource-lists document "index" (RFC 4826
 * §3). Edits touch only what they are about, so everything else an entry holds (other elements,
 * attributes, extensions a client put there) stays with it through renames and moves.
 */
final class ResourceListsXml {
    static final String AUID = "resource-lists";
    static final String DOCUMENT = "index";
    static final String NS = "urn:ietf:params:xml:ns:resource-lists";
    private static final String PX = ParleyExtensions.NS;
    private static final String PENDING = "pending";

    private ResourceListsXml() {
    }

    static DocumentContext of(String xui) {
        return new DocumentContext(AUID, false, xui, DOCUMENT);
    }

    static Document blank() {
        Document doc = XmlParser.newDocument();
        doc.appendChild(doc.createElementNS(NS, "resource-lists"));
        return doc;
    }

    static List<Element> lists(Document doc) {
        return Dom.children(doc.getDocumentElement(), NS, "list");
    }

    static Optional<Element> list(Document doc, String name) {
        return lists(doc).stream().filter(l -> name.equals(l.getAttribute("name"))).findFirst();
    }

    static Element addList(Document doc, String name, Optional<String> displayName) {
        Element list = Dom.append(doc.getDocumentElement(), NS, "list", null);
        list.setAttribute("name", name);
        displayName.ifPresent(d -> Dom.append(list, NS, "display-name", d));
        return list;
    }

    static List<Element> entries(Element list) {
        return Dom.children(list, NS, "entry");
    }

    static Optional<Element> entry(Element list, String uri) {
        return entries(list).stream().filter(e -> e.getAttribute("uri").equalsIgnoreCase(uri)).findFirst();
    }

    static Element addEntry(Element list, String uri, Optional<String> nickname) {
        Element entry = list.getOwnerDocument().createElementNS(NS, "entry");
        entry.setAttribute("uri", uri);
        nickname.ifPresent(n -> Dom.append(entry, NS, "display-name", n));
        list.appendChild(entry);
        return entry;
    }

    static Optional<String> nickname(Element entry) {
        return Dom.text(entry, NS, "display-name");
    }

    /** Changes the display-name's text only; its attributes (xml:lang) and the entry's other children stay. */
    static void setNickname(Element entry, String nickname) {
        Optional<Element> existing = Dom.child(entry, NS, "display-name");
        if (existing.isPresent()) {
            existing.get().setTextContent(nickname);
            return;
        }
        // RFC 4826 entryType: display-name comes first.
        Element name = entry.getOwnerDocument().createElementNS(NS, "display-name");
        name.setTextContent(nickname);
        entry.insertBefore(name, entry.getFirstChild());
    }

    /** Whether another entry of the list already has this nickname (compared case-insensitively). */
    static boolean nicknameTaken(Element list, String nickname, Element except) {
        String wanted = nickname.strip().toLowerCase(Locale.ROOT);
        return entries(list).stream().filter(e -> e != except)
                .anyMatch(e -> nickname(e).map(n -> n.toLowerCase(Locale.ROOT).equals(wanted)).orElse(false));
    }

    static boolean pending(Element entry) {
        return "true".equals(entry.getAttributeNS(PX, PENDING));
    }

    static void setPending(Element entry, boolean pending) {
        if (pending) {
            entry.setAttributeNS(PX, "px:" + PENDING, "true");
        } else {
            entry.removeAttributeNS(PX, PENDING);
        }
    }

    static ContactList view(Element list) {
        return new ContactList(list.getAttribute("name"), Dom.text(list, NS, "display-name"),
                entries(list).stream().map(ResourceListsXml::contact).toList());
    }

    static Contact contact(Element entry) {
        return new Contact(entry.getAttribute("uri"), nickname(entry), pending(entry));
    }
}
