package org.parley.accounts.gate;

import java.time.Duration;

/**
 * What the guard says before credentials are checked: go ahead (a refusal is then answered after
 * {@code delayOnFailure}), or refuse now without looking at the credentials.
 */
public record Admission(Verdict verdict, Duration delayOnFailure) {
    public enum Verdict {
        /** Check the credentials. */
        PASS,
        /** The source (for this account, or altogether) failed too often: refused for a while. */
        BLOCKED,
        /** The account is being guessed from many places and this attempt came too soon after the last. */
        SLOWED
    }

    static final Admission PASS = new Admission(Verdict.PASS, Duration.ZERO);

    public boolean refused() {
        return verdict != Verdict.PASS;
    }

    /** The reason given to the client and written to the attempt log. */
    public String reason() {
        return switch (verdict) {
            case PASS -> "";
            case BLOCKED -> AuthGate.BLOCKED;
            case SLOWED -> AuthGate.SLOWED;
        };
    }
}
