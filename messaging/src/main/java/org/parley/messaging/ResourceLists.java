package org.parley.messaging;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.parley.sip.message.SipParseException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The entry URIs of a resource-lists document (RFC 4826 §3), as RFC 5365 uses it for recipients. */
final class ResourceLists {
    static final String NS = "urn:ietf:params:xml:ns:resource-lists";

    private ResourceLists() {
    }

    /** @throws SipParseException when the document is not well-formed resource-lists XML */
    static List<String> entryUris(byte[] xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            // no DTDs, no external entities: the document comes from a user
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
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
            return uris;
        } catch (SipParseException e) {
            throw e;
        } catch (Exception e) {
            throw new SipParseException("recipient list is not well-formed XML");
        }
    }
}
