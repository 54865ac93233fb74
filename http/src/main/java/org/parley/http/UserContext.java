package org.parley.http;

import io.helidon.webserver.http.ServerRequest;

import java.util.Optional;

/**
 * Who the user API authenticated for the current request. Handlers under {@value GuardedApi#USER_PATH} ask
 * here instead of reading the Authorization header, so they work unchanged whichever credential
 * (HTTP Basic today, a browser session token later) proved the identity.
 */
public final class UserContext {
    private UserContext() {
    }

    /** The canonical (lower-case) user name; only the user API's filter ever sets it. */
    public static String username(ServerRequest req) {
        return req.context().get(AuthenticatedUser.class).map(AuthenticatedUser::username)
                .orElseThrow(() -> new IllegalStateException(
                        "No authenticated user: the handler is not mounted with userService(...)"));
    }

    /** The authenticated subscriber, if a user's credentials (not the admin token) opened the door. */
    public static Optional<String> user(ServerRequest req) {
        return req.context().get(AuthenticatedUser.class).map(AuthenticatedUser::username);
    }

    /** Whether the admin token opened the door (only the admin filter ever sets it). */
    public static boolean isAdmin(ServerRequest req) {
        return req.context().get(AuthenticatedAdmin.class).isPresent();
    }

    static void set(ServerRequest req, String username) {
        req.context().register(new AuthenticatedUser(username));
    }

    static void setAdmin(ServerRequest req) {
        req.context().register(new AuthenticatedAdmin());
    }

    /** A private type as the context key, so nothing outside this class can forge the identity. */
    private record AuthenticatedUser(String username) {
    }

    private record AuthenticatedAdmin() {
    }
}
