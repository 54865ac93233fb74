package org.parley.messaging.http;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.parley.http.Json;
import org.parley.http.PageView;
import org.parley.http.Paging;
import org.parley.http.ProblemException;
import org.parley.http.UserContext;
import org.parley.messaging.chat.SessionArchive;
import org.parley.messaging.chat.SessionMessage;

/**
 * The user's kept chat session messages (PP-38, PP-42), under {@code /api/v1}: list, read and
 * delete them, and ask for the messages of one's sessions to be kept or not. Always the
 * authenticated user's own: the path names nobody.
 */
public final class SessionMessagesResource implements HttpService {
    private final SessionArchive archive;
    private final boolean operatorKeepsAll;

    /** @param operatorKeepsAll the operator keeps every message for its recipient (shown, not changeable here) */
    public SessionMessagesResource(SessionArchive archive, boolean operatorKeepsAll) {
        this.archive = archive;
        this.operatorKeepsAll = operatorKeepsAll;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/me/chat/messages", this::list)
                .get("/me/chat/messages/{id}", this::get)
                .delete("/me/chat/messages/{id}", this::delete)
                .get("/me/chat/storage", this::storage)
                .put("/me/chat/storage", this::setStorage);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Paging paging = Paging.from(req);
        Json.send(res, 200, PageView.of(archive.list(UserContext.username(req), paging.offset(), paging.limit()),
                Summary::of));
    }

    private void get(ServerRequest req, ServerResponse res) {
        SessionMessage m = id(req).flatMap(id -> archive.get(UserContext.username(req), id))
                .orElseThrow(() -> ProblemException.notFound("No such kept message"));
        Json.send(res, 200, Full.of(m));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        if (id(req).map(id -> archive.delete(UserContext.username(req), id)).orElse(false)) {
            res.status(204).send();
        } else {
            throw ProblemException.notFound("No such kept message");
        }
    }

    private void storage(ServerRequest req, ServerResponse res) {
        Json.send(res, 200, new Storage(archive.keepsSessions(UserContext.username(req)), operatorKeepsAll));
    }

    private void setStorage(ServerRequest req, ServerResponse res) {
        StorageRequest asked = Json.read(req, StorageRequest.class);
        if (asked.keepSessions() == null) {
            throw ProblemException.badRequest("keepSessions (true or false) is required");
        }
        String user = UserContext.username(req);
        archive.keepSessions(user, asked.keepSessions());
        Json.send(res, 200, new Storage(asked.keepSessions(), operatorKeepsAll));
    }

    /** A malformed id names no message: 404, as an unknown one. */
    private static Optional<UUID> id(ServerRequest req) {
        try {
            return Optional.of(UUID.fromString(req.path().pathParameters().get("id")));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    record StorageRequest(Boolean keepSessions) {
    }

    record Storage(boolean keepSessions, boolean operatorKeepsAll) {
    }

    /** A kept message in a listing: everything but the body. */
    record Summary(String id, String callId, String sender, String recipient, String messageId, String contentType,
                   int size, String storedAt) {
        static Summary of(SessionMessage m) {
            return new Summary(m.id().toString(), m.callId(), m.sender(), m.recipient(), m.messageId(), m.contentType(),
                    m.body().length, m.storedAt().toString());
        }
    }

    /** A kept message with its body: as text when it is text in UTF-8, else base64 ({@code bodyEncoding} says which). */
    record Full(String id, String callId, String sender, String recipient, String messageId, String contentType,
                int size, String storedAt, String bodyEncoding, String body) {
        static Full of(SessionMessage m) {
            Optional<String> text = text(m);
            return new Full(m.id().toString(), m.callId(), m.sender(), m.recipient(), m.messageId(), m.contentType(),
                    m.body().length, m.storedAt().toString(), text.isPresent() ? "utf-8" : "base64",
                    text.orElseGet(() -> Base64.getEncoder().encodeToString(m.body())));
        }

        private static Optional<String> text(SessionMessage m) {
            String type = m.contentType().toLowerCase(Locale.ROOT);
            if (!type.startsWith("text/") && !type.startsWith("message/cpim")) {
                return Optional.empty();
            }
            try {
                return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(m.body())).toString());
            } catch (CharacterCodingException e) {
                return Optional.empty();
            }
        }
    }
}
