package org.parley.xdm;

/**
 * Where a document lives: the AUID, "users" or "global", the owner (the XUI, a canonical
 * sip:user@domain for users' documents, null for global ones) and the document name.
 */
public record DocumentContext(String auid, boolean global, String xui, String documentName) {
}
