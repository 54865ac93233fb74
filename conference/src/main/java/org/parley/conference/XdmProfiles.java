package org.parley.conference;

import java.time.LocalDate;
import java.util.Optional;
import org.parley.xdm.XcapDocuments;
import org.parley.xdm.oma.Dom;
import org.parley.xdm.oma.UserProfile;
import org.parley.xdm.oma.UserProfileUsage;
import org.parley.xml.XmlException;
import org.parley.xml.XmlParser;
import org.w3c.dom.Document;

/** {@link Profiles} from the users' org.openmobilealliance.user-profile documents on the XDM server. */
public final class XdmProfiles implements Profiles {
    private final XcapDocuments documents;

    public XdmProfiles(XcapDocuments documents) {
        this.documents = documents;
    }

    @Override
    public Optional<String> displayName(String aor) {
        return profile(aor).flatMap(d -> Dom.text(d.getDocumentElement(), UserProfile.NS, "display-name"));
    }

    @Override
    public Optional<LocalDate> birthDate(String aor) {
        return profile(aor).flatMap(d -> UserProfile.read(d).birthDate());
    }

    /** The stored document was validated when written; one that no longer parses counts as none. */
    private Optional<Document> profile(String aor) {
        Optional<XcapDocuments.Stored> stored = documents.read(UserProfileUsage.of(aor));
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(XmlParser.parse(stored.get().content()));
        } catch (XmlException e) {
            return Optional.empty();
        }
    }
}
