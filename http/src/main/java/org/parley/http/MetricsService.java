package org.parley.http;

import io.helidon.http.HeaderNames;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: the shared Micrometer registry in the Prometheus text exposition format. */
final class MetricsService implements HttpService {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    MetricsService(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/metrics", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, PROMETHEUS_TEXT)
                .send(registry.scrape().getBytes(StandardCharsets.UTF_8)));
    }
}
