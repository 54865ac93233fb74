package org.parley.presence;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.parley.sip.transaction.Cancellable;
import org.parley.sip.transaction.Scheduler;
import org.w3c.dom.Element;

/**
 * The event state compositor's side of RFC 3903 §6, without SIP: initial publication, refresh,
 * modification and removal, each successful change under a fresh entity tag so that a stale
 * one is refused (412), and expiry on time. Whoever listens hears of every change of state;
 * a refresh without a body changes none.
 */
final class Publications {
    private final PublicationStore store;
    private final Scheduler scheduler;
    private final Consumer<String> changed;
    private final Map<String, Cancellable> timers = new ConcurrentHashMap<>();

    /** @param changed told the AOR whose published state changed */
    Publications(PublicationStore store, Scheduler scheduler, Consumer<String> changed) {
        this.store = store;
        this.scheduler = scheduler;
        this.changed = changed;
    }

    /** A new publication (no SIP-If-Match) of {@code pidf} ({@link Pidf#kept}); returns it with its entity tag. */
    Publication create(String aor, Element pidf, Duration expires) {
        Publication p = new Publication(aor, newEtag(), pidf, scheduler.now(), scheduler.now().plus(expires));
        keep(p);
        changed.accept(aor);
        return p;
    }

    /**
     * Refreshes (no document) or modifies (with one, {@link Pidf#kept}) the publication {@code etag}; empty when the
     * tag is unknown or stale (412).
     */
    Optional<Publication> update(String aor, String etag, Optional<Element> pidf, Duration expires) {
        Optional<Publication> old = live(aor, etag);
        if (old.isEmpty()) {
            return Optional.empty();
        }
        drop(old.get());
        Publication p = pidf.map(body -> new Publication(aor, newEtag(), body, scheduler.now(), scheduler.now().plus(expires)))
                .orElseGet(() -> old.get().refreshed(newEtag(), scheduler.now().plus(expires)));
        keep(p);
        if (pidf.isPresent()) {
            changed.accept(aor);
        }
        return Optional.of(p);
    }

    /** Removes a publication (Expires: 0); false when the tag is unknown or stale. */
    boolean remove(String aor, String etag) {
        Optional<Publication> old = live(aor, etag);
        old.ifPresent(p -> {
            drop(p);
            changed.accept(aor);
        });
        return old.isPresent();
    }

    /** Ends every publication of a presentity (its last device is gone); false when it had none. */
    boolean withdrawAll(String aor) {
        List<Publication> all = store.of(aor);
        all.forEach(this::drop);
        if (!all.isEmpty()) {
            changed.accept(aor);
        }
        return !all.isEmpty();
    }

    /** The live publications of a presentity, oldest change first. */
    List<Publication> current(String aor) {
        List<Publication> all = store.of(aor);
        if (all.isEmpty()) {
            return all; // asked for every MESSAGE (is the recipient busy?), and most users publish nothing: no stream
        }
        return all.stream().filter(p -> !p.expired(scheduler.now()))
                .sorted(Comparator.comparing(Publication::modifiedAt)).toList();
    }

    private Optional<Publication> live(String aor, String etag) {
        return store.find(aor, etag).filter(p -> !p.expired(scheduler.now()));
    }

    private void keep(Publication p) {
        store.put(p);
        timers.put(p.etag(), scheduler.later(Duration.between(scheduler.now(), p.expiresAt()),
                () -> expire(p)));
    }

    private void drop(Publication p) {
        store.remove(p.aor(), p.etag());
        Cancellable t = timers.remove(p.etag());
        if (t != null) {
            t.cancel();
        }
    }

    private void expire(Publication p) {
        timers.remove(p.etag());
        if (store.remove(p.aor(), p.etag())) {
            changed.accept(p.aor());
        }
    }

    /** Entity tags are unguessable: knowing one is what lets a device change its publication. */
    private static String newEtag() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
