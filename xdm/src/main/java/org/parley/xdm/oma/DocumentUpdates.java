package org.parley.xdm.oma;

import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.parley.xdm.XcapDocuments;
import org.parley.xdm.xcap.Xml;
import org.parley.xml.XmlWriter;
import org.w3c.dom.Document;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Read-modify-write of a whole document under its ETag, so that a change made meanwhile by the
 * user's other device (over XCAP) is never overwritten: on a 412 the edit is redone on the fresh
 * document.
 */
public final class DocumentUpdates {
    private static final int ATTEMPTS = 5;

    private final XcapDocuments documents;

    public DocumentUpdates(XcapDocuments documents) {
        this.documents = documents;
    }

    /** An edit of the parsed document; it may throw to abort (nothing is written then). */
    @FunctionalInterface
    public interface Edit<R> {
        R apply(Document document) throws XcapConflict;
    }

    /**
     * Applies {@code edit} to the stored document, or to {@code blank}'s result when there is none,
     * and writes it back.
     *
     * @throws XcapConflict when the usage refuses the edited document, or the edit itself does
     */
    public <R> R update(DocumentContext where, Supplier<Document> blank, Edit<R> edit)
            throws XcapConflict {
        for (int attempt = 1; ; attempt++) {
            Optional<XcapDocuments.Stored> stored = documents.read(where);
            Document document = stored.isPresent() ? parseStored(where, stored.get()) : blank.get();
            R result = edit.apply(document);
            try {
                documents.write(where, XmlWriter.document(document), stored.map(XcapDocuments.Stored::etag));
                return result;
            } catch (XcapDocuments.PreconditionFailed e) {
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException("document " + where + " keeps changing under us", e);
                }
            }
        }
    }

    public Optional<Document> read(DocumentContext where) {
        return documents.read(where).map(stored -> parseStored(where, stored));
    }

    /** Stored documents passed validation when written, so one that does not parse is a server fault. */
    private static Document parseStored(DocumentContext where, XcapDocuments.Stored stored) {
        try {
            return Xml.parse(stored.content());
        } catch (XcapConflict e) {
            throw new IllegalStateException("stored document " + where + " is not well-formed", e);
        }
    }

    public XcapDocuments documents() {
        return documents;
    }
}
