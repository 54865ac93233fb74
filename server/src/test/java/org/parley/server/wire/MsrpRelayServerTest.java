package org.parley.server.wire;

import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.msrp.MsrpTransport;
import org.parley.server.TestServer;
import org.parley.sip.transaction.SystemScheduler;

/**
 * The assembled server runs the MSRP relay (RFC 4976): on the TLS port with the server's
 * certificate, AUTH with an account's SIP password, reported by /health; plain TCP is off unless
 * configured.
 */
@DisplayName("Issue 10 groundwork: the MSRP relay in the assembled server (RFC 4976 §5)")
class MsrpRelayServerTest {
    @Test
    void relayAuthenticatesAccountsOverTls(@TempDir Path dataDir) throws Exception {
        TestServer server = TestServer.start(dataDir, new SystemScheduler(), Map.of());
        try {
            server.addUser("alice", "alice-secret", null, List.of());
            assertThat(server.http("GET", "/health", null, null).body()).contains("\"msrp\":\"UP\"");
            assertThat(server.server().msrpPort(MsrpTransport.TCP)).as("plain TCP is off by default").isEqualTo(-1);
            int port = server.server().msrpPort(MsrpTransport.TLS);
            assertThat(port).isPositive();
            assertThat(server.server().msrpPort(MsrpTransport.WSS)).isPositive();

            String relay = "msrps://127.0.0.1:" + port + ";tcp";
            String me = "msrps://127.0.0.1:9/s3ss10n;tcp";
            try (SSLSocket socket = (SSLSocket) trusting(server).getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                out.write(auth("a1b2c3d4e5", relay, me, null).getBytes(StandardCharsets.UTF_8));
                String challenge = readMessage(in, "a1b2c3d4e5");
                assertThat(challenge).startsWith("MSRP a1b2c3d4e5 401");
                Matcher nonce = Pattern.compile("nonce=\"([^\"]+)\"").matcher(challenge);
                assertThat(nonce.find()).isTrue();
                String ha1 = md5("alice:localhost:alice-secret");
                String ha2 = md5("AUTH:" + relay);
                String response = md5(ha1 + ":" + nonce.group(1) + ":00000001:c0ffee:auth:" + ha2);
                out.write(auth("f6g7h8i9j0", relay, me, "Digest username=\"alice\", realm=\"localhost\", nonce=\""
                        + nonce.group(1) + "\", uri=\"" + relay + "\", response=\"" + response
                        + "\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"c0ffee\"").getBytes(StandardCharsets.UTF_8));
                String granted = readMessage(in, "f6g7h8i9j0");
                assertThat(granted).startsWith("MSRP f6g7h8i9j0 200")
                        .containsPattern("Use-Path: msrps://127\\.0\\.0\\.1:" + port + "/[^;\\s]+;tcp");
                assertThat(server.http("GET", "/metrics", null, null).body())
                        .contains("parley_msrp_relay_connections 1.0", "parley_msrp_relay_grants 1.0");
            }
        } finally {
            server.close();
        }
    }

    private static String auth(String tid, String relay, String me, String authorization) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("To-Path", relay);
        h.put("From-Path", me);
        if (authorization != null) {
            h.put("Authorization", authorization);
        }
        StringBuilder s = new StringBuilder("MSRP " + tid + " AUTH\r\n");
        h.forEach((k, v) -> s.append(k).append(": ").append(v).append("\r\n"));
        return s.append("-------").append(tid).append("$\r\n").toString();
    }

    /** Reads up to the end-line of the transaction (MSRP responses carry no body, RFC 4975 §7.2). */
    private static String readMessage(InputStream in, String tid) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        String end = "-------" + tid + "$\r\n";
        while (!b.toString(StandardCharsets.UTF_8).endsWith(end)) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed after " + b);
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** Trusts the certificate the server generated into its data directory. */
    private static SSLContext trusting(TestServer server) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(server.dataDir().resolve("tls/parley-cert.pem"))) {
            trust.setCertificateEntry("parley", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
