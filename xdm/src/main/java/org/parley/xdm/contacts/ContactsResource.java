package org.parley.xdm.contacts;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.parley.http.Json;
import org.parley.http.Problem;
import org.parley.http.ProblemException;
import org.parley.http.UserContext;

import java.util.List;
import java.util.Optional;

/**
 * A subscriber's own contact lists under {@code /api/v1/contacts}, mounted with
 * {@code ParleyHttpServer.Builder#userService}. Paths never name the owner: it is always the
 * authenticated user.
 * <ul>
 *   <li>{@code GET /contacts}: all lists;</li>
 *   <li>{@code POST /contacts/lists} {@code {"name","displayName"?}}, {@code DELETE /contacts/lists/{list}};</li>
 *   <li>{@code POST /contacts/lists/{list}/entries} {@code {"contact","nickname"?}}: add by user name,
 *       alias, E.164 number or XUI (UC 5.19, PP-45);</li>
 *   <li>{@code PATCH /contacts/lists/{list}/entries/{uri}} {@code {"nickname"?,"list"?}}: rename
 *       (409 when the name is taken, Modify Contact Name) and/or move (UC 5.9);</li>
 *   <li>{@code DELETE /contacts/lists/{list}/entries/{uri}};</li>
 *   <li>{@code GET /contacts/requests}: the requests of users who added you and wait for your answer;</li>
 *   <li>{@code POST /contacts/requests/approve} and {@code /decline} {@code {"watcher"}}: answer a
 *       request from someone who added you (UC 5.1 step 35), the watcher named like a contact.</li>
 * </ul>
 */
public final class ContactsResource implements HttpService {
    private final ContactService contacts;

    public ContactsResource(ContactService contacts) {
        this.contacts = contacts;
    }

    record NewList(String name, String displayName) {
    }

    record NewEntry(String contact, String nickname) {
    }

    record EntryChange(String nickname, String list) {
    }

    record Answer(String watcher) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ContactView(String uri, String nickname, boolean pending) {
        static ContactView of(Contact c) {
            return new ContactView(c.uri(), c.nickname().orElse(null), c.pending());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ListView(String name, String displayName, List<ContactView> contacts) {
        static ListView of(ContactList l) {
            return new ListView(l.name(), l.displayName().orElse(null),
                    l.contacts().stream().map(ContactView::of).toList());
        }
    }

    record Lists(List<ListView> lists) {
    }

    record Requests(List<ContactRequest> requests) {
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/contacts", guarded(this::lists))
                .post("/contacts/lists", guarded(this::createList))
                .delete("/contacts/lists/{list}", guarded(this::deleteList))
                .post("/contacts/lists/{list}/entries", guarded(this::add))
                .patch("/contacts/lists/{list}/entries/{uri}", guarded(this::change))
                .delete("/contacts/lists/{list}/entries/{uri}", guarded(this::remove))
                .get("/contacts/requests", guarded(this::requests))
                .post("/contacts/requests/approve", guarded(this::approve))
                .post("/contacts/requests/decline", guarded(this::decline));
    }

    private void lists(ServerRequest req, ServerResponse res) {
        Json.send(res, 200, new Lists(contacts.lists(me(req)).stream().map(ListView::of).toList()));
    }

    private void createList(ServerRequest req, ServerResponse res) {
        NewList body = Json.read(req, NewList.class);
        Json.send(res, 201, ListView.of(contacts.createList(me(req), body.name(),
                Optional.ofNullable(body.displayName()))));
    }

    private void deleteList(ServerRequest req, ServerResponse res) {
        contacts.deleteList(me(req), param(req, "list"));
        res.status(204).send();
    }

    private void add(ServerRequest req, ServerResponse res) {
        NewEntry body = Json.read(req, NewEntry.class);
        Json.send(res, 201, ContactView.of(contacts.add(me(req), param(req, "list"), body.contact(),
                Optional.ofNullable(body.nickname()))));
    }

    /** Renames first, then moves, so a rename that clashes leaves the entry where it was. */
    private void change(ServerRequest req, ServerResponse res) {
        EntryChange body = Json.read(req, EntryChange.class);
        if (body.nickname() == null && body.list() == null) {
            throw ProblemException.badRequest("give a new nickname, a list to move to, or both");
        }
        String me = me(req);
        String list = param(req, "list");
        String uri = param(req, "uri");
        if (body.nickname() != null) {
            contacts.rename(me, list, uri, body.nickname());
        }
        if (body.list() != null) {
            contacts.move(me, list, uri, body.list());
        }
        lists(req, res);
    }

    private void remove(ServerRequest req, ServerResponse res) {
        contacts.remove(me(req), param(req, "list"), param(req, "uri"));
        res.status(204).send();
    }

    private void requests(ServerRequest req, ServerResponse res) {
        Json.send(res, 200, new Requests(contacts.requests(me(req))));
    }

    private void approve(ServerRequest req, ServerResponse res) {
        contacts.approve(me(req), watcher(req));
        res.status(204).send();
    }

    private void decline(ServerRequest req, ServerResponse res) {
        contacts.decline(me(req), watcher(req));
        res.status(204).send();
    }

    private static String watcher(ServerRequest req) {
        Answer body = Json.read(req, Answer.class);
        if (body.watcher() == null || body.watcher().isBlank()) {
            throw ProblemException.badRequest("'watcher' names who asked to add you");
        }
        return body.watcher().strip();
    }

    private String me(ServerRequest req) {
        return contacts.xuiOf(UserContext.username(req));
    }

    private static String param(ServerRequest req, String name) {
        return req.path().pathParameters().get(name);
    }

    /** The service's refusals become problem documents: the success or failure answer of Modify Contact Name. */
    private static Handler guarded(Handler handler) {
        return (req, res) -> {
            try {
                handler.handle(req, res);
            } catch (ContactException e) {
                throw switch (e.kind()) {
                    case NOT_FOUND -> ProblemException.notFound(e.getMessage());
                    case INVALID -> ProblemException.badRequest(e.getMessage());
                    case CONFLICT -> new ProblemException(new Problem("urn:parley:problem:conflict", "Conflict", 409,
                            e.getMessage(), null));
                };
            }
        };
    }
}
