package org.parley.xdm.oma;

/**
 * Whether a group has a session going on (a chat in it), which keeps a temporary group alive past
 * its expiry (UC 5.12 step 6). The conference focus supplies it (its group chat); without one no
 * group has a session.
 */
@FunctionalInterface
public interface ActiveSessions {
    ActiveSessions NONE = groupUri -> false;

    boolean active(String groupUri);
}
