package org.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.testkit.Configs;

/** The db.* keys, read by this module (issue 14 §6). */
@DisplayName("GO-2, PP2-5: the store reads its own db.* keys; the password never shows in a log line")
class DatabaseSettingsTest {
    private static final Path DATA = Path.of("parley-data");

    @Test
    @DisplayName("default: the embedded H2 database in <data.dir>/db")
    void embeddedByDefault() {
        DatabaseSettings s = DatabaseSettings.from(Configs.overriding(Map.of()), DATA);
        assertThat(s.url()).isEmpty();
        assertThat(s.jdbcUrl()).startsWith("jdbc:h2:file:" + DATA.resolve("db").resolve("parley").toAbsolutePath());
    }

    @Test
    @DisplayName("db.url, db.user and db.password reach the pool; toString hides the password")
    void external() {
        DatabaseSettings s = DatabaseSettings.from(Configs.overriding(Map.of("db.url",
                "jdbc:postgresql://db.example.org/parley", "db.user", "parley", "db.password", "s3cret")), DATA);
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.org/parley");
        assertThat(s.user()).isEqualTo("parley");
        assertThat(s.password()).isEqualTo("s3cret");
        assertThat(s.toString()).doesNotContain("s3cret").contains("db.example.org");
    }
}
