package org.parley.messaging.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import org.parley.http.Json;
import org.parley.http.ProblemException;

import java.util.HashSet;
import java.util.Set;

/**
 * A PATCH body (RFC 7396 merge-patch semantics): the fields it names, and their values as
 * {@code type}. Records cannot tell an absent field from an explicit null, and here the difference
 * matters: absent leaves a setting alone, null clears it. Null is refused for settings that
 * cannot be cleared.
 */
record PatchBody<T>(T value, Set<String> fields) {
    static ObjectNode readObject(ServerRequest req) {
        return Json.read(req, ObjectNode.class);
    }

    static <T> PatchBody<T> of(ObjectNode body, Class<T> type, Set<String> clearable) {
        Set<String> fields = new HashSet<>();
        body.properties().forEach(field -> {
            if (field.getValue().isNull() && !clearable.contains(field.getKey())) {
                throw ProblemException.badRequest("'" + field.getKey() + "' cannot be null");
            }
            fields.add(field.getKey());
        });
        try {
            return new PatchBody<>(Json.mapper().treeToValue(body, type), Set.copyOf(fields));
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("Malformed JSON: " + e.getOriginalMessage());
        }
    }

    boolean has(String field) {
        return fields.contains(field);
    }
}
