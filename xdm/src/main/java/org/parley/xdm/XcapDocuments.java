package org.parley.xdm;

import java.util.List;
import java.util.Optional;

/**
 * The documents of the XDM server as the services on top of XCAP use them (contact lists,
 * groups, search, the messaging server's stored lists, later presence): whole documents,
 * byte-exact, with their ETags, and the same validation and change notification as an XCAP PUT.
 */
public interface XcapDocuments {
    /** A stored document: its bytes as written and its strong ETag. */
    record Stored(byte[] content, String etag) {
    }

    Optional<Stored> read(DocumentContext where);

    /**
     * Writes a whole document if its current ETag is {@code ifMatch} (empty: only if absent,
     * null: unconditionally).
     *
     * @return the new ETag
     * @throws XcapConflict       when the usage refuses the document
     * @throws PreconditionFailed when the ETag did not match (412)
     */
    String write(DocumentContext where, byte[] content, Optional<String> ifMatch) throws XcapConflict, PreconditionFailed;

    boolean delete(DocumentContext where);

    /** The documents of one user under one AUID (e.g. all their resource-lists documents). */
    List<String> documentNames(String auid, String xui);

    /** The users that have documents under one AUID (e.g. every owner of rls-services), for indexes across users. */
    List<String> users(String auid);

    /** Told of every change, with the old and new ETag (null when absent), for xcap-diff (RFC 5875). */
    void addListener(ChangeListener listener);

    @FunctionalInterface
    interface ChangeListener {
        void changed(DocumentContext where, String oldEtag, String newEtag);
    }

    /** The If-Match / If-None-Match condition did not hold (HTTP 412). */
    final class PreconditionFailed extends Exception {
        public PreconditionFailed(String message) {
            super(message, null, false, false);
        }
    }
}
