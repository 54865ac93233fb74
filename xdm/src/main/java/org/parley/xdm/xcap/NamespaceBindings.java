package org.parley.xdm.xcap;

import org.parley.xml.XmlParser;
import org.parley.xml.XmlWriter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.XMLConstants;
import java.util.Map;

/**
 * The application/xcap-ns+xml body of a {@code namespace::*} GET (RFC 4825 §7.10): an empty
 * element with the selected element's qualified name declaring every namespace in scope there.
 */
final class NamespaceBindings {
    private NamespaceBindings() {
    }

    static byte[] of(Element selected) {
        Document doc = XmlParser.newDocument();
        Element result = doc.createElementNS(selected.getNamespaceURI(), selected.getTagName());
        for (Map.Entry<String, String> ns : PartialEdits.inScope(selected).entrySet()) {
            result.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI,
                    ns.getKey().isEmpty() ? "xmlns" : "xmlns:" + ns.getKey(), ns.getValue());
        }
        doc.appendChild(result);
        return XmlWriter.fragment(doc);
    }
}
