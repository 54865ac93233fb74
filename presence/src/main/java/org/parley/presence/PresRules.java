package org.parley.presence;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 * so such a rule never grants anything by mistake. A document is {@linkplain #compile compiled}
 * once into a {@link Policy}, which every SUBSCRIBE and every change of the presentity evaluates.
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

    /**
     * A pres-rules document read once into values: what evaluating it for a watcher needs, without
     * the DOM (which is large, and not safe to read from two threads). Kept per presentity while its
     * document does not change.
     */
    record Policy(List<Rule> rules) {
        static final Policy NONE = new Policy(List.of());

        Policy {
            rules = List.copyOf(rules);
        }
    }

    /**
     * One rule: it applies when every one of its identity conditions holds (none: to everyone);
     * {@code unsupported} — a condition other than identity — makes it apply to nobody.
     *
     * @param handling its sub-handling, or null when it names none
     */
    record Rule(boolean unsupported, List<Identity> identities, SubHandling handling, Transformations transformations) {
        Rule {
            identities = List.copyOf(identities);
        }
    }

    /** An identity condition: one of {@code ones}, or one of {@code many} (RFC 4745 §7.1). */
    record Identity(List<String> ones, List<Many> many) {
        Identity {
            ones = List.copyOf(ones);
            many = List.copyOf(many);
        }
    }

    /** A many element: everyone (in {@code domain} when not empty) but the ids and domains excepted. */
    record Many(String domain, List<String> exceptIds, List<String> exceptDomains) {
        Many {
            exceptIds = List.copyOf(exceptIds);
            exceptDomains = List.copyOf(exceptDomains);
        }
    }

    Authorisation evaluate(Document rules, String watcherAor) {
        return evaluate(compile(rules), watcherAor);
    }

    Authorisation evaluate(Policy policy, String watcherAor) {
        SubHandling handling = null;
        Transformations seen = Transformations.NOTHING;
        for (Rule rule : policy.rules()) {
            if (!matches(rule, watcherAor)) {
                continue;
            }
            if (rule.handling() != null) {
                handling = handling == null ? rule.handling() : handling.max(rule.handling());
            }
            seen = seen.union(rule.transformations());
        }
        return handling == null ? Authorisation.UNDECIDED : new Authorisation(handling, seen);
    }

    /** The document's rules as values; permission names and equal transformations shared between documents. */
    static Policy compile(Document rules) {
        List<Rule> compiled = new ArrayList<>();
        for (Element rule : Dom.children(rules.getDocumentElement(), CP, "rule")) {
            boolean unsupported = false;
            List<Identity> identities = new ArrayList<>();
            Optional<Element> conditions = Dom.child(rule, CP, "conditions");
            if (conditions.isPresent()) {
                for (Element c : PresenceComposer.elements(conditions.get())) {
                    if (CP.equals(c.getNamespaceURI()) && "identity".equals(c.getLocalName())) {
                        identities.add(identity(c));
                    } else {
                        unsupported = true;
                    }
                }
            }
            SubHandling handling = Dom.child(rule, CP, "actions").flatMap(a -> Dom.text(a, PR, "sub-handling"))
                    .flatMap(SubHandling::parse).orElse(null);
            compiled.add(new Rule(unsupported, identities, handling, Transformations.shared(transformations(rule))));
        }
        return compiled.isEmpty() ? Policy.NONE : new Policy(compiled);
    }

    private static Identity identity(Element identity) {
        List<String> ones = Dom.children(identity, CP, "one").stream().map(one -> one.getAttribute("id").strip()).toList();
        List<Many> many = new ArrayList<>();
        for (Element m : Dom.children(identity, CP, "many")) {
            List<String> ids = new ArrayList<>();
            List<String> domains = new ArrayList<>();
            for (Element x : Dom.children(m, CP, "except")) {
                if (x.hasAttribute("id")) {
                    ids.add(x.getAttribute("id").strip());
                }
                if (x.hasAttribute("domain")) {
                    domains.add(x.getAttribute("domain"));
                }
            }
            many.add(new Many(m.getAttribute("domain"), ids, domains));
        }
        return new Identity(ones, many);
    }

    private boolean matches(Rule rule, String watcher) {
        if (rule.unsupported()) {
            return false;
        }
        for (Identity identity : rule.identities()) {
            if (!holds(identity, watcher)) {
                return false;
            }
        }
        return true;
    }

    /** Evaluated for every SUBSCRIBE: plain loops, and the watcher's domain cut out only if a rule asks. */
    private boolean holds(Identity identity, String watcher) {
        for (String one : identity.ones()) {
            if (same(one, watcher)) {
                return true;
            }
        }
        for (Many many : identity.many()) {
            if (inDomain(many, watcher) && !excepted(many, watcher)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inDomain(Many many, String watcher) {
        return many.domain().isEmpty() || domainIs(watcher, many.domain());
    }

    private boolean excepted(Many many, String watcher) {
        for (String id : many.exceptIds()) {
            if (same(id, watcher)) {
                return true;
            }
        }
        for (String domain : many.exceptDomains()) {
            if (domainIs(watcher, domain)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the AOR's host part is {@code domain}, ignoring case, without cutting a string out of it. */
    private static boolean domainIs(String aor, String domain) {
        int start = aor.indexOf('@') + 1;
        return aor.length() - start == domain.length() && aor.regionMatches(true, start, domain, 0, domain.length());
    }

    private boolean same(String id, String watcher) {
        return id.equalsIgnoreCase(watcher) || canonical.apply(id).map(watcher::equalsIgnoreCase).orElse(false);
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
