package org.parley.accounts;

/** A refused account operation; {@link Kind} lets each door (CLI, HTTP) pick its own status. */
public final class AccountException extends RuntimeException {
    public enum Kind { INVALID, CONFLICT, NOT_FOUND }

    private final Kind kind;

    public AccountException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
