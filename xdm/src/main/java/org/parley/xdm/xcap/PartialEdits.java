package org.parley.xdm.xcap;

import org.parley.xdm.XcapConflict;
import org.parley.xml.XmlWriter;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.Text;

import javax.xml.XMLConstants;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Element and attribute PUT and DELETE on a parsed document (RFC 4825 §8.2.3, §8.2.4, §8.3). */
final class PartialEdits {
    private static final Pattern XML_DECLARATION = Pattern.compile("^\\s*<\\?xml[^>]*\\?>");
    private static final String WRAPPER = "xcap-fragment-wrapper";

    private PartialEdits() {
    }

    /**
     * Replaces the selected element or inserts a new one, then checks RFC 4825 §8.2.5: the same
     * selector must now select exactly the element that was put, else cannot-insert.
     *
     * @return whether the element is new (201) rather than a replacement (200)
     */
    static boolean putElement(Document doc, NodeSelector selector, String body, XcapUri uri) throws XcapConflict {
        int parentSteps = selector.steps().size() - 1;
        Node parent = parentSteps == 0 ? doc : unique(doc, selector, parentSteps, uri);
        Element element = (Element) doc.importNode(fragment(body, parent), true);
        List<Element> siblings = parent instanceof Element e ? NodeSelector.children(e)
                : List.of(doc.getDocumentElement());
        List<Element> matches = NodeSelector.apply(selector.lastStep(), siblings);
        if (matches.size() > 1) {
            throw new XcapConflict("cannot-insert", "The selector matches several elements");
        }
        if (matches.size() == 1) {
            parent.replaceChild(element, matches.getFirst());
        } else if (parent instanceof Document) {
            throw new XcapConflict("cannot-insert", "A document has exactly one root element");
        } else {
            insert((Element) parent, element, selector.lastStep(), siblings);
        }
        List<Element> after = selector.select(doc);
        if (after.size() != 1 || after.getFirst() != element) {
            throw new XcapConflict("cannot-insert",
                    "After the PUT the node selector would not select the element that was put");
        }
        return matches.isEmpty();
    }

    /**
     * A new element goes where the selector will find it: at its position among the siblings
     * its name test matches when the step has a position predicate, else after the last of
     * them (RFC 4825 §8.2.3's example), or after the last element when it is the first of its name.
     */
    private static void insert(Element parent, Element element, NodeSelector.Step step, List<Element> siblings) {
        int position = step.predicates().stream()
                .filter(p -> p instanceof NodeSelector.Position)
                .mapToInt(p -> ((NodeSelector.Position) p).position())
                .findFirst().orElse(0);
        List<Element> named = siblings.stream().filter(s -> step.name().matches(s)).toList();
        if (position > 0 && position <= named.size()) {
            parent.insertBefore(element, named.get(position - 1));
        } else if (!named.isEmpty()) {
            parent.insertBefore(element, named.getLast().getNextSibling());
        } else if (!siblings.isEmpty()) {
            parent.insertBefore(element, siblings.getLast().getNextSibling());
        } else {
            parent.appendChild(element);
        }
    }

    /** @return whether the attribute is new (201) rather than a replacement (200) */
    static boolean putAttribute(Document doc, NodeSelector selector, NodeSelector.AttributeTerminal attribute,
                                String body, XcapUri uri) throws XcapConflict {
        Element element = unique(doc, selector, selector.steps().size(), uri);
        String value = attributeValue(body);
        NodeSelector.Name name = attribute.attribute();
        boolean created = NodeSelector.attributeValue(element, name) == null;
        if (name.namespace() == null) {
            element.setAttributeNS(null, name.local(), value);
        } else {
            String prefix = element.lookupPrefix(name.namespace());
            if (prefix == null) {
                prefix = "xcapns";
                element.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:" + prefix, name.namespace());
            }
            element.setAttributeNS(name.namespace(), prefix + ":" + name.local(), value);
        }
        return created;
    }

