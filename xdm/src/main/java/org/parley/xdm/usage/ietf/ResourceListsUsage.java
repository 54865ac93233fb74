package org.parley.xdm.usage.ietf;

import org.parley.xdm.ApplicationUsage;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.parley.xdm.xcap.Xml;
import org.parley.xml.XmlSchema;
import org.w3c.dom.Document;
import org.w3c.dom.Element;


/**
 * The resource-lists usage (RFC 4826 §3): contact lists. Beyond the schema (§3.4.5): list names
 * are unique within their parent, and within one list entry URIs, entry-ref refs and external
 * anchors are unique.
 */
public final class ResourceListsUsage implements ApplicationUsage {
    public static final String AUID = "resource-lists";
    public static final String NAMESPACE = "urn:ietf:params:xml:ns:resource-lists";
    private static final XmlSchema SCHEMA = XmlSchema.load("xsd/resource-lists.xsd");

    @Override
    public String auid() {
        return AUID;
    }

    @Override
    public String mimeType() {
        return "application/resource-lists+xml";
    }

    @Override
    public String defaultNamespace() {
        return NAMESPACE;
    }

    @Override
    public void validate(Document document, DocumentContext context) throws XcapConflict {
        Xml.validate(SCHEMA, document);
        Element root = document.getDocumentElement();
        Uniqueness.children(root, NAMESPACE, "list", "name", "resource-lists");
        for (Element list : Uniqueness.children(root, NAMESPACE, "list")) {
            checkList(list, "resource-lists/list[@name=\"" + list.getAttribute("name") + "\"]");
        }
    }

    /** The same checks for a list element in any namespace whose content is a resource-lists listType (also rls-services' list). */
    static void checkList(Element list, String selector) throws XcapConflict {
        Uniqueness.children(list, NAMESPACE, "entry", "uri", selector);
        Uniqueness.children(list, NAMESPACE, "entry-ref", "ref", selector);
        Uniqueness.children(list, NAMESPACE, "external", "anchor", selector);
        Uniqueness.children(list, NAMESPACE, "list", "name", selector);
        for (Element child : Uniqueness.children(list, NAMESPACE, "list")) {
            checkList(child, selector + "/list[@name=\"" + child.getAttribute("name") + "\"]");
        }
    }
}
