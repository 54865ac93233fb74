package org.parley.messaging.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.parley.accounts.Account;
import org.parley.accounts.AccountService;
import org.parley.http.Json;
import org.parley.http.PageView;
import org.parley.http.Paging;
import org.parley.http.ProblemException;
import org.parley.messaging.store.ControlsStore;
import org.parley.messaging.store.MessagingControls;
import org.parley.messaging.store.UsageLog;
import org.parley.messaging.store.UsageQuery;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The operator's messaging API, mounted under {@code /admin/v1} with
 * {@code ParleyHttpServer.Builder#adminService}: each user's controls (PP-10, PP-11, PP2-23,
 * UC 5.6, MO-2, PP2-17) and the usage records for charging (PP2-6, PP-49).
 */
public final class MessagingAdminResource implements HttpService {
    static final String NDJSON = "application/x-ndjson";

    private final AccountService accounts;
    private final ControlsEditor controls;
    private final UsageLog usage;

    public MessagingAdminResource(AccountService accounts, ControlsStore controls, UsageLog usage) {
        this.accounts = accounts;
        this.controls = new ControlsEditor(controls);
        this.usage = usage;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/users/{name}/messaging", this::getControls)
                .put("/users/{name}/messaging", this::replaceControls)
                .patch("/users/{name}/messaging", this::patchControls)
                .get("/usage", this::listUsage)
                .get("/usage/export", this::exportUsage);
    }

    private void getControls(ServerRequest req, ServerResponse res) {
        Json.send(res, 200, ControlsDocument.of(controls.get(account(req).username())));
    }

    private void replaceControls(ServerRequest req, ServerResponse res) {
        String username = account(req).username();
        MessagingControls replacement = Json.read(req, ControlsDocument.class).toControls();
        Json.send(res, 200, ControlsDocument.of(controls.update(username, current -> replacement)));
    }

    private void patchControls(ServerRequest req, ServerResponse res) {
        String username = account(req).username();
        ObjectNode body = PatchBody.readObject(req);
        PatchBody<ControlsDocument> patch = PatchBody.of(body, ControlsDocument.class, Set.of(ControlsDocument.LIMITS));
        Json.send(res, 200, ControlsDocument.of(
                controls.update(username, current -> patch.value().applyTo(current, patch.fields()))));
    }

    private void listUsage(ServerRequest req, ServerResponse res) {
        UsageQuery query = UsageFilters.from(req);
        Paging paging = Paging.from(req);
        Json.send(res, 200, PageView.of(usage.list(query, paging.offset(), paging.limit()), UsageRecordView::of));
    }

    /** Streams, rather than builds in memory, since a month of records for charging can be large. */
    private void exportUsage(ServerRequest req, ServerResponse res) {
        UsageQuery query = UsageFilters.from(req);
        res.header(HeaderNames.CONTENT_TYPE, NDJSON);
        try (Writer out = new BufferedWriter(new OutputStreamWriter(res.outputStream(), StandardCharsets.UTF_8))) {
            usage.export(query, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The account the path names; its canonical user name keys the controls however the path spelled it. */
    private Account account(ServerRequest req) {
        String name = req.path().pathParameters().get("name");
        return accounts.find(name).orElseThrow(() -> ProblemException.notFound("No user named '" + name + "'"));
    }
}
