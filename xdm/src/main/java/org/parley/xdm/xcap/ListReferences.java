package org.parley.xdm.xcap;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A reference to a stored list — an {@code <external anchor>} (RFC 4826 §3.2.3) in a recipient
 * list (PP2-35, PP2-37), a {@code <resource-list>} of an rls-services service (RFC 4826 §4) —
 * resolved from the owner's own resource-lists documents on the XDM server: the members are the
 * entries of the list the reference's node selector picks, nested lists included. A list of
 * somebody else's resolves to nothing.
 */
public final class ListReferences {
    private static final String ROOT = "/xcap-root";
    private static final String RESOURCE_LISTS = "urn:ietf:params:xml:ns:resource-lists";

    private final XcapService xcap;

    public ListReferences(XcapService xcap) {
        this.xcap = xcap;
    }

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
            NodeList entries = xcap.element(uri).getElementsByTagNameNS(RESOURCE_LISTS, "entry");
            List<String> members = new ArrayList<>();
            for (int i = 0; i < entries.getLength(); i++) {
                String member = ((Element) entries.item(i)).getAttribute("uri");
                if (!member.isBlank()) {
                    members.add(member);
                }
            }
            return Optional.of(members);
        } catch (XcapUri.Invalid | XcapError e) {
            return Optional.empty();
        }
    }
}
