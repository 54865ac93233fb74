package org.parley.accounts.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failure counts behind {@link AuthGate}, kept three ways so that guessing is stopped without
 * handing an attacker a way to lock honest users out:
 * <ul>
 *   <li>per source address and account: slowed (each refusal answered later, doubling), then the
 *       source is refused for that account — a guessing run from one address ends here;</li>
 *   <li>per source address: refused altogether only after many failures, whatever the accounts
 *       (spraying one password over many accounts) — the threshold is high because a carrier NAT
 *       puts many honest users, each with the odd typo, behind one address;</li>
 *   <li>per account: never blocked (that would let anyone lock any user out from afar), but once
 *       guessed from many places, attempts on it are admitted at most one per interval — except
 *       from addresses that logged into it successfully before, so the owner's own devices keep
 *       working while the guessing is slowed to a trickle.</li>
 * </ul>
 * Keys are bounded in number: past {@link #MAX_KEYS} entries, new accounts and pairs are not
 * tracked (the per-source count still is), so made-up user names cannot exhaust the heap.
 */
final class AuthGuard {
    static final int MAX_KEYS = 100_000;
    /** How long a successful login keeps its source exempt from the per-account slow-down. */
    static final Duration KNOWN_SOURCE_MEMORY = Duration.ofHours(24);

    private record Failures(int count, Instant first, Instant blockedUntil) {
        boolean blocked(Instant now) {
            return blockedUntil != null && now.isBefore(blockedUntil);
        }

        boolean over(Duration window, Instant now) {
            return !blocked(now) && first.plus(window).isBefore(now);
        }
    }

    /**
     * A source address and an account: looked up on every success (the known sources), so held as
     * the two strings the attempt carries, whose hashes they keep, rather than joined into a new one.
     */
    private record Pair(String source, String account) {
    }

    private final GateSettings settings;
    private final Map<Pair, Failures> pairs = new ConcurrentHashMap<>();
    private final Map<String, Failures> sources = new ConcurrentHashMap<>();
    private final Map<String, Failures> accounts = new ConcurrentHashMap<>();
    private final Map<String, Instant> accountNextAdmission = new ConcurrentHashMap<>();
    private final Map<Pair, Instant> knownSources = new ConcurrentHashMap<>();

    AuthGuard(GateSettings settings) {
        this.settings = settings;
    }

    Admission admit(String source, String account, Instant now) {
        Failures bySource = live(sources, source, now);
        if (bySource != null && bySource.blocked(now)) {
            return new Admission(Admission.Verdict.BLOCKED, Duration.ZERO);
        }
        if (account.isEmpty()) {
            return Admission.PASS;
        }
        // nobody failing anywhere (the usual state): no pair key made, nothing looked up
        if (pairs.isEmpty() && accounts.isEmpty()) {
            return Admission.PASS;
        }
        Pair pair = new Pair(source, account);
        Failures byPair = live(pairs, pair, now);
        if (byPair != null && byPair.blocked(now)) {
            return new Admission(Admission.Verdict.BLOCKED, Duration.ZERO);
        }
        Failures byAccount = live(accounts, account, now);
        if (byAccount != null && byAccount.count() >= settings.accountSlowAfter() && !known(pair, now)
                && !takeAccountTurn(account, now)) {
            return new Admission(Admission.Verdict.SLOWED, Duration.ZERO);
        }
        if (byPair == null || byPair.count() < settings.pairDelayAfter()) {
            return Admission.PASS;
        }
        int doublings = Math.min(20, byPair.count() - settings.pairDelayAfter());
        Duration delay = settings.firstDelay().multipliedBy(1L << doublings);
        return new Admission(Admission.Verdict.PASS, delay.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : delay);
    }

    void failure(String source, String account, Instant now) {
        count(sources, source, settings.sourceBlockAfter(), now);
        if (!account.isEmpty()) {
            count(pairs, new Pair(source, account), settings.pairBlockAfter(), now);
            count(accounts, account, Integer.MAX_VALUE, now);
        }
    }

    void success(String source, String account, Instant now) {
        Pair pair = new Pair(source, account);
        if (!pairs.isEmpty()) {
            pairs.remove(pair);
        }
        if (knownSources.size() < MAX_KEYS || knownSources.containsKey(pair)) {
            knownSources.put(pair, now);
        }
    }

    /** Drops counts whose window and block have both passed, and sources not seen succeed for a day. */
    void purge(Instant now) {
        for (Map<?, Failures> m : java.util.List.of(pairs, sources, accounts)) {
            m.values().removeIf(f -> f.over(settings.window(), now));
        }
        accountNextAdmission.entrySet().removeIf(e -> e.getValue().isBefore(now));
        knownSources.entrySet().removeIf(e -> e.getValue().plus(KNOWN_SOURCE_MEMORY).isBefore(now));
    }

    private boolean known(Pair pair, Instant now) {
        Instant last = knownSources.get(pair);
        return last != null && !last.plus(KNOWN_SOURCE_MEMORY).isBefore(now);
    }

    /** One attempt per interval for an account under attack: true when this one may go ahead. */
    private boolean takeAccountTurn(String account, Instant now) {
        boolean[] granted = {false};
        accountNextAdmission.compute(account, (k, next) -> {
            if (next == null || !now.isBefore(next)) {
                granted[0] = true;
                return now.plus(settings.accountInterval());
            }
            return next;
        });
        return granted[0];
    }

    private <K> Failures live(Map<K, Failures> map, K key, Instant now) {
        Failures f = map.get(key);
        if (f != null && f.over(settings.window(), now)) {
            map.remove(key, f);
            return null;
        }
        return f;
    }

    private <K> void count(Map<K, Failures> map, K key, int blockAfter, Instant now) {
        if (map.size() >= MAX_KEYS && !map.containsKey(key)) {
            return;
        }
        map.compute(key, (k, f) -> {
            if (f == null || f.over(settings.window(), now) || (f.blockedUntil() != null && !f.blocked(now))) {
                return new Failures(1, now, blockAfter <= 1 ? now.plus(settings.blockFor()) : null);
            }
            int count = f.count() + 1;
            return new Failures(count, f.first(), count >= blockAfter ? now.plus(settings.blockFor()) : f.blockedUntil());
        });
    }
}
