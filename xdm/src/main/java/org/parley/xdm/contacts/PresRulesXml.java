package org.parley.xdm.contacts;

import org.parley.xdm.DocumentContext;
import org.parley.xdm.oma.Dom;
import org.parley.xml.XmlParser;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The presence authorisation a contact approval amounts to: in the approver's pres-rules
 * document "index" (RFC 5025), a common-policy rule (RFC 4745) whose identity condition names
 * the watcher and whose sub-handling is allow, with every service, person and device and all
 * attributes provided. Rules the user wrote themselves are left alone.
 */
final class PresRulesXml {
    static final String AUID = "pres-rules";
    static final String DOCUMENT = "index";
    static final String CP = "urn:ietf:params:xml:ns:common-policy";
    static final String PR = "urn:ietf:params:xml:ns:pres-rules";

    private PresRulesXml() {
    }

    static DocumentContext of(String xui) {
        return new DocumentContext(AUID, false, xui, DOCUMENT);
    }

    static Document blank() {
        Document doc = XmlParser.newDocument();
        Element ruleset = doc.createElementNS(CP, "cr:ruleset");
        ruleset.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:pr", PR);
        doc.appendChild(ruleset);
        return doc;
    }

    /** Whether some rule allows the watcher by identity (then no approval is needed: proactive authorisation). */
    static boolean allows(Document doc, String watcherXui) {
        return Dom.children(doc.getDocumentElement(), CP, "rule").stream()
                .anyMatch(rule -> namesWatcher(rule, watcherXui) && subHandling(rule).equals("allow"));
    }

    /** Adds the allow rule unless one exists; replaces a block rule of ours for the watcher. */
    static void allow(Document doc, String watcherXui) {
        if (allows(doc, watcherXui)) {
            return;
        }
        Element rule = rule(doc, watcherXui, "allow");
        Element transformations = Dom.append(rule, CP, "cr:transformations", null);
        Dom.append(Dom.append(transformations, PR, "pr:provide-services", null), PR, "pr:all-services", null);
        Dom.append(Dom.append(transformations, PR, "pr:provide-persons", null), PR, "pr:all-persons", null);
        Dom.append(Dom.append(transformations, PR, "pr:provide-devices", null), PR, "pr:all-devices", null);
        Dom.append(transformations, PR, "pr:provide-all-attributes", null);
    }

    /**
     * Blocks the watcher (RFC 5025 §3.2.1): our rule for the watcher says block. Rules the user
     * wrote themselves stay; common-policy combines them with the most permissive winning, so a
     * user's own allow rule still wins over a declined request.
     */
    static void block(Document doc, String watcherXui) {
        rule(doc, watcherXui, "block");
    }

    /** Our rule for the watcher, written anew with the given sub-handling. */
    private static Element rule(Document doc, String watcherXui, String handling) {
        String id = ruleId(watcherXui);
        Dom.children(doc.getDocumentElement(), CP, "rule").stream().filter(r -> r.getAttribute("id").equals(id))
                .forEach(r -> r.getParentNode().removeChild(r));
        Element rule = Dom.append(doc.getDocumentElement(), CP, "cr:rule", null);
        rule.setAttribute("id", id);
        Element identity = Dom.append(Dom.append(rule, CP, "cr:conditions", null), CP, "cr:identity", null);
        Dom.append(identity, CP, "cr:one", null).setAttribute("id", watcherXui);
        Dom.append(Dom.append(rule, CP, "cr:actions", null), PR, "pr:sub-handling", handling);
        return rule;
    }

    private static boolean namesWatcher(Element rule, String watcherXui) {
        return Dom.child(rule, CP, "conditions").flatMap(c -> Dom.child(c, CP, "identity"))
                .map(identity -> Dom.children(identity, CP, "one").stream()
                        .anyMatch(one -> one.getAttribute("id").equalsIgnoreCase(watcherXui)))
                .orElse(false);
    }

    private static String subHandling(Element rule) {
        return Dom.child(rule, CP, "actions").flatMap(a -> Dom.text(a, PR, "sub-handling")).orElse("");
    }

    /** Rule ids are xs:ID (an NCName) and unique in the document; a hash of the watcher is both. */
    private static String ruleId(String watcherXui) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(watcherXui.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return "parley-allow-" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
