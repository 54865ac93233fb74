package org.parley.xdm.oma;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The few DOM walks the usages and services need, by namespace and local name. */
public final class Dom {
    private Dom() {
    }

    public static List<Element> children(Element parent, String namespace, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && namespace.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName())) {
                found.add(e);
            }
        }
        return found;
    }

    public static Optional<Element> child(Element parent, String namespace, String localName) {
        return children(parent, namespace, localName).stream().findFirst();
    }

    /** The trimmed text of the first such child, if there is one with any text. */
    public static Optional<String> text(Element parent, String namespace, String localName) {
        return child(parent, namespace, localName).map(e -> e.getTextContent().strip()).filter(s -> !s.isEmpty());
    }

    /** Appends a child element with text, in the parent's document. */
    public static Element append(Element parent, String namespace, String qualifiedName, String text) {
        Element e = parent.getOwnerDocument().createElementNS(namespace, qualifiedName);
        if (text != null) {
            e.setTextContent(text);
        }
        parent.appendChild(e);
        return e;
    }
}
