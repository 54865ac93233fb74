package org.parley.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.messaging.StoredLists;
import org.parley.xdm.XcapConflict;
import org.parley.xdm.xcap.Conditions;
import org.parley.xdm.xcap.XcapError;
import org.parley.xdm.xcap.XcapService;
import org.parley.xdm.xcap.XcapUri;
import org.parley.xdm.xcap.Xml;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A recipient list naming a stored list (RFC 4826 §3.2.3 {@code <external anchor>}, PP2-35,
 * PP2-37), resolved from the sender's own resource-lists documents on the XDM server: the
 * members are the entries of the list the anchor's node selector picks, nested lists included.
 */
final class XcapStoredLists implements StoredLists {
    private static final String ROOT = "/xcap-root";
    private static final String RESOURCE_LISTS = "urn:ietf:params:xml:ns:resource-lists";

    private final XcapService xcap;

    XcapStoredLists(XcapService xcap) {
        this.xcap = xcap;
    }

    @Override
    public Optional<List<String>> resolve(String ownerAor, String anchor) {
        int at = anchor.indexOf(ROOT + "/");
        if (at < 0) {
            return Optional.empty();
        }
        String rest = anchor.substring(at + ROOT.length());
        int q = rest.indexOf('?');
        try {
            XcapUri uri = XcapUri.parse(anchor.substring(0, at + ROOT.length()), q < 0 ? rest : rest.substring(0, q),
                    q < 0 ? null : rest.substring(q + 1));
            // only the sender's own lists: a list of somebody else's is not theirs to send to
            if (!uri.auid().equals("resource-lists") || uri.global() || !ownerAor.equalsIgnoreCase(uri.xui())) {
                return Optional.empty();
            }
            byte[] body = xcap.get(uri, Conditions.NONE).body();
            NodeList entries = Xml.parse(body, "not-well-formed").getElementsByTagNameNS(RESOURCE_LISTS, "entry");
            List<String> members = new ArrayList<>();
            for (int i = 0; i < entries.getLength(); i++) {
                String member = ((Element) entries.item(i)).getAttribute("uri");
                if (!member.isBlank()) {
                    members.add(member);
                }
            }
            return Optional.of(members);
        } catch (XcapUri.Invalid | XcapError | XcapConflict e) {
            return Optional.empty();
        }
    }
}
