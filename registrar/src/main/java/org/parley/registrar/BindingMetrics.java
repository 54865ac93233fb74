package org.parley.registrar;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.parley.sip.transaction.Scheduler;

/** The registrations gauge of /metrics: live bindings and addresses of record. */
public final class BindingMetrics {
    private BindingMetrics() {
    }

    public static void bind(MeterRegistry registry, LocationService location, Scheduler scheduler) {
        Gauge.builder("parley_registrations_active", () -> location.census(scheduler.now()).bindings())
                .description("Live registration bindings (devices)").register(registry);
        Gauge.builder("parley_registered_aors", () -> location.census(scheduler.now()).aors())
                .description("Addresses of record with at least one live binding").register(registry);
    }
}
