package org.parley.xdm.oma;

import org.parley.xdm.ApplicationUsage;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.parley.xdm.xcap.Xml;
import org.parley.xml.XmlSchema;
import org.w3c.dom.Document;

import java.time.DateTimeException;

/**
 * AUID org.openmobilealliance.user-profile (user-profile.xsd). Beyond the schema: one document
 * per user, named "index", about that user (its uri is the owner's XUI), so nobody can publish a
 * profile in another's name; and no global documents.
 */
public final class UserProfileUsage implements ApplicationUsage {
    public static final String AUID = "org.openmobilealliance.user-profile";
    public static final String MIME_TYPE = "application/vnd.oma.user-profile+xml";
    public static final String DOCUMENT = "index";

    private static final XmlSchema SCHEMA = XmlSchema.load(ParleyExtensions.SCHEMA, "xsd/oma/user-profile.xsd");

    public static DocumentContext of(String xui) {
        return new DocumentContext(AUID, false, xui, DOCUMENT);
    }

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
        return UserProfile.NS;
    }

    @Override
    public void validate(Document document, DocumentContext context) throws XcapConflict {
        Xml.validate(SCHEMA, document);
        if (context.global() || !DOCUMENT.equals(context.documentName())) {
            throw new XcapConflict("constraint-failure", "a user profile is the document users/<xui>/" + DOCUMENT);
        }
        String uri = document.getDocumentElement().getAttribute("uri").strip();
        if (!uri.equalsIgnoreCase(context.xui())) {
            throw new XcapConflict("constraint-failure", "the profile's uri must be its owner, " + context.xui());
        }
        // Search reads it after every write; a value the schema allows but java.time cannot hold stops here.
        try {
            UserProfile.read(document);
        } catch (DateTimeException e) {
            throw new XcapConflict("constraint-failure", "the birth date is not a usable date");
        }
    }
}
