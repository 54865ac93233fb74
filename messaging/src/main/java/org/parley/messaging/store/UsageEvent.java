package org.parley.messaging.store;

/**
 * The message events that produce a usage record (PP2-6, PP-49), and the end of a chat session
 * (one record per session: start, end, parties, bytes; its detail counts messages and files).
 * A message leaves one record for its outcome (DELIVERED, STORED, REFUSED; a stored one later a
 * second, DELIVERED or EXPIRED), with the time it was sent: {@code ACCEPTED} is what earlier
 * versions also wrote on acceptance, and is only found in their records.
 */
public enum UsageEvent { ACCEPTED, DELIVERED, STORED, EXPIRED, REFUSED, SESSION }
