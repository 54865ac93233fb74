package org.parley.presence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Collections;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import javax.xml.xpath.XPathFactoryConfigurationException;
import org.parley.xdm.oma.Dom;
import org.parley.xml.XmlException;
import org.parley.xml.XmlParser;
import org.parley.xml.XmlWriter;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * An event notification filter (RFC 4660, format RFC 4661) as a watcher puts it in its
 * SUBSCRIBE (IWF-4): {@code <what>} says which parts of the presence document it wants
 * ({@code <include>}/{@code <exclude>}, by XPath or by namespace), {@code <trigger>} when it wants
 * a NOTIFY at all ({@code <changed>} with optional from/to/by, {@code <added>}, {@code <removed>}).
 * The filter applies to what the presentity's rules let the watcher see, never to more.
 * Several filters in one filter-set add up; one disabled or marked remove counts for nothing.
 */
final class EventFilter {
    static final String CONTENT_TYPE = "application/simple-filter+xml";
    static final String NS = "urn:ietf:params:xml:ns:simple-filter";

    /** A filter document that cannot be used; the message becomes the 488's reason phrase. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private enum Kind { CHANGED, ADDED, REMOVED }

    private record Condition(Kind kind, XPathExpression path, String from, String to, Double by) {
    }

    private final List<XPathExpression> includes;
    private final List<String> includedNamespaces;
    private final List<XPathExpression> excludes;
    private final List<String> excludedNamespaces;
    /** Any trigger may fire; all conditions of one trigger must hold. */
    private final List<List<Condition>> triggers;

    private EventFilter(List<XPathExpression> includes, List<String> includedNamespaces, List<XPathExpression> excludes,
                        List<String> excludedNamespaces, List<List<Condition>> triggers) {
        this.includes = includes;
        this.includedNamespaces = includedNamespaces;
        this.excludes = excludes;
        this.excludedNamespaces = excludedNamespaces;
        this.triggers = triggers;
    }

    static EventFilter parse(byte[] body) throws Invalid {
        Document doc;
        try {
            doc = XmlParser.parse(body);
        } catch (XmlException e) {
            throw new Invalid("Filter is not well-formed XML");
        }
        Element root = doc.getDocumentElement();
        if (!NS.equals(root.getNamespaceURI()) || !"filter-set".equals(root.getLocalName())) {
            throw new Invalid("Filter document is not a filter-set");
        }
        Map<String, String> bindings = new HashMap<>();
        for (Element group : Dom.children(root, NS, "ns-bindings")) {
            for (Element b : Dom.children(group, NS, "ns-binding")) {
                if (b.getAttribute("prefix").isBlank() || b.getAttribute("urn").isBlank()) {
                    throw new Invalid("ns-binding without prefix or urn");
                }
                bindings.put(b.getAttribute("prefix"), b.getAttribute("urn"));
            }
        }
        XPath xpath = xpath(bindings);
        List<XPathExpression> includes = new ArrayList<>();
        List<String> includedNs = new ArrayList<>();
        List<XPathExpression> excludes = new ArrayList<>();
        List<String> excludedNs = new ArrayList<>();
        List<List<Condition>> triggers = new ArrayList<>();
        List<Element> filters = Dom.children(root, NS, "filter");
        if (filters.isEmpty()) {
            throw new Invalid("filter-set without a filter");
        }
        for (Element f : filters) {
            if ("false".equals(f.getAttribute("enabled")) || "true".equals(f.getAttribute("remove"))) {
                continue;
            }
            for (Element what : Dom.children(f, NS, "what")) {
                selections(what, "include", xpath, includes, includedNs);
                selections(what, "exclude", xpath, excludes, excludedNs);
            }
            for (Element t : Dom.children(f, NS, "trigger")) {
                List<Condition> conditions = new ArrayList<>();
                for (Element c : PresenceComposer.elements(t)) {
                    Kind kind = switch (String.valueOf(c.getNamespaceURI()) + " " + c.getLocalName()) {
                        case NS + " changed" -> Kind.CHANGED;
                        case NS + " added" -> Kind.ADDED;
                        case NS + " removed" -> Kind.REMOVED;
                        default -> throw new Invalid("Unknown trigger " + c.getLocalName());
                    };
                    conditions.add(new Condition(kind, compile(xpath, c.getTextContent()), attribute(c, "from"),
                            attribute(c, "to"), by(c)));
                }
                if (!conditions.isEmpty()) {
                    triggers.add(conditions);
                }
            }
        }
        return new EventFilter(includes, includedNs, excludes, excludedNs, triggers);
    }

