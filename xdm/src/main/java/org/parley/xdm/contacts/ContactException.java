package org.parley.xdm.contacts;

/** A refused contact-list operation; {@link Kind} lets each door (HTTP, SIP) pick its answer. */
public final class ContactException extends RuntimeException {
    public enum Kind {
        NOT_FOUND,
        /** The name or contact is taken, in the list or document (Modify Contact Name: uniqueness). */
        CONFLICT,
        INVALID
    }

    private final Kind kind;

    public ContactException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
