package org.parley.xdm.xcap;

import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An XCAP node selector (RFC 4825 §6.3): element steps with name tests and position and attribute
 * predicates, optionally ending in an attribute selector or {@code namespace::*}. Prefixes are
 * resolved when parsing: unprefixed element names take the usage's default namespace, unprefixed
 * attribute names have no namespace (as in XML itself).
 *
 * @param steps    the element steps, first one matching the root element
 * @param terminal what the selector ends in after the element steps
 * @param text     the selector as given, for pointing at ancestors in error documents
 */
public record NodeSelector(List<Step> steps, Terminal terminal, String text) {
    public NodeSelector {
        steps = List.copyOf(steps);
    }

    /** A name test; a null namespace means "no namespace", a null local name means {@code *}. */
    public record Name(String namespace, String local) {
        boolean matches(Node node) {
            return (local == null || local.equals(node.getLocalName()))
                    && (local == null && namespace == null || Objects.equals(namespace, node.getNamespaceURI()));
        }
    }

    public sealed interface Predicate permits Position, AttributeEquals {
    }

    /** {@code [n]}: the n-th (1-based) of the candidates so far. */
    public record Position(int position) implements Predicate {
    }

    /** {@code [@name="value"]}. */
    public record AttributeEquals(Name attribute, String value) implements Predicate {
    }

    /** @param text the step as written, to rebuild the selector of an ancestor */
    public record Step(Name name, List<Predicate> predicates, String text) {
        public Step {
            predicates = List.copyOf(predicates);
        }

        /** Whether the element passes the name test and attribute predicates (position aside). */
        boolean matchesIgnoringPosition(Element element) {
            if (!name.matches(element)) {
                return false;
            }
            for (Predicate p : predicates) {
                if (p instanceof AttributeEquals a && !a.value().equals(attributeValue(element, a.attribute()))) {
                    return false;
                }
            }
            return true;
        }
    }

    public sealed interface Terminal permits ElementTerminal, AttributeTerminal, NamespaceTerminal {
    }

    /** The last step selects an element. */
    public record ElementTerminal() implements Terminal {
    }

    /** {@code .../@name}. */
    public record AttributeTerminal(Name attribute, String text) implements Terminal {
    }

    /** {@code .../namespace::*}: the namespace bindings in scope at the selected element. */
    public record NamespaceTerminal() implements Terminal {
    }

    /** A selector that does not follow the grammar or uses an unbound prefix (400). */
    public static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    public static NodeSelector parse(String text, String defaultNamespace, Map<String, String> prefixes)
            throws Malformed {
        List<String> parts = split(text);
        Terminal terminal = new ElementTerminal();
        String last = parts.getLast();
        if (last.equals("namespace::*")) {
            terminal = new NamespaceTerminal();
            parts.removeLast();
        } else if (last.startsWith("@")) {
            terminal = new AttributeTerminal(attributeName(last.substring(1), prefixes), last);
            parts.removeLast();
        }
        if (parts.isEmpty()) {
            throw new Malformed("A node selector needs at least one element step");
        }
        List<Step> steps = new ArrayList<>();
        for (String part : parts) {
            steps.add(step(part, defaultNamespace, prefixes));
        }
        return new NodeSelector(steps, terminal, text);
    }

    /** Splits at '/' outside brackets and quotes, since attribute values may contain '/'. */
    private static List<String> split(String text) throws Malformed {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == '/' && depth == 0) {
                parts.add(nonEmpty(current.toString()));
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        if (quote != 0 || depth != 0) {
            throw new Malformed("Unbalanced quotes or brackets in the node selector");
        }
        parts.add(nonEmpty(current.toString()));
        return parts;
    }

    private static String nonEmpty(String step) throws Malformed {
        if (step.isEmpty()) {
            throw new Malformed("Empty step in the node selector");
        }
        return step;
    }

    private static Step step(String text, String defaultNamespace, Map<String, String> prefixes) throws Malformed {
        int bracket = text.indexOf('[');
        String nameText = bracket < 0 ? text : text.substring(0, bracket);
        Name name = nameText.equals("*") ? new Name(null, null) : elementName(nameText, defaultNamespace, prefixes);
        List<Predicate> predicates = new ArrayList<>();
        int i = bracket < 0 ? text.length() : bracket;
        while (i < text.length()) {
            if (text.charAt(i) != '[') {
                throw new Malformed("Expected '[' in step " + text);
            }
            int close = closing(text, i);
            predicates.add(predicate(text.substring(i + 1, close), prefixes));
            i = close + 1;
        }
        return new Step(name, predicates, text);
    }

