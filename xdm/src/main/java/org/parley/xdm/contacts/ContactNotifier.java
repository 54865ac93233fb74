package org.parley.xdm.contacts;

/**
 * Tells users what others did with their contact lists (UC 5.1 steps 25, 34, 38; UC 5.19 "a
 * system message is sent to User B"). The lead wires it to SIP MESSAGE; stored for later
 * delivery when the user is offline.
 */
public interface ContactNotifier {
    /**
     * {@code byXui} added {@code targetXui} to a contact list.
     *
     * @param approvalNeeded the target has "authorisation on" and is asked to approve
     */
    void added(String targetXui, String byXui, boolean approvalNeeded);

    /** {@code targetXui} approved being on {@code watcherXui}'s list. */
    void approved(String watcherXui, String targetXui);

    /** {@code targetXui} declined being on {@code watcherXui}'s list; the pending entry is gone. */
    void declined(String watcherXui, String targetXui);
}
