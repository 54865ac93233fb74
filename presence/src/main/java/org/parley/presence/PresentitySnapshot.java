package org.parley.presence;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.w3c.dom.Document;

/**
 * One presentity at one moment as its watchers may see it, shared by every subscription the
 * moment concerns — direct watchers and the resource list server's back-end ones alike, and every
 * SUBSCRIBE until the presentity changes again: the state is composed only if some watcher may
 * see it, the pres-rules are read once, and the document is cut once per distinct set of
 * permissions. A thousand watchers of one presentity cost one composition, not a thousand, and
 * share one encoded document (the bytes every NOTIFY of theirs carries, and that each keeps as
 * the last it was sent). Only the cuts are kept, not the composed DOM (several KiB per presentity):
 * a watcher with permissions nobody had before costs one more composition. Thread-safe.
 */
final class PresentitySnapshot {
    private final String aor;
    private final Supplier<Document> composed;
    private final Supplier<PresRules.Policy> rules;
    private final PresRules evaluator;
    private final Map<Transformations, WatcherView> cuts = new HashMap<>(2);
    /**
     * The cut asked for last, by the identity of its permissions: nearly every watcher of a
     * presentity is granted the same shared {@link Transformations}, found so without hashing and
     * comparing its fields per SUBSCRIBE.
     */
    private Transformations lastCut;
    private WatcherView lastView;
    private PresRules.Policy policy;
    private WatcherView neutral;

    PresentitySnapshot(String aor, Supplier<Document> composed, Supplier<PresRules.Policy> rules, PresRules evaluator) {
        this.aor = aor;
        this.composed = composed;
        this.rules = rules;
        this.evaluator = evaluator;
    }

    String aor() {
        return aor;
    }

    /** What {@code watcher} is to get: allow → the state as its rules cut it, polite-block → neutral, else pending or rejected. */
    synchronized WatcherView view(String watcher) {
        Authorisation a = authorisation(watcher);
        return switch (a.handling()) {
            case BLOCK -> WatcherView.REJECTED;
            case CONFIRM -> WatcherView.PENDING;
            case POLITE_BLOCK -> neutral == null ? neutral = WatcherView.active(Pidf.neutral(aor)) : neutral;
            case ALLOW -> cut(a.transformations());
        };
    }

    private WatcherView cut(Transformations t) {
        if (t != lastCut) {
            lastView = cuts.computeIfAbsent(t, x -> WatcherView.active(WatcherFilter.apply(composed.get(), x)));
            lastCut = t;
        }
        return lastView;
    }

    private Authorisation authorisation(String watcher) {
        if (aor.equals(watcher)) {
            return Authorisation.OWNER;
        }
        if (policy == null) {
            policy = rules.get();
        }
        return evaluator.evaluate(policy, watcher);
    }
}
