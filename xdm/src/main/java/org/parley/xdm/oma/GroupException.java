package org.parley.xdm.oma;

/** A refused group operation; {@link Kind} lets each door pick its answer. */
public final class GroupException extends Exception {
    public enum Kind {
        NOT_FOUND,
        /** A group of that name already exists. */
        EXISTS,
        /** The caller may not do this (not the owner; a closed group, GIM-8). */
        FORBIDDEN,
        /** The group usage refused the result (too many members, a duplicate...). */
        REFUSED
    }

    private final Kind kind;

    public GroupException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
