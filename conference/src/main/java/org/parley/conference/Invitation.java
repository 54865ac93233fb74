package org.parley.conference;

import java.time.Instant;

/**
 * An invitation to a room (PP-30): it waits until the invitee answers, the inviter cancels it or
 * it expires; the invitee is told the room and, unless the inviter hid themselves, who invited.
 */
public record Invitation(String room, String invitee, String inviter, boolean hideInviter, Instant expires) {
    public boolean expired(Instant now) {
        return !now.isBefore(expires);
    }

    /** Who the invitee is told invited them. */
    public String shownInviter() {
        return hideInviter ? "someone" : inviter;
    }
}
