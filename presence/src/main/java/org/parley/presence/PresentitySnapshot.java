package org.parley.presence;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.w3c.dom.Document;

/**
 * One presentity at one moment as its watchers may see it, shared by every subscription the
 * moment concerns — direct watchers and the resource list server's back-end ones alike: the
 * state is composed once (and only if some watcher may see it), the pres-rules are read once,
 * and the document is cut once per distinct set of permissions. A thousand watchers of one
 * presentity cost one composition, not a thousand. Used by one thread at a time.
 */
final class PresentitySnapshot {
    private final String aor;
    private final Supplier<Document> composed;
    private final Supplier<Optional<Document>> rules;
    private final PresRules evaluator;
    private final Map<Transformations, byte[]> cuts = new HashMap<>();

    PresentitySnapshot(String aor, Supplier<Document> composed, Supplier<Optional<Document>> rules, PresRules evaluator) {
        this.aor = aor;
        this.composed = memo(composed);
        this.rules = memo(rules);
        this.evaluator = evaluator;
    }

    String aor() {
        return aor;
    }

    /** What {@code watcher} is to get: allow → the state as its rules cut it, polite-block → neutral, else pending or rejected. */
    WatcherView view(String watcher) {
        Authorisation a = authorisation(watcher);
        return switch (a.handling()) {
            case BLOCK -> WatcherView.REJECTED;
            case CONFIRM -> WatcherView.PENDING;
            case POLITE_BLOCK -> WatcherView.active(Pidf.neutral(aor));
            case ALLOW -> WatcherView.active(cuts.computeIfAbsent(a.transformations(),
                    t -> WatcherFilter.apply(composed.get(), t)));
        };
    }

    private Authorisation authorisation(String watcher) {
        if (aor.equals(watcher)) {
            return Authorisation.OWNER;
        }
        return rules.get().map(doc -> evaluator.evaluate(doc, watcher)).orElse(Authorisation.UNDECIDED);
    }

    private static <T> Supplier<T> memo(Supplier<T> source) {
        Object[] once = new Object[1];
        return () -> {
            if (once[0] == null) {
                once[0] = source.get();
            }
            @SuppressWarnings("unchecked") T t = (T) once[0];
            return t;
        };
    }
}
