package org.parley.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * RFC 9112 §9.6 over a raw socket: a request with {@code Connection: close} gets its whole response
 * and then the end of the connection, on every path (health, admin API, user API, XCAP, errors);
 * without it the connection stays open for the next request (§9.3).
 */
@DisplayName("RFC 9112 §9.6, issue 14 §5: Connection: close ends the connection after the whole response; keep-alive otherwise")
class ConnectionCloseTest {
    private static final int PATIENCE_MS = 5_000;
    private final TestServer http = new TestServer(b -> b.userRealm("example.org").xcapService(new Echo()));

    @AfterEach
    void stop() {
        http.close();
    }

    /** A raw response: its head (status line and fields) and the body its Content-Length announced. */
    private record Response(String head, String body) {
        int status() {
            return Integer.parseInt(head.substring(9, 12));
        }

        boolean says(String field, String value) {
            return head.lines().anyMatch(l -> l.toLowerCase(Locale.ROOT).equals(
                    field.toLowerCase(Locale.ROOT) + ": " + value.toLowerCase(Locale.ROOT)));
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", http.server.port());
        socket.setSoTimeout(PATIENCE_MS);
        return socket;
    }

    private static void write(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                fail("connection closed inside the response head: " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = text.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .map(l -> Integer.parseInt(l.substring(15).strip())).findFirst().orElseThrow();
        byte[] body = in.readNBytes(length);
        assertThat(body).as("the whole body before the end").hasSize(length);
        return new Response(text, new String(body, StandardCharsets.UTF_8));
    }

    /** One request asking to close: its whole response, then EOF well before the client would give up. */
    private Response closing(String request) throws IOException {
        try (Socket socket = connect()) {
            write(socket, request);
            InputStream in = socket.getInputStream();
            Response response = read(in);
            try {
                assertThat(in.read()).as("end of the connection after the response").isEqualTo(-1);
            } catch (SocketTimeoutException e) {
                fail("the connection stayed open " + PATIENCE_MS + " ms after a Connection: close response");
            }
            assertThat(response.says("Connection", "close")).as(response.head()).isTrue();
            return response;
        }
    }

    @Test
    @DisplayName("GET /health, the admin API, the user API and XCAP each end the connection after their response")
    void everyPath() throws IOException {
        assertThat(closing("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").body()).contains("status");
        assertThat(closing("GET /admin/v1/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestServer.TOKEN
                + "\r\nConnection: close\r\n\r\n").status()).isEqualTo(200);
        assertThat(closing("GET /xcap-root/anything HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestServer.TOKEN
                + "\r\nConnection: close\r\n\r\n").body()).isEqualTo("GET /anything");
    }

    @Test
    @DisplayName("error answers (401 challenge, 404 problem, 413 body limit) end the connection too")
    void errors() throws IOException {
        assertThat(closing("GET /api/v1/whoami HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status())
                .isEqualTo(401);
        Response notFound = closing("GET /admin/v1/no-such-thing HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + TestServer.TOKEN + "\r\nConnection: close\r\n\r\n");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.says("Content-Type", "application/problem+json")).as(notFound.head()).isTrue();
        assertThat(closing("POST /admin/v1/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestServer.TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n").status())
                .isEqualTo(413);
    }

    @Test
    @DisplayName("a request with a body, and the close option in any case among others, is answered and then closed")
    void bodyAndTokens() throws IOException {
        String body = "<resource-lists/>";
        assertThat(closing("PUT /xcap-root/doc HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestServer.TOKEN
                + "\r\nContent-Type: application/xml\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body).body()).isEqualTo("PUT /doc " + body);
        assertThat(closing("GET /health HTTP/1.1\r\nHost: x\r\nConnection: TE, Close\r\nTE: trailers\r\n\r\n")
                .status()).isIn(200, 503);
    }

    @Test
    @DisplayName("without Connection: close the connection serves request after request and stays open (RFC 9112 §9.3)")
    void keepAlive() throws IOException {
        try (Socket socket = connect()) {
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) {
                write(socket, "GET /xcap-root/n" + i + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + TestServer.TOKEN + "\r\n\r\n");
                Response response = read(in);
                assertThat(response.body()).isEqualTo("GET /n" + i);
                assertThat(response.says("Connection", "close")).isFalse();
            }
            socket.setSoTimeout(500);
            try {
                int next = in.read();
                fail("the server ended a keep-alive connection (read " + next + ")");
            } catch (SocketTimeoutException expected) {
                // still open, waiting for the next request
            }
            write(socket, "GET /xcap-root/last HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestServer.TOKEN
                    + "\r\nConnection: close\r\n\r\n");
            socket.setSoTimeout(PATIENCE_MS);
            assertThat(read(in).body()).isEqualTo("GET /last");
            assertThat(in.read()).as("closed after the request that asked for it").isEqualTo(-1);
        }
    }

    @Test
    @DisplayName("the close option is found among others in any case; malformed or look-alike values are not it")
    void closeOption() {
        assertThat(ConnectionClose.asksToClose(connection("close"))).isTrue();
        assertThat(ConnectionClose.asksToClose(connection(" keep-alive ,CLOSE"))).isTrue();
        assertThat(ConnectionClose.asksToClose(WritableHeaders.create())).isFalse();
        for (String other : new String[] {"", ",,", "keep-alive", "closed", "close-later", "clo se", "\"close\""}) {
            assertThat(ConnectionClose.asksToClose(connection(other))).as(other).isFalse();
        }
    }

    private static Headers connection(String value) {
        return WritableHeaders.create().set(HeaderNames.CONNECTION, value);
    }

    /** Answers with the method, the path below /xcap-root and the body it was sent. */
    private static final class Echo implements HttpService {
        @Override
        public void routing(HttpRules rules) {
            rules.any((req, res) -> {
                String body = req.content().hasEntity() ? " " + req.content().as(String.class) : "";
                res.send(req.prologue().method().text() + " " + req.path().path() + body);
            });
        }
    }
}
