package org.parley.xdm.oma;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.time.LocalDate;
import java.util.Optional;

/**
 * The values of an org.openmobilealliance.user-profile document that search and contact
 * handling use. Deliberately without the display name and communication addresses: what is not
 * read here cannot leak from here.
 *
 * @param searchable            the user's own choice, if the document states one
 * @param authorisationRequired "authorisation on": being added to a contact list needs approval
 *                              (the default; false approves every request automatically)
 */
public record UserProfile(Optional<LocalDate> birthDate, Optional<String> gender, Optional<String> intention,
                          Optional<String> city, Optional<String> country, Optional<String> freeText,
                          Optional<Boolean> searchable, boolean authorisationRequired) {
    public static final String NS = "urn:oma:xml:xdm:user-profile";
    private static final String PX = ParleyExtensions.NS;

    /** Reads a schema-valid document. */
    public static UserProfile read(Document document) {
        Element root = document.getDocumentElement();
        Optional<Element> address = Dom.child(root, NS, "address");
        return new UserProfile(Dom.text(root, NS, "birth-date").map(UserProfile::date),
                Dom.text(root, NS, "gender"),
                Dom.text(root, PX, "intention"),
                address.flatMap(a -> Dom.text(a, NS, "locality")),
                address.flatMap(a -> Dom.text(a, NS, "country")),
                Dom.text(root, NS, "freetext"),
                Dom.text(root, PX, "searchable").map(UserProfile::bool),
                Dom.text(root, PX, "authorisation-required").map(UserProfile::bool).orElse(true));
    }

    /** xs:date may carry a zone ("1990-04-01Z"); the calendar day is what counts for an age. */
    private static LocalDate date(String value) {
        return LocalDate.parse(value.length() > 10 ? value.substring(0, 10) : value);
    }

    /** xs:boolean: "true", "false", "1", "0". */
    private static boolean bool(String value) {
        return "true".equals(value) || "1".equals(value);
    }
}
