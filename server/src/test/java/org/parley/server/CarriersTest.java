package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * GIM-13: one server for operator, enterprise and Internet deployments, from a one- or two-CPU host to an
 * operator's large one; how many carrier threads run its virtual threads on each, and that the pollers
 * waking them are platform threads (issue 13; config/README.md, "The JVM"). {@code CrashSafetyTest} proves the rule over the wire, on the server as
 * {@code parley start} runs it.
 */
@DisplayName("GIM-13: virtual-thread carriers for hosts from one CPU to many")
class CarriersTest {
    @Test
    @DisplayName("GIM-13: one carrier fewer than the CPUs, at least one")
    void oneFewerThanTheCpus() {
        assertThat(Carriers.parallelism(null, 1)).isEqualTo("1");
        assertThat(Carriers.parallelism(null, 2)).isEqualTo("1");
        assertThat(Carriers.parallelism(null, 16)).isEqualTo("15");
    }

    @Test
    @DisplayName("GIM-13: -Djdk.virtualThreadScheduler.parallelism given on the command line wins")
    void theCommandLineWins() {
        assertThat(Carriers.parallelism("2", 2)).isEqualTo("2");
        assertThat(Carriers.parallelism("8", 2)).isEqualTo("8");
        assertThat(Carriers.parallelism(" ", 4)).isEqualTo("3");
    }

    @Test
    @DisplayName("GIM-13: the pollers that wake a virtual thread blocked on a socket are platform threads")
    void platformPollers() {
        assertThat(Carriers.pollerMode(null)).isEqualTo("1");
        assertThat(Carriers.pollerMode(" ")).isEqualTo("1");
        assertThat(Carriers.pollers(Carriers.pollerMode(null))).isEqualTo("platform threads");
    }

    @Test
    @DisplayName("GIM-13: -Djdk.pollerMode given on the command line wins, and the start-up line names it")
    void theCommandLinesPollerModeWins() {
        assertThat(Carriers.pollerMode("2")).isEqualTo("2");
        assertThat(Carriers.pollers("2")).isEqualTo("virtual threads");
        assertThat(Carriers.pollers("VTHREAD_POLLERS")).isEqualTo("virtual threads");
        assertThat(Carriers.pollers("system_threads")).isEqualTo("platform threads");
        assertThat(Carriers.pollers(null)).isEqualTo("the JDK's default");
    }
}
