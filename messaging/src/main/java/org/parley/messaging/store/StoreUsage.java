package org.parley.messaging.store;

/**
 * What one recipient has waiting now.
 *
 * @param messages everything stored, reports included (what the quota counts)
 * @param reports  of those, IMDN disposition notifications (RFC 5438): delivered like messages,
 *                 but never counted as "messages waiting" (RFC 3842 summaries, UC 5.13)
 */
public record StoreUsage(int messages, long bytes, int reports) {
    /** The messages a summary tells the user about. */
    public int waitingMessages() {
        return messages - reports;
    }
}
