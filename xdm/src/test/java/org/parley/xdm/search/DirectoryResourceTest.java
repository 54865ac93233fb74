package org.parley.xdm.search;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.testkit.TestDatabases;
import org.parley.xdm.oma.UserApiServer;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.xdm.oma.UserApiServer.body;

@DisplayName("UC 5.19 GET /api/v1/directory")
class DirectoryResourceTest {
    private final DirectoryFixture fixture = new DirectoryFixture(TestDatabases.h2(), DirectoryPolicy.defaults());
    private final UserApiServer http = new UserApiServer(fixture.database,
            UserApiServer.accounts(fixture.database, "me"),
            List.of(new DirectoryResource(fixture.search, user -> "sip:" + user + "@example.org")));

    @AfterEach
    void stop() {
        http.close();
        fixture.close();
    }

    @Test
    @DisplayName("UC 5.19 a search over HTTP answers XUIs and the searched values only, never names or numbers")
    void search() {
        HttpResponse<String> response = http.send(http.as("me",
                "/api/v1/directory?gender=female&minAge=18&maxAge=40&city=Lyon&country=FR&intention=friendship&q=jazz"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode results = body(response).get("results");
        assertThat(results).hasSize(1);
        JsonNode jan = results.get(0);
        assertThat(jan.get("xui").asText()).isEqualTo(DirectoryFixture.JAN);
        assertThat(jan.get("age").asInt()).isEqualTo(35);
        assertThat(jan.get("city").asText()).isEqualTo("Lyon");
        assertThat(response.body()).doesNotContain("Diver", "31201234567");

        JsonNode byCountry = body(http.send(http.as("me", "/api/v1/directory?country=fr"))).get("results");
        assertThat(byCountry.get(0).fieldNames()).toIterable().containsExactlyInAnyOrder("xui", "country");
    }

    @Test
    @DisplayName("bad ages are 400 problems and the directory needs the user's own credentials")
    void badRequests() {
        assertThat(http.send(http.as("me", "/api/v1/directory?minAge=old")).statusCode()).isEqualTo(400);
        assertThat(http.send(http.as("me", "/api/v1/directory?minAge=40&maxAge=30")).statusCode()).isEqualTo(400);
        assertThat(http.send(http.as("me", "/api/v1/directory?minAge=-1")).statusCode()).isEqualTo(400);
        assertThat(http.send(http.as("nobody", "/api/v1/directory")).statusCode()).isEqualTo(401);
    }
}
