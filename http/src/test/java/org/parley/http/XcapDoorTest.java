package org.parley.http;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.accounts.NewAccount;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The /xcap-root mount: admin token or the user's own Basic credentials, and the service learns which. */
@DisplayName("C4 / GS-1 XCAP door at /xcap-root: admin bearer token or user HTTP Digest/Basic")
class XcapDoorTest {
    private final TestServer http = new TestServer(b -> b.userRealm("example.org").xcapService(new Who()));

    @BeforeEach
    void alice() {
        http.accounts.create(new NewAccount("alice", "alice-password", Optional.empty(), Optional.empty(), List.of()));
    }

    @AfterEach
    void stop() {
        http.close();
    }

    private HttpResponse<String> get(String authorization) {
        var request = http.request("/xcap-root/resource-lists/users/sip:alice@example.org/index").GET();
        return http.send(authorization == null ? request : request.header("Authorization", authorization));
    }

    @Test
    @DisplayName("the admin token and the user's credentials pass, each marked in UserContext; others get 401 with the matching challenge")
    void eitherCredential() {
        assertThat(get("Bearer " + TestServer.TOKEN).body()).isEqualTo("admin");
        String basic = "Basic " + Base64.getEncoder().encodeToString("alice:alice-password".getBytes(StandardCharsets.UTF_8));
        assertThat(get(basic).body()).isEqualTo("user alice");
        HttpResponse<String> none = get(null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().allValues("WWW-Authenticate")).hasSize(3)
                .endsWith("Basic realm=\"example.org\", charset=\"UTF-8\"")
                .first().asString().startsWith("Digest realm=\"example.org\"");
        HttpResponse<String> badToken = get("Bearer wrong");
        assertThat(badToken.statusCode()).isEqualTo(401);
        assertThat(badToken.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"parley-admin\"");
        assertThat(http.attempts.list(Optional.empty(), 0, 10).total()).isEqualTo(2);
    }

    /** Answers with who the door let in. */
    private static final class Who implements HttpService {
        @Override
        public void routing(HttpRules rules) {
            rules.any((req, res) -> res.send(UserContext.isAdmin(req) ? "admin"
                    : "user " + UserContext.user(req).orElse("?")));
        }
    }
}
