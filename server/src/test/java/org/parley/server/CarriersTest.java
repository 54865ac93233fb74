package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 13: the virtual-thread carriers the launcher's JVM gets (config/README.md, "The JVM"). */
class CarriersTest {
    @Test
    @DisplayName("issue 13: one carrier fewer than the CPUs, at least one")
    void oneFewerThanTheCpus() {
        assertThat(Carriers.parallelism(null, 1)).isEqualTo("1");
        assertThat(Carriers.parallelism(null, 2)).isEqualTo("1");
        assertThat(Carriers.parallelism(null, 16)).isEqualTo("15");
    }

    @Test
    @DisplayName("issue 13: -Djdk.virtualThreadScheduler.parallelism given on the command line wins")
    void theCommandLineWins() {
        assertThat(Carriers.parallelism("2", 2)).isEqualTo("2");
        assertThat(Carriers.parallelism("8", 2)).isEqualTo("8");
        assertThat(Carriers.parallelism(" ", 4)).isEqualTo("3");
    }
}
