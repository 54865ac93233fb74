package org.parley.xdm.xcap;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.parley.http.UserContext;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * XCAP over HTTP, mounted at {@code /xcap-root} with {@code ParleyHttpServer.Builder#xcapService}.
 * The admin token reaches every document; a subscriber reaches their own user tree
 * ({@code users/sip:<name>@<domain>/...}) and reads the global tree, anything else is 403.
 * The door in front (the http module) takes HTTP Digest (RFC 4825 §9) or Basic with the SIP
 * credentials, or the admin token.
 */
public final class XcapResource implements HttpService {
    private static final String ROOT = "/xcap-root";

    private final XcapService service;
    private final String domain;
    private final AccessRule others;

    /**
     * @param domain the SIP domain, which makes a user name into the XUI of their documents
     * @param others who besides the owner may reach a document in the users tree
     */
    public XcapResource(XcapService service, String domain, AccessRule others) {
        this.service = service;
        this.domain = domain;
        this.others = others;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(this::handle);
    }

    private void handle(ServerRequest req, ServerResponse res) {
        try {
            XcapUri uri = uri(req);
            authorise(req, uri);
            Conditions conditions = Conditions.of(req.headers().first(HeaderNames.IF_MATCH),
                    req.headers().first(HeaderNames.IF_NONE_MATCH));
            Method method = req.prologue().method();
            XcapService.Response response;
            if (method == Method.GET || method == Method.HEAD) {
                response = service.get(uri, conditions);
            } else if (method == Method.PUT) {
                byte[] body = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
                response = service.put(uri, req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null), body,
                        conditions);
            } else if (method == Method.DELETE) {
                response = service.delete(uri, conditions);
            } else {
                throw XcapError.notAllowed(uri.global() ? "GET, HEAD" : "GET, HEAD, PUT, DELETE",
                        "XCAP uses GET, PUT and DELETE");
            }
            send(res, response, method == Method.HEAD);
        } catch (XcapError e) {
            send(res, e);
        } catch (XcapUri.Invalid e) {
            send(res, XcapError.of(e.status(), e.getMessage()));
        }
    }

    private static XcapUri uri(ServerRequest req) throws XcapUri.Invalid {
        String raw = req.path().absolute().rawPath();
        if (!raw.startsWith(ROOT + "/")) {
            throw new XcapUri.Invalid(404, "Not an XCAP resource");
        }
        String host = req.headers().first(HeaderNames.HOST).orElse(req.localPeer().host());
        String root = (req.isSecure() ? "https://" : "http://") + host + ROOT;
        return XcapUri.parse(root, raw.substring(ROOT.length()), req.query().rawValue().isEmpty() ? null
                : req.query().rawValue());
    }

    private void authorise(ServerRequest req, XcapUri uri) throws XcapError {
        if (UserContext.isAdmin(req)) {
            return;
        }
        Optional<String> user = UserContext.user(req);
        if (user.isEmpty()) {
            throw XcapError.of(403, "Not authenticated");
        }
        String requester = "sip:" + user.get() + "@" + domain;
        boolean own = !uri.global() && uri.xui().equals(requester);
        Method method = req.prologue().method();
        boolean write = method != Method.GET && method != Method.HEAD;
        if (!own && !uri.global() && !others.permits(requester, uri, write)) {
            throw XcapError.of(403, "A user may only reach their own documents");
        }
    }

    /** @param head HEAD (RFC 9110 §9.3.2): the headers a GET would have, the length included, and no body */
    private static void send(ServerResponse res, XcapService.Response response, boolean head) {
        res.status(Status.create(response.status()));
        if (response.etag() != null) {
            res.header(HeaderNames.ETAG, '"' + response.etag() + '"');
        }
        if (response.contentType() != null) {
            res.header(HeaderNames.CONTENT_TYPE, response.contentType());
        }
        if (head) {
            res.contentLength(response.body().length);
            res.send();
        } else {
            res.send(response.body());
        }
    }

    private static void send(ServerResponse res, XcapError error) {
        res.status(Status.create(error.status()));
        for (Map.Entry<String, String> header : error.headers().entrySet()) {
            res.header(header.getKey(), header.getValue());
        }
        if (error.xcapConflict().isPresent()) {
            res.header(HeaderNames.CONTENT_TYPE, ErrorDocument.MIME_TYPE);
            res.send(ErrorDocument.render(error.xcapConflict().get()));
        } else {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
            res.send(error.getMessage().getBytes(StandardCharsets.UTF_8));
        }
    }
}
