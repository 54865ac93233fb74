package org.parley.server;

import org.parley.config.Config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.accounts.JdbiAccountService;
import org.parley.accounts.NewAccount;
import org.parley.store.Database;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * C1/GS-1: the assembled server over real HTTP and HTTPS on loopback: health, the generated
 * self-signed certificate (GS-5 TLS for client traffic) and the generated admin token.
 */
@DisplayName("C1, GS-1: assembled server, HTTPS with the generated certificate, admin token")
class ParleyServerTest {
    @TempDir
    Path dataDir;

    private ServerSettings settings(Map<String, String> extra) {
        Map<String, String> flags = new java.util.HashMap<>(Map.of(
                "data.dir", dataDir.toString(), "parley.domain", "example.test",
                "http.bind-address", "127.0.0.1", "http.port", "0", "https.port", "0"));
        flags.putAll(TestServer.EPHEMERAL_SIP);
        flags.putAll(extra);
        return ServerSettings.from(Config.load(Optional.empty(), Map.of(), flags));
    }

    @Test
    void servesHealthOverHttpAndHttpsWithTheGeneratedCertificate() throws Exception {
        ParleyServer server = ParleyServer.start(settings(Map.of()));
        try {
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.httpPort() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"database\":\"UP\"", "\"http\":\"UP\"");

            Path certificate = dataDir.resolve("tls/parley-cert.pem");
            X509Certificate cert = readCertificate(certificate);
            assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=example.test");
            assertThat(cert.getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1))
                    .contains("example.test", "localhost", "127.0.0.1");
            assertThat(Files.getPosixFilePermissions(dataDir.resolve("tls/parley-key.pem")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

            URI https = URI.create("https://127.0.0.1:" + server.httpsPort() + "/health");
            HttpResponse<String> secure = HttpClient.newBuilder().sslContext(trusting(cert)).build()
                    .send(HttpRequest.newBuilder(https).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(secure.statusCode()).isEqualTo(200);

            assertThatThrownBy(() -> HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(https).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("an untrusted self-signed certificate is refused by default")
                    .isInstanceOf(SSLHandshakeException.class);
        } finally {
            server.stop();
        }
    }

    @Test
    @DisplayName("RFC 9112 §9.6 on the HTTPS listener too: Connection: close gets the whole response, then the end")
    void httpsEndsTheConnectionWhenAsked() throws Exception {
        ParleyServer server = ParleyServer.start(settings(Map.of()));
        try (SSLSocket socket = (SSLSocket) trusting(readCertificate(dataDir.resolve("tls/parley-cert.pem")))
                .getSocketFactory().createSocket("127.0.0.1", server.httpsPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            // read to the end: a connection left open fails here with a SocketTimeoutException
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close")
                    .contains("\"http\":\"UP\"");
        } finally {
            server.stop();
        }
    }

    @Test
    void generatedAdminTokenIsPrivateWorksAndSurvivesARestart() throws Exception {
        ParleyServer first = ParleyServer.start(settings(Map.of()));
        Path tokenFile = dataDir.resolve("admin.token");
        String token;
        byte[] certificate;
        try {
            token = Files.readString(tokenFile).trim();
            certificate = Files.readAllBytes(dataDir.resolve("tls/parley-cert.pem"));
            assertThat(token).hasSizeGreaterThanOrEqualTo(32);
            assertThat(Files.getPosixFilePermissions(tokenFile))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(adminStatus(first, token)).isEqualTo(200);
            assertThat(adminStatus(first, "not-" + token)).isEqualTo(401);
        } finally {
            first.stop();
        }

        ParleyServer second = ParleyServer.start(settings(Map.of()));
        try {
            assertThat(adminStatus(second, token)).isEqualTo(200);
            assertThat(Files.readAllBytes(dataDir.resolve("tls/parley-cert.pem"))).isEqualTo(certificate);
        } finally {
            second.stop();
        }
    }

    @Test
    void configuredAdminTokenIsUsedAndNoFileIsWritten() throws Exception {
        ParleyServer server = ParleyServer.start(settings(Map.of("admin.token", "configured-token-value")));
        try {
            assertThat(adminStatus(server, "configured-token-value")).isEqualTo(200);
            assertThat(dataDir.resolve("admin.token")).doesNotExist();
        } finally {
            server.stop();
        }
    }

    @Test
    void stopIsIdempotentAndReleasesTheDatabase() {
        ParleyServer server = ParleyServer.start(settings(Map.of()));
        server.stop();
        server.stop();
        ParleyServer again = ParleyServer.start(settings(Map.of()));
        again.stop();
    }

    private static int adminStatus(ParleyServer server, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/admin/v1/users"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static X509Certificate readCertificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static SSLContext trusting(X509Certificate cert) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("parley", cert);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    @Test
    @DisplayName("issue 14 §3: at start, accounts hashed for another domain are counted and named, with the fix")
    void warnsOfAccountsHashedForAnotherDomain() {
        ServerSettings settings = settings(Map.of());
        try (Database db = Database.open(settings.db())) {
            JdbiAccountService old = new JdbiAccountService(db, "old.example");
            for (String user : List.of("alice", "bob")) {
                old.create(new NewAccount(user, user + "-secret", Optional.empty(), Optional.empty(),
                        List.of()));
            }
        }
        Logger log = (Logger) LoggerFactory.getLogger(ParleyServer.class);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        log.addAppender(seen);
        try {
            ParleyServer.start(settings).stop();
        } finally {
            log.detachAppender(seen);
        }
        assertThat(seen.list).filteredOn(e -> e.getLevel() == Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                .contains("2 account(s)", "'example.test'", "alice, bob", "./parley user passwd NAME --password PW --domain example.test");
    }
}
