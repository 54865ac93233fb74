package org.parley.sip.transaction;

/** What identifies a client transaction (RFC 3261 §17.1.3): our branch and the CSeq method. */
record ClientKey(String branch, String method) {
}
