package org.parley.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /admin/v1/openapi.json}: the hand-written OpenAPI 3.1 description kept next to the code. */
final class OpenApiResource implements HttpService {
    private static final String RESOURCE = "openapi.json";

    private final byte[] document = load();

    @Override
    public void routing(HttpRules rules) {
        rules.get("/openapi.json", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, Json.MEDIA_TYPE).send(document));
    }

    private static byte[] load() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing classpath resource " + RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
