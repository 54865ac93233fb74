package org.parley.testkit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdbcUrlsTest {
    @Test
    void replacesTheDatabaseAndKeepsHostsAndParameters() {
        assertThat(JdbcUrls.withDatabase("jdbc:postgresql://db:5432/postgres?ssl=false", "t1"))
                .isEqualTo("jdbc:postgresql://db:5432/t1?ssl=false");
        assertThat(JdbcUrls.withDatabase("jdbc:postgresql://a:1,b:2/x", "t1")).isEqualTo("jdbc:postgresql://a:1,b:2/t1");
        assertThat(JdbcUrls.withDatabase("jdbc:postgresql://localhost", "t1")).isEqualTo("jdbc:postgresql://localhost/t1");
        assertThat(JdbcUrls.withDatabase("jdbc:postgresql:postgres", "t1")).isEqualTo("jdbc:postgresql:t1");
    }

    @Test
    void refusesOtherDrivers() {
        assertThatThrownBy(() -> JdbcUrls.withDatabase("jdbc:h2:mem:x", "t1")).isInstanceOf(IllegalArgumentException.class);
    }
}
