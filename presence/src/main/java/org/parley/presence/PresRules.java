package org.parley.presence;

import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.parley.xdm.oma.Dom;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Evaluates a presentity's pres-rules document (RFC 5025 over common-policy, RFC 4745) for one
 * watcher. Conditions understood: identity with one, many (optionally in a domain) and except;
 * a rule without conditions applies to everyone. Any other condition (sphere, validity, unknown
 * extensions) evaluates to false, as RFC 4745 §7 says of conditions a server does not support,
 * so such a rule never grants anything by mistake.
 */
final class PresRules {
    static final String AUID = "pres-rules";
    static final String DOCUMENT = "index";
    static final String CP = "urn:ietf:params:xml:ns:common-policy";
    static final String PR = "urn:ietf:params:xml:ns:pres-rules";

    private final Function<String, Optional<String>> canonical;

    /** @param canonical maps an identity written in a rule (an alias, a tel URI) to the canonical AOR, when local */
    PresRules(Function<String, Optional<String>> canonical) {
        this.canonical = canonical;
    }

    Authorisation evaluate(Document rules, String watcherAor) {
        SubHandling handling = null;
        Transformations seen = Transformations.NOTHING;
        for (Element rule : Dom.children(rules.getDocumentElement(), CP, "rule")) {
            if (!matches(rule, watcherAor)) {
                continue;
            }
            Optional<SubHandling> h = Dom.child(rule, CP, "actions").flatMap(a -> Dom.text(a, PR, "sub-handling"))
                    .flatMap(SubHandling::parse);
            if (h.isPresent()) {
                handling = handling == null ? h.get() : handling.max(h.get());
            }
            seen = seen.union(transformations(rule));
        }
        return handling == null ? Authorisation.UNDECIDED : new Authorisation(handling, seen);
    }

    private boolean matches(Element rule, String watcher) {
        Optional<Element> conditions = Dom.child(rule, CP, "conditions");
        if (conditions.isEmpty()) {
            return true;
        }
        for (Element c : PresenceComposer.elements(conditions.get())) {
            boolean holds = CP.equals(c.getNamespaceURI()) && "identity".equals(c.getLocalName()) && identity(c, watcher);
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    private boolean identity(Element identity, String watcher) {
        for (Element one : Dom.children(identity, CP, "one")) {
            if (same(one.getAttribute("id"), watcher)) {
                return true;
            }
        }
        for (Element many : Dom.children(identity, CP, "many")) {
            String domain = many.getAttribute("domain");
            boolean inDomain = domain.isEmpty() || domain.equalsIgnoreCase(domainOf(watcher));
            boolean excepted = Dom.children(many, CP, "except").stream().anyMatch(x ->
                    (x.hasAttribute("id") && same(x.getAttribute("id"), watcher))
                            || (x.hasAttribute("domain") && x.getAttribute("domain").equalsIgnoreCase(domainOf(watcher))));
            if (inDomain && !excepted) {
                return true;
            }
        }
        return false;
    }

    private boolean same(String ruleId, String watcher) {
        String id = ruleId.strip();
        return id.equalsIgnoreCase(watcher) || canonical.apply(id).map(watcher::equalsIgnoreCase).orElse(false);
    }

    private static String domainOf(String aor) {
        return aor.substring(aor.indexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    /** RFC 5025 §3.2.2-3.2.4; service, person and device selections other than all-* count as none. */
    private static Transformations transformations(Element rule) {
        Optional<Element> t = Dom.child(rule, CP, "transformations");
        if (t.isEmpty()) {
            return Transformations.NOTHING;
        }
        Set<String> granted = new HashSet<>();
        for (Element p : PresenceComposer.elements(t.get())) {
            if (PR.equals(p.getNamespaceURI()) && p.getLocalName().startsWith("provide-")
                    && !"false".equals(p.getTextContent().strip())) {
                granted.add(p.getLocalName());
            }
        }
        return new Transformations(all(t.get(), "provide-services", "all-services"),
                all(t.get(), "provide-persons", "all-persons"), all(t.get(), "provide-devices", "all-devices"),
                granted.contains("provide-all-attributes"), granted);
    }

    private static boolean all(Element transformations, String provide, String all) {
        return Dom.child(transformations, PR, provide).flatMap(p -> Dom.child(p, PR, all)).isPresent();
    }
}