    private static int closing(String text, int open) throws Malformed {
        char quote = 0;
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == ']') {
                return i;
            }
        }
        throw new Malformed("Unclosed predicate in " + text);
    }

    private static Predicate predicate(String body, Map<String, String> prefixes) throws Malformed {
        if (body.matches("[0-9]+")) {
            // the grammar allows any digits (RFC 4825 §6.3); 0 or a position past any list selects nothing (404)
            String digits = body.replaceFirst("^0+(?=.)", "");
            return new Position(digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits));
        }
        int eq = body.indexOf('=');
        if (!body.startsWith("@") || eq < 0) {
            throw new Malformed("A predicate is [n] or [@attr=\"value\"]: " + body);
        }
        String value = body.substring(eq + 1).strip();
        if (value.length() < 2 || value.charAt(0) != value.charAt(value.length() - 1)
                || (value.charAt(0) != '"' && value.charAt(0) != '\'')) {
            throw new Malformed("An attribute value must be quoted: " + body);
        }
        return new AttributeEquals(attributeName(body.substring(1, eq).strip(), prefixes),
                value.substring(1, value.length() - 1));
    }

    private static Name elementName(String qname, String defaultNamespace, Map<String, String> prefixes)
            throws Malformed {
        int colon = qname.indexOf(':');
        return colon < 0 ? new Name(defaultNamespace, ncName(qname))
                : new Name(bound(qname.substring(0, colon), prefixes), ncName(qname.substring(colon + 1)));
    }

    private static Name attributeName(String qname, Map<String, String> prefixes) throws Malformed {
        int colon = qname.indexOf(':');
        return colon < 0 ? new Name(null, ncName(qname))
                : new Name(bound(qname.substring(0, colon), prefixes), ncName(qname.substring(colon + 1)));
    }

    private static String bound(String prefix, Map<String, String> prefixes) throws Malformed {
        String namespace = prefixes.get(prefix);
        if (namespace == null) {
            throw new Malformed("Prefix '" + prefix + "' is not bound by an xmlns() in the query");
        }
        return namespace;
    }

    private static String ncName(String name) throws Malformed {
        // Deliberately loose (no Unicode name classes), but it must not smuggle syntax characters.
        if (name.isEmpty() || !name.matches("[^\\s:/\\[\\]@=\"'*()]+")) {
            throw new Malformed("Not an XML name: '" + name + "'");
        }
        return name;
    }

    /** The elements the element steps select (RFC 4825 §6.3: one to be usable, several is 404). */
    public List<Element> select(Document document) {
        return select(document, steps.size());
    }

    /** The elements the first {@code count} steps select. */
    public List<Element> select(Document document, int count) {
        List<Element> current = new ArrayList<>();
        Element root = document.getDocumentElement();
        if (root == null || count == 0) {
            return current;
        }
        current = apply(steps.getFirst(), List.of(root));
        for (int i = 1; i < count && !current.isEmpty(); i++) {
            List<Element> next = new ArrayList<>();
            for (Element parent : current) {
                next.addAll(apply(steps.get(i), children(parent)));
            }
            current = next;
        }
        return current;
    }

    /** The siblings the step selects, as if they were the children its parent step selected. */
    public static List<Element> apply(Step step, List<Element> siblings) {
        List<Element> candidates = new ArrayList<>();
        for (Element e : siblings) {
            if (step.name().matches(e)) {
                candidates.add(e);
            }
        }
        for (Predicate p : step.predicates()) {
            candidates = switch (p) {
                case Position pos -> pos.position() >= 1 && pos.position() <= candidates.size()
                        ? List.of(candidates.get(pos.position() - 1)) : List.of();
                case AttributeEquals a -> candidates.stream()
                        .filter(e -> a.value().equals(attributeValue(e, a.attribute()))).toList();
            };
        }
        return candidates;
    }

    static List<Element> children(Element parent) {
        List<Element> children = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                children.add(e);
            }
        }
        return children;
    }

    static String attributeValue(Element element, Name attribute) {
        Attr attr = element.getAttributeNodeNS(attribute.namespace(), attribute.local());
        return attr == null ? null : attr.getValue();
    }

    /** The selector text of the first {@code count} steps (for the no-parent ancestor). */
    public String prefixText(int count) {
        return String.join("/", steps.subList(0, count).stream().map(Step::text).toList());
    }

    public Step lastStep() {
        return steps.getLast();
    }
}
