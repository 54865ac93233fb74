package org.parley.http;

import io.helidon.http.HttpException;
import io.helidon.webserver.http.HttpRouting;
import org.parley.accounts.AccountException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every failure into an RFC 9457 problem document; unexpected ones are logged and become a bare 500. */
final class ErrorHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlers.class);

    private ErrorHandlers() {
    }

    static void register(HttpRouting.Builder routing) {
        routing.error(ProblemException.class, (req, res, e) -> Json.sendProblem(req, res, e.problem()))
                .error(AccountException.class, (req, res, e) -> Json.sendProblem(req, res, fromAccount(e)))
                .error(HttpException.class, (req, res, e) -> Json.sendProblem(req, res,
                        Problem.of("http-" + e.status().code(), e.status().reasonPhrase(), e.status().code(),
                                e.getMessage())))
                .error(RuntimeException.class, (req, res, e) -> {
                    LOG.error("Unexpected failure serving {} {}", req.prologue().method().text(),
                            req.path().absolute().path(), e);
                    Json.sendProblem(req, res, Problem.of("internal", "Internal Server Error", 500,
                            "The server failed to handle the request; see its log"));
                });
    }

    private static Problem fromAccount(AccountException e) {
        return switch (e.kind()) {
            case INVALID -> Problem.of("invalid-account", "Invalid account data", 400, e.getMessage());
            case CONFLICT -> Problem.of("conflict", "Identity already taken", 409, e.getMessage());
            case NOT_FOUND -> Problem.of("not-found", "Not Found", 404, e.getMessage());
        };
    }
}
