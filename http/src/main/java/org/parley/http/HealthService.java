package org.parley.http;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /health}: 200 once every readiness check is up, 503 before (load balancers, scripts).
 * {@code HEAD /health} gives the same status without the body: many load balancers probe with HEAD.
 */
final class HealthService implements HttpService {
    private final Readiness readiness;

    HealthService(Readiness readiness) {
        this.readiness = readiness;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", (req, res) -> {
            boolean ready = readiness.ready();
            Map<String, String> checks = new LinkedHashMap<>();
            readiness.snapshot().forEach((name, up) -> checks.put(name, up ? "UP" : "DOWN"));
            Json.send(res, ready ? 200 : 503, new Health(ready ? "UP" : "DOWN", checks));
        });
        rules.head("/health", (req, res) -> res.status(readiness.ready() ? 200 : 503).send());
    }

    record Health(String status, Map<String, String> checks) {
    }
}
