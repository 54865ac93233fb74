package org.parley.messaging;

/**
 * What the presence server says of a recipient's willingness to be contacted (GU-4, PP-4): a
 * presentity that declares itself busy or unwilling is treated as "do not disturb" (UC 5.6
 * alternative flow). The seam between messaging and presence; without presence nobody declines.
 */
@FunctionalInterface
public interface Availability {
    Availability UNKNOWN = aor -> false;

    /** Whether {@code aor}'s published presence asks not to be disturbed now. */
    boolean declinesContact(String aor);
}
