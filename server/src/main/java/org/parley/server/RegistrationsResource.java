package org.parley.server;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.List;
import java.util.Optional;
import org.parley.accounts.Page;
import org.parley.http.Json;
import org.parley.http.PageView;
import org.parley.http.Paging;
import org.parley.registrar.Binding;
import org.parley.registrar.LocationService;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transport.Flow;

/**
 * {@code GET /admin/v1/registrations[?aor=]}: the live bindings with the access each came from
 * (transport, addresses, User-Agent, P-Access-Network-Info), for operators and, later, charging.
 */
final class RegistrationsResource implements HttpService {
    private final LocationService location;
    private final Scheduler scheduler;

    RegistrationsResource(LocationService location, Scheduler scheduler) {
        this.location = location;
        this.scheduler = scheduler;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/registrations", (req, res) -> {
            Paging paging = Paging.from(req);
            Optional<String> aor = req.query().first("aor").asOptional().filter(s -> !s.isBlank());
            List<Binding> all = location.all(scheduler.now()).stream()
                    .filter(b -> aor.isEmpty() || b.aor().equals(aor.get())).toList();
            List<Binding> page = all.subList(Math.min(paging.offset(), all.size()),
                    Math.min(paging.offset() + paging.limit(), all.size()));
            Json.send(res, 200, PageView.of(new Page<>(page, paging.offset(), paging.limit(), all.size()), this::view));
        });
    }

    private BindingView view(Binding b) {
        Flow f = b.flow();
        return new BindingView(b.aor(), b.contact().toString(), b.instanceId(), b.regId(), b.q(),
                b.expiresAt().toString(), b.remaining(scheduler.now()).toSeconds(), b.path(), f.transport().name(),
                Flow.format(f.local()), Flow.format(f.remote()), b.userAgent(), b.accessNetworkInfo(),
                b.registeredAt().toString());
    }

    record BindingView(String aor, String contact, String instance, int regId, float q, String expiresAt,
                       long expiresIn, List<String> path, String transport, String local, String remote,
                       String userAgent, String accessNetworkInfo, String registeredAt) {
    }
}
