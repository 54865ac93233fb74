package org.parley.conference;

import java.time.Instant;

/**
 * A member of a room.
 *
 * @param aor        the account's address of record: who the member is, never shown in a public room
 * @param screenName how the others see the member in a public room (UC 5.17); unique in the room
 */
public record Member(String aor, String screenName, Role role, Instant joined) {
    public boolean administrator() {
        return role == Role.ADMINISTRATOR;
    }

    public Member withRole(Role newRole) {
        return new Member(aor, screenName, newRole, joined);
    }
}
