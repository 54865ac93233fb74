package org.parley.conference;

/**
 * A room operation that cannot be done, with what kind of refusal it is: the SIP service and the
 * REST API each turn the kind into their own status (403, 404, 409...), the message into the
 * reason phrase or the problem's detail.
 */
public final class RoomException extends RuntimeException {
    public enum Kind {
        /** malformed: 400 */
        BAD_REQUEST,
        /** the caller may not (not a member, not an administrator, banned, a minor): 403 */
        FORBIDDEN,
        /** no such room, member or invitation: 404 */
        NOT_FOUND,
        /** the name is taken, the room is full or closed: 409 (SIP: 486 for a full room) */
        CONFLICT,
        /** switched off by the operator: 403 */
        DISABLED
    }

    private final Kind kind;

    public RoomException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
