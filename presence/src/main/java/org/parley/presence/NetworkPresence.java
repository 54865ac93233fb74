package org.parley.presence;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
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
 *
 * <p>What the network tells watchers is only which devices are registered ({@link PresenceComposer}:
 * one open tuple per binding key, with its instance), so a refresh — the same devices with a new
 * expiry, Call-ID and CSeq, most REGISTERs — changes nothing for them: it is compared with what was
 * last shown and costs no composition, no NOTIFY and no hand-off (issue 13). Nor does it move the
 * expiry timer: the timer stays where it was, at or before the earliest expiry, and when it fires it
 * looks again and, the devices having been refreshed meanwhile, sets itself for their new earliest
 * expiry — one timer per registration interval instead of one replaced per REGISTER.
 */
final class NetworkPresence implements RegistrationListener {
    private final LocationService location;
    private final Scheduler scheduler;
    private final Consumer<String> changed;
    private final Publications publications;
    /** Per user with devices: what its presence shows of them and when it looks again. */
    private final Map<String, Shown> shown = new ConcurrentHashMap<>();

    /**
     * The devices a user's presence shows, by binding key (never two alike: they key the user's
     * bindings), and the one timer that looks again at {@code check}, at or before their earliest expiry.
     */
    private record Shown(String[] keys, Instant check, Cancellable timer) {
        boolean sameDevices(List<Binding> devices) {
            if (devices.size() != keys.length) {
                return false;
            }
            for (Binding b : devices) {
                if (!contains(b.key())) {
                    return false;
                }
            }
            return true;
        }

        private boolean contains(String key) {
            for (String k : keys) {
                if (k.equals(key)) {
                    return true;
                }
            }
            return false;
        }
    }

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
        look(aor, null);
    }

    /**
     * Compares the user's live devices with what its presence shows; tells the watchers only when
     * they differ. {@code timerFor}: the check this look is the timer of (null: a REGISTER's), which
     * then needs a successor.
     */
    private void look(String aor, Instant timerFor) {
        Look look = new Look(scheduler.now(), timerFor);
        shown.compute(aor, look);
        if (look.devicesChanged) {
            boolean withdrawn = look.none && publications.withdrawAll(aor); // which tells the watchers
            if (!withdrawn) {
                changed.accept(aor);
            }
        }
    }

    /**
     * One look at a user's devices, inside the map's compute so that looks at one user take turns
     * (the last one reads the bindings after every REGISTER before it stored them). Telling the
     * watchers happens after it, outside the map's lock.
     */
    private final class Look implements BiFunction<String, Shown, Shown> {
        private final Instant now;
        private final Instant timerFor;
        boolean devicesChanged;
        boolean none;

        Look(Instant now, Instant timerFor) {
            this.now = now;
            this.timerFor = timerFor;
        }

        @Override
        public Shown apply(String aor, Shown known) {
            List<Binding> devices = location.lookup(aor, now);
            // unknown before (a start with bindings from the store, a removal of nothing known): told, as a change
            devicesChanged = known == null || !known.sameDevices(devices);
            none = devices.isEmpty();
            // this look is the live timer's: it has fired and must be followed by another
            boolean timerSpent = known != null && known.check().equals(timerFor);
            if (none) {
                if (known != null && !timerSpent) {
                    known.timer().cancel();
                }
                return null;
            }
            Instant first = devices.getFirst().expiresAt();
            for (Binding b : devices) {
                first = b.expiresAt().isBefore(first) ? b.expiresAt() : first;
            }
            boolean newTimer = known == null || timerSpent || first.isBefore(known.check());
            if (!devicesChanged && !newTimer) {
                return known; // a refresh: nothing to show, nothing to move
            }
            String[] keys = devicesChanged ? keysOf(devices) : known.keys();
            if (!newTimer) {
                return new Shown(keys, known.check(), known.timer());
            }
            if (known != null && !timerSpent) {
                known.timer().cancel(); // a device that lapses earlier than the timer was set for
            }
            Instant check = first;
            return new Shown(keys, check, scheduler.later(Duration.between(now, check), () -> look(aor, check)));
        }
    }

    private static String[] keysOf(List<Binding> devices) {
        String[] keys = new String[devices.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = devices.get(i).key();
        }
        return keys;
    }
}
