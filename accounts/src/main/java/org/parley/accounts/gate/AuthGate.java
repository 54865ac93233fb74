package org.parley.accounts.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.accounts.AuthAttempt;
import org.parley.accounts.AuthAttemptLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one gate every door passes — SIP REGISTER and every SIP service, the user API, its token
 * endpoint and XCAP (issue 9 §3): one {@link AuthGuard} per source address and per account, and one
 * {@link AuthAttemptLog}. The doors check credentials their own way (SIP and HTTP digest on the
 * same {@code DigestAuthenticator}, Basic, bearer tokens) and tell the gate before and after.
 * <p>
 * A wrong password and an unknown user are one outcome, {@value #BAD_CREDENTIALS}: same status at
 * every door, same count in the guard, same line in the log, so neither the answer nor the log of
 * a probe tells whether the account exists.
 * <p>
 * It also remembers SIP challenges until they are answered: clients such as baresip, sipsak and
 * SIPp never answer a challenge whose algorithm they dislike, and without this such a failed login
 * leaves no trace (issue 14 §1).
 */
public final class AuthGate {
    public static final String BAD_CREDENTIALS = "bad-credentials";
    public static final String BLOCKED = "too many failed attempts, try later";
    public static final String SLOWED = "account guessed from many places, try later";
    static final int MAX_PENDING_CHALLENGES = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(AuthGate.class);

    private record Pending(GateAttempt attempt, List<String> algorithms, Instant issued) {
    }

    /**
     * Which challenge: one of these per 401/407 and per answer, so the parts are held as they are
     * rather than copied into one string.
     */
    private record PendingKey(String door, String source, String dialogKey) {
    }

    private final GateSettings settings;
    private final AuthGuard guard;
    private final AuthAttemptLog log;
    private final Map<PendingKey, Pending> pendingChallenges = new ConcurrentHashMap<>();
    private final AtomicLong nextSweepMillis = new AtomicLong();

    public AuthGate(GateSettings settings, AuthAttemptLog log) {
        this.settings = settings;
        this.guard = new AuthGuard(settings);
        this.log = log;
    }

    /** Before the credentials are checked; a refusal is recorded here, the door only answers it. */
    public Admission admit(GateAttempt attempt, Instant now) {
        Admission a = guard.admit(attempt.source(), attempt.identity(), now);
        if (a.refused()) {
            record(attempt, false, a.reason(), now);
        }
        return a;
    }

    /** Wrong password or unknown user: counted and recorded alike. */
    public void badCredentials(GateAttempt attempt, Instant now) {
        failed(attempt, BAD_CREDENTIALS, now);
    }

    /** Any other failure that counts as guessing (e.g. a REGISTER for an address not the caller's). */
    public void failed(GateAttempt attempt, String reason, Instant now) {
        guard.failure(attempt.source(), attempt.identity(), now);
        record(attempt, false, reason, now);
    }

    /**
     * Right credentials; {@code record}: whether the success goes to the log (REGISTER does; doors a
     * client passes on every request do not, or they would flood it).
     */
    public void succeeded(GateAttempt attempt, boolean record, Instant now) {
        guard.success(attempt.source(), attempt.identity(), now);
        if (record) {
            record(attempt, true, "authenticated", now);
        }
    }

    /** Records a refusal that is no guess (malformed credentials, a From not the caller's...). */
    public void refused(GateAttempt attempt, String reason, Instant now) {
        record(attempt, false, reason, now);
    }

    /** Holds a refusal back for the guard's delay; doors call this on a virtual thread. */
    public void pause(Duration delay) {
        if (delay.isPositive()) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A SIP challenge went out for {@code dialogKey} (the Call-ID, which the client keeps when it
     * answers, RFC 3261 §8.1.3.5). Unanswered after {@link GateSettings#unansweredAfter()} it is
     * recorded with the algorithms offered.
     */
    public void challenged(GateAttempt attempt, String dialogKey, List<String> algorithms, Instant now) {
        if (pendingChallenges.size() < MAX_PENDING_CHALLENGES) {
            pendingChallenges.putIfAbsent(pendingKey(attempt, dialogKey), new Pending(attempt, List.copyOf(algorithms), now));
        }
        long nowMillis = now.toEpochMilli();
        long due = nextSweepMillis.get();
        if (nowMillis >= due && nextSweepMillis.compareAndSet(due, nowMillis + 1000)) {
            sweepUnanswered(now);
        }
    }

    /** Credentials came for {@code dialogKey}: its challenge was answered. */
    public void answered(GateAttempt attempt, String dialogKey) {
        // a client reusing its nonce answers no new challenge: no key made while none waits
        if (!pendingChallenges.isEmpty()) {
            pendingChallenges.remove(pendingKey(attempt, dialogKey));
        }
    }

    /**
     * Credentials with an algorithm that was not offered: the client and the server disagree on the
     * algorithm, which is worth telling the operator at once.
     */
    public void algorithmNotOffered(GateAttempt attempt, String used, List<String> offered, Instant now) {
        String reason = "algorithm " + used + " not offered (offered " + String.join(", ", offered) + ")";
        LOG.warn("{} login of '{}' from {} ({}): {}", attempt.door(), attempt.identity(), attempt.source(),
                attempt.userAgent().orElse("no User-Agent"), reason);
        record(attempt, false, reason, now);
    }

    /** Housekeeping: guard counts past their window, and challenges nobody answered. */
    public void purge(Instant now) {
        guard.purge(now);
        sweepUnanswered(now);
    }

    /**
     * Walks the pending challenges in place ({@code forEach} on the map's nodes): the sweep runs
     * every second while challenges go out, over up to {@value #MAX_PENDING_CHALLENGES} of them,
     * and {@code entrySet().removeIf} made an entry object for each one it looked at.
     */
    private void sweepUnanswered(Instant now) {
        Instant cutoff = now.minus(settings.unansweredAfter());
        pendingChallenges.forEach((key, p) -> {
            if (p.issued().isBefore(cutoff) && pendingChallenges.remove(key, p)) {
                String reason = "challenge unanswered (offered " + String.join(", ", p.algorithms())
                        + "; the client may not support them)";
                LOG.warn("{} login of '{}' from {} ({}): {}", p.attempt().door(), p.attempt().identity(),
                        p.attempt().source(), p.attempt().userAgent().orElse("no User-Agent"), reason);
                record(p.attempt(), false, reason, p.issued());
            }
        });
    }

    private static PendingKey pendingKey(GateAttempt attempt, String dialogKey) {
        return new PendingKey(attempt.door(), attempt.source(), dialogKey);
    }

    /** Writes an attempt to the log without counting it (e.g. what became of an authenticated REGISTER). */
    public void record(GateAttempt a, boolean success, String reason, Instant now) {
        log.record(new AuthAttempt(now, a.identity(), success, reason, a.door(), a.source(), a.transport(),
                a.userAgent()));
    }
}
