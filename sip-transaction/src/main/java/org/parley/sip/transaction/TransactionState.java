package org.parley.sip.transaction;

/** The states of RFC 3261 §17 state machines, with RFC 6026's Accepted for INVITE 2xx. */
public enum TransactionState {
    /** INVITE client: request sent, nothing heard yet. */
    CALLING,
    /** Non-INVITE client and server: request sent or received, no response yet. */
    TRYING,
    PROCEEDING,
    COMPLETED,
    /** INVITE server: ACK for the non-2xx final received. */
    CONFIRMED,
    /** INVITE, either side: a 2xx went through; the ACK is end-to-end (RFC 6026). */
    ACCEPTED,
    TERMINATED
}
