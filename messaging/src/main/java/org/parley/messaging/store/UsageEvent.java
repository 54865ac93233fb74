package org.parley.messaging.store;

/**
 * The message events that produce a usage record (PP2-6, PP-49), and the end of a chat session
 * (one record per session: start, end, parties, bytes; its detail counts messages and files).
 */
public enum UsageEvent { ACCEPTED, DELIVERED, STORED, EXPIRED, REFUSED, SESSION }
