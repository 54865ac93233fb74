package org.parley.presence;

import java.util.List;
import org.parley.xdm.oma.Dom;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Whether a presentity's published state asks not to be contacted (GU-4, PP-4): its person
 * (composed from all its publications, the most recent winning) is busy by RPID activities
 * (RFC 4480 {@code <busy/>}, or {@code <other>} saying do not disturb), or unwilling by the OMA
 * presence extension ({@code <op:willingness><op:basic>closed</op:basic>}).
 */
final class Willingness {
    static final String OMA = "urn:oma:xml:prs:pidf:oma-pres";

    private Willingness() {
    }

    static boolean declinesContact(String aor, List<Publication> publications) {
        if (publications.isEmpty()) {
            return false;
        }
        Document composed = PresenceComposer.compose(aor, publications, List.of());
        for (Element person : Dom.children(composed.getDocumentElement(), Pidf.DM, "person")) {
            for (Element activities : Dom.children(person, Pidf.RPID, "activities")) {
                if (Dom.child(activities, Pidf.RPID, "busy").isPresent() || Dom.children(activities, Pidf.RPID, "other")
                        .stream().anyMatch(o -> o.getTextContent().strip().toLowerCase(java.util.Locale.ROOT).replace('-', ' ')
                                .matches("do not disturb|dnd"))) {
                    return true;
                }
            }
            for (Element willingness : Dom.children(person, OMA, "willingness")) {
                if (Dom.text(willingness, OMA, "basic").map(b -> b.strip().equals("closed")).orElse(false)) {
                    return true;
                }
            }
        }
        return false;
    }
}
