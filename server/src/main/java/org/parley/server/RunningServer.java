package org.parley.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The server of this installation, if one runs, reached over its own admin API. The command line
 * changes the store directly, but a running server keeps live registrations and subscriptions in
 * memory: an account deleted behind its back would stay registered and watched until they expire.
 * <p>
 * It is reached at {@code http.port} of the same configuration with the admin token of the same
 * installation (configured, or the one the server generated into the data directory; never
 * generated here). Without a token, a port, or an answer there is no server to tell; a server
 * refusing the token is another installation's.
 */
final class RunningServer {
    private static final Duration CONNECT_PATIENCE = Duration.ofSeconds(2);
    /** Deleting ends subscriptions (one NOTIFY each) and erases every module's data: give it time. */
    private static final Duration DELETE_PATIENCE = Duration.ofSeconds(60);

    private final ServerSettings settings;

    RunningServer(ServerSettings settings) {
        this.settings = settings;
    }

    /**
     * Deletes the account through the running server ({@code DELETE /admin/v1/users/NAME}), which
     * ends its registrations and subscriptions with their NOTIFYs as it erases its data.
     *
     * @return whether a server of this installation deleted it
     */
    boolean deleteAccount(String name) {
        Optional<String> token = adminToken();
        int port = settings.http().port();
        if (token.isEmpty() || port == 0) {
            return false;
        }
        try {
            URI uri = new URI("http", null, host(), port, "/admin/v1/users/" + name, null, null);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(DELETE_PATIENCE)
                    .header("Authorization", "Bearer " + token.get()).DELETE().build();
            try (HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_PATIENCE).build()) {
                return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 204;
            }
        } catch (IOException | URISyntaxException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Optional<String> adminToken() {
        if (settings.adminToken().isPresent()) {
            return settings.adminToken().map(Secret::reveal);
        }
        Path file = settings.dataDir().resolve(AdminToken.FILE_NAME);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip())
                    .filter(t -> !t.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The HTTP bind address, or loopback when the server listens on every interface. */
    private String host() throws UnknownHostException {
        InetAddress bind = InetAddress.getByName(settings.http().bindAddress());
        InetAddress address = bind.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bind;
        return address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    }
}
