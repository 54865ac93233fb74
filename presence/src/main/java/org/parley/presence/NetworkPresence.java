package org.parley.presence;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.parley.registrar.Binding;
import org.parley.registrar.LocationService;
import org.parley.registrar.RegistrationListener;
import org.parley.sip.transaction.Cancellable;
import org.parley.sip.transaction.Scheduler;

/**
 * Network-provided presence (UC 5.3 step 3): registration state becomes presence. The registrar
 * tells of registrations; a binding that lapses tells nobody, so a timer looks again when the
 * earliest binding of the user runs out. When the user's last device is gone (unregistered or
 * lapsed) its publications end with it, as an IMS presence server does on de-registration: a
 * device that quit without removing its publication (or, racing itself, published twice) would
 * otherwise be shown online until the publication expires.
 */
final class NetworkPresence implements RegistrationListener {
    private final LocationService location;
    private final Scheduler scheduler;
    private final Consumer<String> changed;
    private final Publications publications;
    private final Map<String, Cancellable> timers = new ConcurrentHashMap<>();

    NetworkPresence(LocationService location, Scheduler scheduler, Publications publications, Consumer<String> changed) {
        this.publications = publications;
        this.location = location;
        this.scheduler = scheduler;
        this.changed = changed;
    }

    @Override
    public void registered(String aor, Binding binding) {
        registrationChanged(aor);
    }

    /** Any change of the user's bindings: registered, refreshed, removed. */
    void registrationChanged(String aor) {
        Instant now = scheduler.now();
        List<Binding> devices = location.lookup(aor, now);
        boolean withdrawn = devices.isEmpty() && publications.withdrawAll(aor); // which tells the watchers
        if (!withdrawn) {
            changed.accept(aor);
        }
        devices.stream().map(Binding::expiresAt).min(Comparator.naturalOrder()).ifPresentOrElse(
                first -> replaceTimer(aor, scheduler.later(Duration.between(now, first), () -> registrationChanged(aor))),
                () -> replaceTimer(aor, null));
    }

    private void replaceTimer(String aor, Cancellable next) {
        Cancellable old = next == null ? timers.remove(aor) : timers.put(aor, next);
        if (old != null) {
            old.cancel();
        }
    }
}
