package org.parley.xdm.xcap;

/**
 * Access to documents in another user's part of the users tree — none by default (RFC 4825 §9:
 * the server decides). Shared group content (GIM-9) lives under the group's URI and is reached by
 * its members: that usage supplies a rule.
 */
@FunctionalInterface
public interface AccessRule {
    AccessRule NONE = (requesterXui, uri, write) -> false;

    boolean permits(String requesterXui, XcapUri uri, boolean write);
}
