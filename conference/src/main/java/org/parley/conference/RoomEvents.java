package org.parley.conference;

/**
 * What happens in rooms, for those who show it: the conference event package (RFC 4575) and the
 * notices pager members get.
 */
public interface RoomEvents {
    enum Change { JOINED, LEFT, KICKED, BANNED, ROLE, RENAMED }

    /** A member joined, left, was removed or changed role or name; {@code member} as it now is (or was, when gone). */
    void membership(ChatRoom room, Member member, Change change);

    /** An invitation was made ({@code withdrawn} false) or taken back by its inviter (PP-30). */
    void invitation(ChatRoom room, Invitation invitation, boolean withdrawn);

    /** The room's settings changed. */
    void configured(ChatRoom room);

    /** The room was closed; it has no members any more. */
    void closed(ChatRoom room, java.util.List<Member> former);
}
