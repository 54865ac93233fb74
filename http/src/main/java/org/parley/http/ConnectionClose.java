package org.parley.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http1.Http1ConnectionListener;

import java.util.Arrays;

/**
 * Ends the connection after the response to a request that carries the {@code close} connection
 * option (RFC 9112 §9.6), on every listener and path. Helidon 4.3 (and 4.5) answers such a request
 * with {@code Connection: close} and then waits on the connection for another request
 * (helidon-io/helidon#12324), so a client waiting for the promised end hangs until its own timeout.
 * <p>
 * Helidon hands a request's connection to receive listeners only, not to routing; both run on the
 * connection's own thread, so the listener leaves the connection there for the filter, which closes
 * its socket once the response is written — also when an error handler writes it, which no code
 * after {@code chain.proceed()} would see. Responses are written straight to the socket (no write
 * queue is configured), so nothing of them is left behind when it closes.
 * <p>
 * With Helidon's own fix this class goes; {@link ConnectionCloseTest} shows the behaviour either way.
 */
final class ConnectionClose implements Http1ConnectionListener, Filter {
    /** The connection the current thread serves; set as each request's header fields are read. */
    private static final ThreadLocal<ConnectionContext> CONNECTION = new ThreadLocal<>();

    @Override
    public void headers(ConnectionContext connection, Headers headers) {
        CONNECTION.set(connection);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        ConnectionContext connection = CONNECTION.get();
        if (connection != null && asksToClose(req.headers())) {
            res.header(HeaderValues.CONNECTION_CLOSE);
            res.whenSent(() -> connection.serverSocket().close());
        }
        chain.proceed();
    }

    /** Connection options are a comma-separated list of case-insensitive tokens (RFC 9110 §7.6.1). */
    static boolean asksToClose(Headers headers) {
        return headers.contains(HeaderNames.CONNECTION) && headers.get(HeaderNames.CONNECTION).allValues().stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .anyMatch(option -> option.strip().equalsIgnoreCase("close"));
    }
}
