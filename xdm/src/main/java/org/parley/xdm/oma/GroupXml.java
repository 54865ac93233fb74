package org.parley.xdm.oma;

import org.parley.xdm.DocumentContext;
import org.parley.xml.XmlParser;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/** Groups to and from org.openmobilealliance.groups documents (groups.xsd). */
public final class GroupXml {
    public static final String NS = "urn:oma:xml:poc:list-service";
    public static final String PX = ParleyExtensions.NS;
    /** xs:positiveInteger is unbounded; any count beyond int is as good as no limit. */
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);

    private GroupXml() {
    }

    /**
     * Reads a schema-valid group document (a dateTime beyond what Instant holds throws
     * DateTimeException, which the usage turns into a constraint failure). Policy values the document leaves out take their
     * defaults: origin from where it is stored, owner the user whose document it is, closed
     * membership, members may write content, permanent.
     */
    public static Group read(Document document, DocumentContext where) {
        Element service = Dom.child(document.getDocumentElement(), NS, "list-service").orElseThrow();
        Element list = Dom.child(service, NS, "list").orElseThrow();
        List<Group.Member> members = Dom.children(list, NS, "entry").stream()
                .map(e -> new Group.Member(e.getAttribute("uri").strip(), Dom.text(e, NS, "display-name")))
                .toList();
        OptionalInt max = Dom.text(service, NS, "max-participant-count")
                .map(s -> OptionalInt.of(new BigInteger(s).min(INT_MAX).intValue())).orElse(OptionalInt.empty());
        Optional<Element> policy = Dom.child(service, PX, "group-policy");
        Group.Origin origin = policyValue(policy, "origin").map(v -> Group.Origin.valueOf(upper(v)))
                .orElse(where.global() ? Group.Origin.OPERATOR : Group.Origin.USER);
        String owner = policyValue(policy, "owner").orElse(where.global() ? "" : where.xui());
        Group.Membership membership = policyValue(policy, "membership")
                .map(v -> Group.Membership.valueOf(upper(v))).orElse(Group.Membership.CLOSED);
        Group.ContentWrite contentWrite = policyValue(policy, "content-write")
                .map(v -> Group.ContentWrite.valueOf(upper(v))).orElse(Group.ContentWrite.MEMBERS);
        Optional<Instant> expires = policyValue(policy, "expires").map(GroupXml::instant);
        return new Group(service.getAttribute("uri").strip(), Dom.text(service, NS, "display-name"), members, max,
                origin, owner, membership, contentWrite, expires);
    }

    private static Optional<String> policyValue(Optional<Element> policy, String name) {
        return policy.flatMap(p -> Dom.text(p, PX, name));
    }

    private static String upper(String value) {
        return value.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** xs:dateTime may lack a zone; such a time is taken as UTC rather than refused at read. */
    private static Instant instant(String dateTime) {
        try {
            return OffsetDateTime.parse(dateTime).toInstant();
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(dateTime).toInstant(ZoneOffset.UTC);
        }
    }

    public static Document write(Group group) {
        Document doc = XmlParser.newDocument();
        Element root = doc.createElementNS(NS, "group");
        root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:px", PX);
        doc.appendChild(root);
        Element service = Dom.append(root, NS, "list-service", null);
        service.setAttribute("uri", group.uri());
        group.displayName().ifPresent(name -> Dom.append(service, NS, "display-name", name));
        Element list = Dom.append(service, NS, "list", null);
        for (Group.Member member : group.members()) {
            Element entry = Dom.append(list, NS, "entry", null);
            entry.setAttribute("uri", member.uri());
            member.displayName().ifPresent(name -> Dom.append(entry, NS, "display-name", name));
        }
        group.maxParticipants().ifPresent(max -> Dom.append(service, NS, "max-participant-count",
                Integer.toString(max)));
        Element policy = Dom.append(service, PX, "px:group-policy", null);
        Dom.append(policy, PX, "px:origin", lower(group.origin()));
        Dom.append(policy, PX, "px:owner", group.owner());
        Dom.append(policy, PX, "px:membership", lower(group.membership()));
        Dom.append(policy, PX, "px:content-write", lower(group.contentWrite()));
        group.expires().ifPresent(at -> Dom.append(policy, PX, "px:expires", at.toString()));
        return doc;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
