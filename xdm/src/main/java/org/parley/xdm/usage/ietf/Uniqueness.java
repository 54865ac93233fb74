package org.parley.xdm.usage.ietf;

import org.parley.xdm.XcapConflict;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** The uniqueness constraints of the IETF usages: reported as uniqueness-failure with the field and a free alternative. */
final class Uniqueness {
    private Uniqueness() {
    }

    /**
     * Checks that among the element children of {@code parent} named {@code local} in {@code namespace},
     * the attribute {@code attribute} takes each value once.
     *
     * @param parentSelector the node selector of the parent, to name the clashing field
     */
    static void children(Element parent, String namespace, String local, String attribute, String parentSelector)
            throws XcapConflict {
        Set<String> seen = new HashSet<>();
        for (Element child : children(parent, namespace, local)) {
            String value = child.getAttribute(attribute);
            if (!child.hasAttribute(attribute)) {
                continue;
            }
            if (!seen.add(value)) {
                throw failure(parentSelector + "/" + local + "[@" + attribute + "=\"" + value + "\"]/@" + attribute,
                        value, seen);
            }
        }
    }

    static XcapConflict failure(String field, String value, Set<String> taken) {
        return failure(field, value, taken::contains);
    }

    static XcapConflict failure(String field, String value, Predicate<String> taken) {
        return new XcapConflict("uniqueness-failure", "'" + value + "' is already used", field,
                List.of(alternative(value, taken)));
    }

    /** The value with the first free numeric suffix (before the '@' of a URI, so it stays one). */
    private static String alternative(String value, Predicate<String> taken) {
        int at = value.indexOf('@');
        String head = at < 0 ? value : value.substring(0, at);
        String tail = at < 0 ? "" : value.substring(at);
        for (int i = 1; ; i++) {
            String candidate = head + "-" + i + tail;
            if (!taken.test(candidate)) {
                return candidate;
            }
        }
    }

    static List<Element> children(Element parent, String namespace, String local) {
        List<Element> children = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && namespace.equals(e.getNamespaceURI()) && local.equals(e.getLocalName())) {
                children.add(e);
            }
        }
        return children;
    }
}
