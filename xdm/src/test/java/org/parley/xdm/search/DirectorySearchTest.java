package org.parley.xdm.search;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.http.Json;
import org.parley.testkit.DatabaseTarget;
import org.parley.testkit.TestDatabases;
import org.parley.xdm.oma.UserProfileUsage;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.xdm.search.DirectoryFixture.JAN;
import static org.parley.xdm.search.DirectoryFixture.KIM;
import static org.parley.xdm.search.DirectoryFixture.LEE;
import static org.parley.xdm.search.DirectoryFixture.MAX;
import static org.parley.xdm.search.DirectoryFixture.ME;
import static org.parley.xdm.search.DirectoryFixture.NOAGE;

@DisplayName("UC 5.19 / Add Contact directory search")
class DirectorySearchTest {
    private static final DirectoryPolicy ADULTS_OPT_IN = new DirectoryPolicy(18, false, 50);

    private static List<String> xuis(List<DirectoryHit> hits) {
        return hits.stream().map(DirectoryHit::xui).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("UC 5.19 search by age, gender, intention, city, country and free text returns only the XUI and the searched values")
    void searchesOnlyReturnSearchedValues(DatabaseTarget db) throws Exception {
        try (DirectoryFixture f = new DirectoryFixture(db, ADULTS_OPT_IN)) {
            List<DirectoryHit> hits = f.search.search(ME, DirectoryQuery.any().ages(30, 40).gender("Female")
                    .intention("friendship").city("LYON").country("fr").text("100% JAZZ"));
            assertThat(hits).containsExactly(new DirectoryHit(JAN, 35, "female", "friendship", "Lyon", "FR",
                    "Scuba diving and 100% jazz"));

            List<DirectoryHit> byCity = f.search.search(ME, DirectoryQuery.any().city("Lyon"));
            assertThat(byCity).containsExactly(new DirectoryHit(JAN, null, null, null, "Lyon", null, null));
            String json = Json.mapper().writeValueAsString(byCity);
            assertThat(json).isEqualTo("[{\"xui\":\"sip:jan@example.org\",\"city\":\"Lyon\"}]");

            assertThat(f.search.search(ME, DirectoryQuery.any().ages(36, 99))).isEmpty();
            assertThat(f.search.search(ME, DirectoryQuery.any().text("100_"))).as("LIKE wildcards are literal")
                    .isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("Add Contact privacy: no name or MSISDN in any result, whatever is searched")
    void neverNamesOrNumbers(DatabaseTarget db) throws Exception {
        try (DirectoryFixture f = new DirectoryFixture(db, new DirectoryPolicy(0, true, 50))) {
            List<DirectoryQuery> queries = List.of(DirectoryQuery.any(), DirectoryQuery.any().text("Jan"),
                    DirectoryQuery.any().text("3120"), DirectoryQuery.any().text("jazz").ages(0, 120).gender("female")
                            .city("Lyon").country("FR").intention("friendship"));
            for (DirectoryQuery query : queries) {
                String json = Json.mapper().writeValueAsString(f.search.search(ME, query));
                assertThat(json).doesNotContain("Diver", "Young", "Hidden", "Default", "No Age", "+3120", "31201234567",
                        "tel:", "display");
            }
            assertThat(xuis(f.search.search(ME, DirectoryQuery.any().text("Jan")))).as("names are not searchable")
                    .isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("UC 5.19 operator policy: minors and users of unknown age are never found, whatever the query asks")
    void minorsExcluded(DatabaseTarget db) {
        try (DirectoryFixture f = new DirectoryFixture(db, ADULTS_OPT_IN)) {
            assertThat(xuis(f.search.search(ME, DirectoryQuery.any().text("jazz")))).containsExactly(JAN);
            assertThat(f.search.search(ME, DirectoryQuery.any().ages(10, 17))).isEmpty();
            assertThat(xuis(f.search.search(ME, DirectoryQuery.any()))).doesNotContain(KIM, NOAGE);
        }
        try (DirectoryFixture f = new DirectoryFixture(db.isPostgres() ? TestDatabases.postgres()
                : TestDatabases.h2(), new DirectoryPolicy(0, false, 50))) {
            assertThat(xuis(f.search.search(ME, DirectoryQuery.any().text("jazz")))).as("no minimum age")
                    .containsExactly(JAN, KIM, NOAGE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("UC 5.19 opted-out users are never found; opting in and out takes effect at once; nobody finds themselves")
    void optOut(DatabaseTarget db) {
        try (DirectoryFixture f = new DirectoryFixture(db, new DirectoryPolicy(18, true, 50))) {
            assertThat(xuis(f.search.search(ME, DirectoryQuery.any().text("jazz")))).as("MAX states nothing: default on")
                    .containsExactly(JAN, MAX);
            assertThat(xuis(f.search.search(ME, DirectoryQuery.any().gender("male").city("Lyon")))).as("LEE opted out")
                    .isEmpty();
            assertThat(xuis(f.search.search(ME, DirectoryQuery.any()))).doesNotContain(LEE);

            f.profile(JAN, "<birth-date>1990-06-01</birth-date><freetext>jazz</freetext>"
                    + "<px:searchable>false</px:searchable>");
            assertThat(xuis(f.search.search(ME, DirectoryQuery.any().text("jazz")))).containsExactly(MAX);
            f.documents.delete(UserProfileUsage.of(MAX));
            assertThat(f.search.search(ME, DirectoryQuery.any().text("jazz"))).isEmpty();
            assertThat(xuis(f.search.search(JAN, DirectoryQuery.any().text("jazz")))).containsExactly(ME);
        }
    }
}
