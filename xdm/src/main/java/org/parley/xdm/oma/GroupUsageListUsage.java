package org.parley.xdm.oma;

import org.parley.xdm.ApplicationUsage;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.parley.xdm.xcap.Xml;
import org.parley.xml.XmlSchema;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * AUID org.openmobilealliance.group-usage-list (group-usage-list.xsd): the groups a user owns or
 * uses, as resource-lists. Beyond the schema: list names are unique in the document and group
 * URIs unique within a list (RFC 4826 §3.4.5, which OMA inherits).
 */
public final class GroupUsageListUsage implements ApplicationUsage {
    public static final String AUID = "org.openmobilealliance.group-usage-list";
    public static final String MIME_TYPE = "application/vnd.oma.group-usage-list+xml";
    public static final String NS = "urn:ietf:params:xml:ns:resource-lists";

    private static final XmlSchema SCHEMA = XmlSchema.load("xsd/oma/group-usage-list.xsd");

    @Override
    public String auid() {
        return AUID;
    }

    @Override
    public String mimeType() {
        return MIME_TYPE;
    }

    @Override
    public String defaultNamespace() {
        return NS;
    }

    @Override
    public void validate(Document document, DocumentContext context) throws XcapConflict {
        Xml.validate(SCHEMA, document);
        Set<String> names = new HashSet<>();
        for (Element list : Dom.children(document.getDocumentElement(), NS, "list")) {
            if (!names.add(list.getAttribute("name"))) {
                throw new XcapConflict("uniqueness-failure", "list name " + list.getAttribute("name") + " is used twice",
                        "resource-lists/list/@name", List.of());
            }
            Set<String> uris = new HashSet<>();
            for (Element entry : Dom.children(list, NS, "entry")) {
                if (!uris.add(entry.getAttribute("uri").strip().toLowerCase(Locale.ROOT))) {
                    throw new XcapConflict("uniqueness-failure", "group " + entry.getAttribute("uri")
                            + " is listed twice", "resource-lists/list/entry/@uri", List.of());
                }
            }
        }
    }
}
