package org.parley.messaging.store;

/** The message events that produce a usage record (PP2-6, PP-49). */
public enum UsageEvent { ACCEPTED, DELIVERED, STORED, EXPIRED, REFUSED }
