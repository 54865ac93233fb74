package org.parley.xdm.contacts;

/**
 * A request to be added to somebody's contacts, waiting for the target's answer (UC 5.1 step 26).
 *
 * @param watcher the XUI of the user who asked
 * @param list    the name of the watcher's list the target is pending in
 */
public record ContactRequest(String watcher, String list) {
}
