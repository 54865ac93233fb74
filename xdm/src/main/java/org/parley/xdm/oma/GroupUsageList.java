package org.parley.xdm.oma;

import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.parley.xml.XmlParser;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.List;
import java.util.Optional;

/**
 * Keeps a user's group usage list ("index" document, list {@value #LIST}) in step with the groups
 * they own, so that every device of theirs learns of a new or vanished group through the usual
 * XCAP change notification (UC 5.12 steps 3 and 8).
 */
public final class GroupUsageList {
    public static final String DOCUMENT = "index";
    public static final String LIST = "oma_grouplist";
    private static final String NS = GroupUsageListUsage.NS;

    private final DocumentUpdates updates;

    public GroupUsageList(DocumentUpdates updates) {
        this.updates = updates;
    }

    public static DocumentContext of(String xui) {
        return new DocumentContext(GroupUsageListUsage.AUID, false, xui, DOCUMENT);
    }

    public void add(String ownerXui, String groupUri, Optional<String> displayName) throws XcapConflict {
        updates.update(of(ownerXui), GroupUsageList::blank, doc -> {
            Element list = list(doc);
            if (entries(list).stream().noneMatch(e -> e.getAttribute("uri").equalsIgnoreCase(groupUri))) {
                Element entry = Dom.append(list, NS, "entry", null);
                entry.setAttribute("uri", groupUri);
                displayName.ifPresent(name -> Dom.append(entry, NS, "display-name", name));
            }
            return null;
        });
    }

    public void remove(String ownerXui, String groupUri) throws XcapConflict {
        if (updates.read(of(ownerXui)).isEmpty()) {
            return;
        }
        updates.update(of(ownerXui), GroupUsageList::blank, doc -> {
            for (Element entry : entries(list(doc))) {
                if (entry.getAttribute("uri").equalsIgnoreCase(groupUri)) {
                    entry.getParentNode().removeChild(entry);
                }
            }
            return null;
        });
    }

    /** The group URIs in the user's list. */
    public List<String> groups(String ownerXui) {
        return updates.read(of(ownerXui)).map(doc -> entries(list(doc)).stream()
                .map(e -> e.getAttribute("uri")).toList()).orElse(List.of());
    }

    private static List<Element> entries(Element list) {
        return Dom.children(list, NS, "entry");
    }

    private static Element list(Document doc) {
        Element root = doc.getDocumentElement();
        return Dom.children(root, NS, "list").stream().filter(l -> LIST.equals(l.getAttribute("name"))).findFirst()
                .orElseGet(() -> {
                    Element list = Dom.append(root, NS, "list", null);
                    list.setAttribute("name", LIST);
                    return list;
                });
    }

    private static Document blank() {
        Document doc = XmlParser.newDocument();
        doc.appendChild(doc.createElementNS(NS, "resource-lists"));
        return doc;
    }
}
