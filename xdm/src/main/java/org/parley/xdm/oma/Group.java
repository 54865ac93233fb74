package org.parley.xdm.oma;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A group as {@link GroupXml} reads it from an org.openmobilealliance.groups document.
 *
 * @param owner   who administers the group: the user whose document it is, or for an operator
 *                group (GIM-7) whoever the operator named
 * @param expires when a temporary group (UC 5.12) ends; empty for a permanent one
 */
public record Group(String uri, Optional<String> displayName, List<Member> members, OptionalInt maxParticipants,
                    Origin origin, String owner, Membership membership, ContentWrite contentWrite,
                    Optional<Instant> expires) {
    public Group {
        members = List.copyOf(members);
    }

    public record Member(String uri, Optional<String> displayName) {
    }

    /** GIM-7. */
    public enum Origin { USER, OPERATOR }

    /** GIM-8: whether anyone may join, or only those the owner adds. */
    public enum Membership { OPEN, CLOSED }

    /** GIM-9: who may write the group's shared content (members may always read it). */
    public enum ContentWrite { MEMBERS, OWNER }

    public boolean isMember(String uri) {
        return members.stream().anyMatch(m -> m.uri().equalsIgnoreCase(uri));
    }

    public Group withMembers(List<Member> newMembers) {
        return new Group(uri, displayName, newMembers, maxParticipants, origin, owner, membership, contentWrite,
                expires);
    }
}
