package org.parley.messaging;

import java.util.ArrayList;
import java.util.List;
import org.parley.sip.message.SipParseException;
import org.parley.xml.XmlException;
import org.parley.xml.XmlParser;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The entries of a resource-lists document (RFC 4826 §3), as RFC 5365 uses it for recipients. */
final class ResourceLists {
    /** Entry URIs, and references to lists stored elsewhere ({@code <external anchor>}). */
    record Entries(List<String> uris, List<String> externals) {
    }

    static final String NS = "urn:ietf:params:xml:ns:resource-lists";

    private ResourceLists() {
    }

    /** @throws SipParseException when the document is not well-formed resource-lists XML */
    static Entries parse(byte[] xml) {
        try {
            Document doc = XmlParser.parse(xml);
            Element root = doc.getDocumentElement();
            if (!NS.equals(root.getNamespaceURI()) || !"resource-lists".equals(root.getLocalName())) {
                throw new SipParseException("recipient list is not a resource-lists document");
            }
            NodeList entries = root.getElementsByTagNameNS(NS, "entry");
            List<String> uris = new ArrayList<>();
            for (int i = 0; i < entries.getLength(); i++) {
                String uri = ((Element) entries.item(i)).getAttribute("uri");
                if (!uri.isBlank() && !uris.contains(uri)) {
                    uris.add(uri);
                }
            }
            NodeList externals = root.getElementsByTagNameNS(NS, "external");
            List<String> anchors = new ArrayList<>();
            for (int i = 0; i < externals.getLength(); i++) {
                String anchor = ((Element) externals.item(i)).getAttribute("anchor");
                if (!anchor.isBlank()) {
                    anchors.add(anchor);
                }
            }
            return new Entries(List.copyOf(uris), List.copyOf(anchors));
        } catch (XmlException e) {
            throw new SipParseException("recipient list is not well-formed XML");
        }
    }
}
