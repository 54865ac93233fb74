package org.parley.xdm.oma;

/**
 * Told when a temporary group has been deleted, to tell its owner (UC 5.12 step 8). The owner's
 * devices also get the updated group usage list through XCAP change notification; this is for a
 * human-readable notice (the lead wires it to a SIP MESSAGE).
 */
@FunctionalInterface
public interface TemporaryGroupNotifier {
    void deleted(String ownerXui, String groupUri);
}
