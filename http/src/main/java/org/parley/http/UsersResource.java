package org.parley.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.parley.accounts.Account;
import org.parley.accounts.AccountDataService;
import org.parley.accounts.AccountService;
import org.parley.accounts.AccountUpdate;
import org.parley.accounts.NewAccount;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * {@code /admin/v1/users}: the REST face of {@link AccountService} (C9, GO-2). Deleting an account
 * deletes everything the server keeps about it ({@link AccountDataService}).
 */
final class UsersResource implements HttpService {
    static final String BASE = "/admin/v1/users";

    private final AccountService accounts;
    private final AccountDataService data;

    UsersResource(AccountDataService data) {
        this.accounts = data.accounts();
        this.data = data;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/users", this::create)
                .get("/users", this::list)
                .get("/users/{name}", this::get)
                .patch("/users/{name}", this::update)
                .delete("/users/{name}", this::delete);
    }

    private void create(ServerRequest req, ServerResponse res) {
        CreateUser body = Json.read(req, CreateUser.class);
        require(body.username(), "username");
        require(body.password(), "password");
        Account created = accounts.create(new NewAccount(body.username(), body.password(),
                Optional.ofNullable(body.displayName()), Optional.ofNullable(body.e164()), aliases(body.aliases())));
        res.header(HeaderNames.LOCATION, BASE + "/" + URLEncoder.encode(created.username(), StandardCharsets.UTF_8)
                .replace("+", "%20"));
        Json.send(res, 201, UserView.of(created));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Paging paging = Paging.from(req);
        Json.send(res, 200, PageView.of(accounts.list(paging.offset(), paging.limit()), UserView::of));
    }

    private void get(ServerRequest req, ServerResponse res) {
        String name = name(req);
        Account account = accounts.find(name).orElseThrow(() -> noSuchUser(name));
        Json.send(res, 200, UserView.of(account));
    }

    private void update(ServerRequest req, ServerResponse res) {
        UpdateUser body = Json.read(req, UpdateUser.class);
        Account updated = accounts.update(name(req), new AccountUpdate(Optional.ofNullable(body.password()),
                Optional.ofNullable(body.displayName()), Optional.ofNullable(body.e164()),
                Optional.ofNullable(body.aliases()).map(UsersResource::aliases)));
        Json.send(res, 200, UserView.of(updated));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String name = name(req);
        if (!data.delete(name)) {
            throw noSuchUser(name);
        }
        res.status(204).send();
    }

    private static String name(ServerRequest req) {
        return req.path().pathParameters().get("name");
    }

    private static ProblemException noSuchUser(String name) {
        return ProblemException.notFound("No user named '" + name + "'");
    }

    private static void require(String value, String field) {
        if (value == null) {
            throw ProblemException.badRequest("'" + field + "' is required");
        }
    }

    private static List<String> aliases(List<String> aliases) {
        if (aliases == null) {
            return List.of();
        }
        if (aliases.contains(null)) {
            throw ProblemException.badRequest("'aliases' must not contain null");
        }
        return aliases;
    }

    /** Body of POST; absent optional fields are JSON null. */
    record CreateUser(String username, String password, String displayName, String e164, List<String> aliases) {
    }

    /** Body of PATCH: absent fields are left as they are. */
    record UpdateUser(String password, String displayName, String e164, List<String> aliases) {
    }

    /** What the API shows of an account: never any credential. */
    record UserView(String username, String displayName, String e164, List<String> aliases, String created) {
        static UserView of(Account a) {
            return new UserView(a.username(), a.displayName(), a.e164().orElse(null), a.aliases(),
                    a.created().toString());
        }
    }
}
