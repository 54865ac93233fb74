package org.parley.xdm;

import org.w3c.dom.Document;

import java.util.Optional;

/**
 * An XCAP application usage (RFC 4825 §5): what documents under one AUID look like and which
 * constraints beyond their schema they obey. The XCAP server validates every write against it.
 */
public interface ApplicationUsage {
    /** The application unique ID, e.g. "resource-lists". */
    String auid();

    /** The MIME type of whole documents, e.g. "application/resource-lists+xml". */
    String mimeType();

    /** The namespace of unprefixed names in node selectors (RFC 4825 §6.3). */
    String defaultNamespace();

    /**
     * Checks a complete document after a change (RFC 4825 §8.2.5 / §8.4): schema first, then the
     * usage's own constraints (uniqueness, allowed values...).
     *
     * @throws XcapConflict the 409 condition to report (schema-validation-error,
     *                      uniqueness-failure, constraint-failure)
     */
    void validate(Document document, DocumentContext context) throws XcapConflict;

    /**
     * A document of the global tree the usage generates itself (such as xcap-caps' index), served
     * read-only in place of any stored one.
     */
    default Optional<byte[]> globalDocument(String documentName) {
        return Optional.empty();
    }
}