    private static void selections(Element what, String name, XPath xpath, List<XPathExpression> paths,
                                   List<String> namespaces) throws Invalid {
        for (Element e : Dom.children(what, NS, name)) {
            String type = e.getAttribute("type").isBlank() ? "xpath" : e.getAttribute("type");
            switch (type) {
                case "xpath" -> paths.add(compile(xpath, e.getTextContent()));
                case "namespace" -> namespaces.add(e.getTextContent().strip());
                default -> throw new Invalid("Unknown " + name + " type " + type);
            }
        }
    }

    /**
     * What of {@code allowed} (the document the rules let this watcher see) the filter keeps: the
     * included nodes with their ancestors, minus the excluded. A tuple keeps its status, which
     * PIDF requires, even when it selects nothing inside it.
     */
    byte[] select(byte[] allowed) {
        if (includes.isEmpty() && includedNamespaces.isEmpty() && excludes.isEmpty() && excludedNamespaces.isEmpty()) {
            return allowed;
        }
        Document doc = parsed(allowed);
        Element root = doc.getDocumentElement();
        if (!includes.isEmpty() || !includedNamespaces.isEmpty()) {
            Set<Node> selected = Collections.newSetFromMap(new IdentityHashMap<>());
            includes.forEach(p -> selected.addAll(evaluate(p, doc)));
            includedNamespaces.forEach(ns -> selected.addAll(inNamespace(root, ns)));
            Set<Node> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Node n : selected) {
                for (Node up = owner(n); up != null && up != doc; up = up.getParentNode()) {
                    onPath.add(up);
                }
            }
            if (!selected.contains(root)) {
                prune(root, selected, onPath);
            }
        }
        List<Node> excluded = new ArrayList<>();
        excludes.forEach(p -> excluded.addAll(evaluate(p, doc)));
        excludedNamespaces.forEach(ns -> excluded.addAll(inNamespace(root, ns)));
        for (Node n : excluded) {
            if (n instanceof Attr a && a.getOwnerElement() != null) {
                a.getOwnerElement().removeAttributeNode(a);
            } else if (n != root && n.getParentNode() != null) {
                n.getParentNode().removeChild(n);
            }
        }
        for (Element tuple : Dom.children(root, Pidf.NS, "tuple")) {
            if (Dom.child(tuple, Pidf.NS, "status").isEmpty()) {
                tuple.insertBefore(doc.createElementNS(Pidf.NS, "status"), tuple.getFirstChild());
            }
        }
        return XmlWriter.document(doc);
    }

    /**
     * Whether a change from {@code before} to {@code after} (both as the rules let the watcher
     * see them) is one the watcher asked to hear of. Without triggers, any change is.
     */
    boolean triggered(byte[] before, byte[] after) {
        if (triggers.isEmpty()) {
            return true;
        }
        Document old = parsed(before);
        Document now = parsed(after);
        for (List<Condition> trigger : triggers) {
            boolean all = true;
            for (Condition c : trigger) {
                all &= holds(c, values(c.path(), old), values(c.path(), now));
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static boolean holds(Condition c, Map<String, String> before, Map<String, String> after) {
        return switch (c.kind()) {
            case ADDED -> after.keySet().stream().anyMatch(k -> !before.containsKey(k));
            case REMOVED -> before.keySet().stream().anyMatch(k -> !after.containsKey(k));
            case CHANGED -> after.entrySet().stream().anyMatch(e -> {
                String was = before.get(e.getKey());
                String is = e.getValue();
                return was != null && !was.equals(is) && (c.from() == null || c.from().equals(was))
                        && (c.to() == null || c.to().equals(is)) && (c.by() == null || changedBy(was, is, c.by()));
            });
        };
    }

    private static boolean changedBy(String was, String is, double by) {
        try {
            return Math.abs(Double.parseDouble(is.strip()) - Double.parseDouble(was.strip())) >= Math.abs(by);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The nodes a path selects, each keyed by where it is (element names with their ids), with its value. */
    private static Map<String, String> values(XPathExpression path, Document doc) {
        Map<String, String> found = new LinkedHashMap<>();
        for (Node n : evaluate(path, doc)) {
            found.put(place(n), n.getTextContent() == null ? "" : n.getTextContent().strip());
        }
        return found;
    }

    private static String place(Node n) {
        StringBuilder sb = new StringBuilder();
        for (Node up = n; up != null && up.getNodeType() != Node.DOCUMENT_NODE;
             up = up instanceof Attr a ? a.getOwnerElement() : up.getParentNode()) {
            String step = up.getNamespaceURI() + ":" + up.getLocalName();
            if (up instanceof Element e && e.hasAttribute("id")) {
                step += "[" + e.getAttribute("id") + "]";
            } else if (up instanceof Element e) {
                int position = 1;
                for (Node s = e.getPreviousSibling(); s != null; s = s.getPreviousSibling()) {
                    position += s instanceof Element o && Objects.equals(o.getLocalName(), e.getLocalName()) ? 1 : 0;
                }
                step += "[" + position + "]";
            }
            sb.insert(0, "/" + step);
        }
        return sb.toString();
    }

    private static void prune(Element e, Set<Node> selected, Set<Node> onPath) {
        for (Iterator<Node> it = childList(e).iterator(); it.hasNext(); ) {
            Node child = it.next();
            if (selected.contains(child)) {
                continue;
            }
            if (onPath.contains(child) && child instanceof Element c) {
                prune(c, selected, onPath);
            } else {
                e.removeChild(child);
            }
        }
    }

    private static List<Node> childList(Element e) {
        List<Node> all = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            all.add(n);
        }
        return all;
    }

    /** What keeping a node means for its ancestors: an attribute or text keeps its element. */
    private static Node owner(Node n) {
        return n instanceof Attr a ? a.getOwnerElement() : n;
    }

    private static List<Node> inNamespace(Element root, String ns) {
        List<Node> found = new ArrayList<>();
        NodeList all = root.getElementsByTagNameNS(ns, "*");
        for (int i = 0; i < all.getLength(); i++) {
            found.add(all.item(i));
        }
        return found;
    }

    private static List<Node> evaluate(XPathExpression path, Document doc) {
        try {
            NodeList nodes = (NodeList) path.evaluate(doc, XPathConstants.NODESET);
            List<Node> found = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                Node n = nodes.item(i);
                // a text node stands for its element: keeping it keeps the element whole
                found.add(n.getNodeType() == Node.TEXT_NODE ? n.getParentNode() : n);
            }
            return found;
        } catch (XPathExpressionException e) {
            return List.of(); // a path that selects something other than nodes selects no node
        }
    }

    private static Document parsed(byte[] xml) {
        try {
            return XmlParser.parse(xml);
        } catch (XmlException e) {
            throw new IllegalStateException("The server's own presence document does not parse", e);
        }
    }

    private static String attribute(Element e, String name) {
        return e.hasAttribute(name) ? e.getAttribute(name) : null;
    }

    private static Double by(Element c) throws Invalid {
        if (!c.hasAttribute("by")) {
            return null;
        }
        try {
            return Double.valueOf(c.getAttribute("by"));
        } catch (NumberFormatException e) {
            throw new Invalid("Trigger 'by' is not a number");
        }
    }

    private static XPathExpression compile(XPath xpath, String expression) throws Invalid {
        if (expression.isBlank()) {
            throw new Invalid("Empty filter expression");
        }
        try {
            return xpath.compile(expression.strip());
        } catch (XPathExpressionException e) {
            throw new Invalid("Filter expression is not XPath: " + expression.strip());
        }
    }

    /** XPath over the watcher's own namespace bindings; secure processing keeps extension functions out. */
    private static XPath xpath(Map<String, String> bindings) {
        XPathFactory factory = XPathFactory.newInstance();
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (XPathFactoryConfigurationException e) {
            throw new IllegalStateException(e);
        }
        XPath xpath = factory.newXPath();
        xpath.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return bindings.getOrDefault(prefix, XMLConstants.NULL_NS_URI);
            }

            @Override
            public String getPrefix(String namespaceURI) {
                return null;
            }

            @Override
            public Iterator<String> getPrefixes(String namespaceURI) {
                return Collections.emptyIterator();
            }
        });
        return xpath;
    }
}