    static void delete(Document doc, NodeSelector selector) throws XcapConflict, XcapError {
        List<Element> selected = selector.select(doc);
        if (selected.size() != 1) {
            throw XcapError.notFound("No such node");
        }
        Element element = selected.getFirst();
        if (selector.terminal() instanceof NodeSelector.AttributeTerminal a) {
            Attr attr = element.getAttributeNodeNS(a.attribute().namespace(), a.attribute().local());
            if (attr == null) {
                throw XcapError.notFound("No such node");
            }
            element.removeAttributeNode(attr);
            return;
        }
        if (element == doc.getDocumentElement()) {
            throw new XcapConflict("cannot-delete", "The root element cannot be deleted; delete the document");
        }
        // The indentation before the element goes with it, so the rest of the layout stays as written.
        if (element.getPreviousSibling() instanceof Text t && t.getData().isBlank()) {
            t.getParentNode().removeChild(t);
        }
        element.getParentNode().removeChild(element);
        // RFC 4825 §8.3.2: afterwards the URI must select nothing, else (e.g. entry[1]) cannot-delete.
        if (!selector.select(doc).isEmpty()) {
            throw new XcapConflict("cannot-delete", "After the DELETE the node selector would select another element");
        }
    }

    /** The one element the first {@code count} steps select, or no-parent naming the closest existing ancestor. */
    private static Element unique(Document doc, NodeSelector selector, int count, XcapUri uri) throws XcapConflict {
        List<Element> selected = selector.select(doc, count);
        if (selected.size() == 1) {
            return selected.getFirst();
        }
        int existing = count - 1;
        while (existing > 0 && selector.select(doc, existing).size() != 1) {
            existing--;
        }
        String ancestor = existing == 0 ? uri.documentUri()
                : uri.documentUri() + "/~~/" + selector.prefixText(existing);
        throw new XcapConflict("no-parent", "The parent of the node does not exist", ancestor, List.of());
    }

    /**
     * Parses the body as one element in the namespace context of where it goes (RFC 4825 §8.2.3:
     * unprefixed names in the body mean what they mean at the parent), by wrapping it in an
     * element that declares the parent's in-scope namespaces.
     */
    private static Element fragment(String body, Node parent) throws XcapConflict {
        StringBuilder wrapper = new StringBuilder("<" + WRAPPER);
        for (Map.Entry<String, String> ns : inScope(parent).entrySet()) {
            wrapper.append(' ').append(ns.getKey().isEmpty() ? "xmlns" : "xmlns:" + ns.getKey())
                    .append("=\"").append(XmlWriter.escape(ns.getValue())).append('"');
        }
        wrapper.append('>').append(XML_DECLARATION.matcher(body).replaceFirst("")).append("</" + WRAPPER + ">");
        Element root = Xml.parse(wrapper.toString(), "not-xml-frag").getDocumentElement();
        Element only = null;
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && only == null) {
                only = e;
            } else if (n instanceof Element || n instanceof Text t && !t.getData().isBlank()
                    || n.getNodeType() == Node.PROCESSING_INSTRUCTION_NODE) {
                only = null;
                break;
            }
        }
        if (only == null) {
            throw new XcapConflict("not-xml-frag", "The body must be exactly one XML element");
        }
        return only;
    }

    static Map<String, String> inScope(Node node) {
        Map<String, String> bindings = new LinkedHashMap<>();
        for (Node n = node; n instanceof Element e; n = n.getParentNode()) {
            NamedNodeMap attributes = e.getAttributes();
            for (int i = 0; i < attributes.getLength(); i++) {
                Attr a = (Attr) attributes.item(i);
                if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI())) {
                    String prefix = a.getPrefix() == null ? "" : a.getLocalName();
                    bindings.putIfAbsent(prefix, a.getValue());
                }
            }
        }
        return bindings;
    }

    /** The body of an attribute PUT is the value as it would appear between quotes in the document. */
    private static String attributeValue(String body) throws XcapConflict {
        char quote = body.indexOf('"') < 0 ? '"' : '\'';
        if (body.indexOf(quote) >= 0) {
            throw new XcapConflict("not-xml-att-value", "The value contains both kinds of quote");
        }
        try {
            return Xml.parse("<a v=" + quote + body + quote + "/>", "not-xml-att-value")
                    .getDocumentElement().getAttribute("v");
        } catch (XcapConflict e) {
            throw new XcapConflict("not-xml-att-value", "Not a valid XML attribute value");
        }
    }
}
