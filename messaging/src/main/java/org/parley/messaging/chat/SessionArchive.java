package org.parley.messaging.chat;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.parley.accounts.Page;

/** Kept chat session messages (PP-38, PP-42) and the users who asked for theirs to be kept. */
public interface SessionArchive {
    void store(SessionMessage message);

    /** The owner's messages, oldest first; bodies included. */
    Page<SessionMessage> list(String owner, int offset, int limit);

    Optional<SessionMessage> get(String owner, UUID id);

    /** @return false when the owner has no such message */
    boolean delete(String owner, UUID id);

    /** Whether the user asked for the messages of their sessions to be kept (PP-42). */
    boolean keepsSessions(String owner);

    void keepSessions(String owner, boolean keep);

    /** Everything kept for the owner, for the export of an account (PP2-5). */
    List<SessionMessage> all(String owner);

    /** Deletes everything kept for the owner and the request to keep more (account deletion). */
    void erase(String owner);
}
