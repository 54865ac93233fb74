package org.parley.conference;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Where rooms are kept so that they outlive a restart or a crash: {@link org.parley.conference.store.JdbiRoomStore}
 * on the server's database. Every change is written here before it takes effect or is acknowledged.
 */
public interface RoomStore {
    /** A room as stored, with its last messages (up to its history size). */
    record Stored(String name, String creator, Instant created, RoomConfig config, List<Member> members,
                  Set<String> bans, List<Invitation> invitations, List<RoomMessage> history) {
    }

    List<Stored> loadAll();

    /** A new room with its creator as first member, in one transaction. */
    void create(String name, String creator, Instant created, RoomConfig config, Member creatorMember);

    void configure(String room, RoomConfig config);

    /** Adds or replaces the member (role, screen name); an invitation of theirs is used up. */
    void putMember(String room, Member member);

    void removeMember(String room, String aor);

    /** Bans the account: it stops being a member and its invitation goes. */
    void ban(String room, String aor);

    void unban(String room, String aor);

    void putInvitation(Invitation invitation);

    void removeInvitation(String room, String invitee);

    /** Keeps a message, dropping the oldest beyond {@code keep}; returns its sequence number. */
    long append(String room, String sender, String contentType, byte[] body, Instant at, int keep);

    /** The room and everything of it. */
    void delete(String room);

    /**
     * Every membership, ban and invitation of an account, for its deletion: its address may later
     * name a new account, which is somebody else.
     */
    void forget(String aor);
}
