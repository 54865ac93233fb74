package org.parley.presence;

import org.parley.xml.XmlWriter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Cuts a composed document down to what one watcher may see (RFC 5025 §3.2.2-3.2.4). Kept
 * always: the structure and what says whether the presentity can be reached at all (status,
 * basic, contact, timestamps). An RPID attribute (RFC 4480) needs the permission of its name,
 * e.g. activities → provide-activities; notes need provide-note, the device ID provide-deviceID;
 * anything unknown needs provide-all-attributes.
 */
final class WatcherFilter {
    private WatcherFilter() {
    }

    /**
     * Written by {@link XmlWriter#written}, not the JDK's serialiser: each change of a presentity is cut
     * again on its next SUBSCRIBE or NOTIFY, and the JDK's serialiser allocated ~30 KB for each cut (issue 13).
     *
     * @param composed written as it is when {@code t} grants everything, else left alone and a copy cut
     */
    static byte[] apply(Document composed, Transformations t) {
        if (t.grantsEverything()) {
            // the usual cut (a rule providing all): nothing to remove, so no copy of the document to remove it from
            return XmlWriter.written(composed);
        }
        Document doc = (Document) composed.cloneNode(true);
        Element root = doc.getDocumentElement();
        for (Element e : PresenceComposer.elements(root)) {
            boolean keep = switch (String.valueOf(e.getNamespaceURI()) + " " + e.getLocalName()) {
                case Pidf.NS + " tuple" -> t.services();
                case Pidf.NS + " note" -> t.grants("provide-note");
                case Pidf.DM + " person" -> t.persons();
                case Pidf.DM + " device" -> t.devices();
                default -> t.allAttributes();
            };
            if (!keep) {
                root.removeChild(e);
            } else if (!t.allAttributes()) {
                filterAttributes(e, t);
            }
        }
        return XmlWriter.written(doc);
    }

    private static void filterAttributes(Element container, Transformations t) {
        for (Element e : PresenceComposer.elements(container)) {
            String ns = String.valueOf(e.getNamespaceURI());
            String name = e.getLocalName();
            boolean keep = switch (ns) {
                case Pidf.NS -> switch (name) {
                    case "status", "basic", "contact", "timestamp" -> true;
                    case "note" -> t.grants("provide-note");
                    default -> false;
                };
                case Pidf.DM -> switch (name) {
                    case "timestamp" -> true;
                    case "note" -> t.grants("provide-note");
                    case "deviceID" -> t.grants("provide-deviceID");
                    default -> false;
                };
                case Pidf.RPID -> t.grants("provide-" + name);
                default -> false;
            };
            if (!keep) {
                container.removeChild(e);
            } else if (ns.equals(Pidf.NS) && name.equals("status")) {
                filterAttributes(e, t);
            }
        }
    }
}
