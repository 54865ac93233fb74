package org.parley.sip.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.Cancellable;
import org.parley.sip.transaction.ClientTransaction;
import org.parley.sip.transaction.Scheduler;
import java.util.function.Consumer;
import org.parley.sip.message.SipRequest;

/**
 * One request forked to several branches (RFC 3261 §16.7): provisional responses and every 2xx
 * go upstream at once; other finals wait until every branch has answered, and the best of them
 * is sent. A 2xx to an INVITE cancels the branches still pending (§16.7 step 10).
 */
final class ForkedRequest implements Fork {
    private final SipRequest request;
    private final String localTag;
    private final Consumer<SipResponse> upstream;
    private final boolean invite;
    private final List<ClientTransaction> branches = new ArrayList<>();
    private int pending;
    private SipResponse best;
    private boolean finalSent;
    private final Runnable onFinal;
    private final Scheduler scheduler;
    private Cancellable timerC;

    /**
     * @param upstream receives what goes to the requester: provisional responses, then the final
     * @param onFinal  runs once the final response went upstream
     */
    ForkedRequest(SipRequest request, String localTag, int branchCount, Scheduler scheduler,
                  Consumer<SipResponse> upstream, Runnable onFinal) {
        this.request = request;
        this.localTag = localTag;
        this.upstream = upstream;
        this.scheduler = scheduler;
        this.onFinal = onFinal;
        this.invite = request.isMethod("INVITE");
        this.pending = branchCount;
        if (invite) {
            timerC = scheduler.schedule(TIMER_C, this::timerCFired);
        }
    }

    /** §16.6 step 11: "MUST be greater than 3 minutes". */
    static final Duration TIMER_C = Duration.ofSeconds(181);

    private void timerCFired() {
        List<ClientTransaction> all;
        synchronized (this) {
            if (finalSent) {
                return;
            }
            finalSent = true;
            all = List.copyOf(branches);
        }
        all.forEach(ClientTransaction::cancel);
        upstream.accept(request.createResponse(408, "Request Timeout (no final answer)", localTag));
        onFinal.run();
    }

    synchronized void add(ClientTransaction branch) {
        branches.add(branch);
    }

    /** A response from one branch, with our Via already removed. */
    void onResponse(ClientTransaction branch, SipResponse response) {
        SipResponse toSend = null;
        List<ClientTransaction> toCancel = List.of();
        synchronized (this) {
            if (response.isProvisional()) {
                if (response.status() > 100 && !finalSent) {
                    toSend = response;
                    if (timerC != null) {
                        timerC.cancel();
                        timerC = scheduler.schedule(TIMER_C, this::timerCFired);
                    }
                }
            } else if (response.isSuccess()) {
                pending--;
                if (!finalSent || invite) {
                    finalSent = true;
                    toSend = response;
                }
                if (invite) {
                    toCancel = others(branch);
                }
            } else {
                pending--;
                if (best == null || better(response, best)) {
                    best = response;
                }
                if (response.statusClass() == 6 && invite && !finalSent) {
                    // §16.7 step 5: a 6xx ends the search; the other branches are cancelled
                    finalSent = true;
                    toSend = response;
                    toCancel = others(branch);
                } else if (pending == 0 && !finalSent) {
                    finalSent = true;
                    toSend = upstream(best);
                }
            }
        }
        if (toSend != null) {
            upstream.accept(toSend);
            if (toSend.isFinal()) {
                stopTimerC();
                onFinal.run();
            }
        }
        toCancel.forEach(ClientTransaction::cancel);
    }

    /** The request was cancelled (§16.10): cancel every branch and answer 487. */
    @Override
    public void cancel() {
        List<ClientTransaction> all;
        boolean answer;
        synchronized (this) {
            all = List.copyOf(branches);
            answer = !finalSent;
            finalSent = true;
        }
        all.forEach(ClientTransaction::cancel);
        if (answer) {
            upstream.accept(request.createResponse(487, "Request Terminated", localTag));
        }
        stopTimerC();
        onFinal.run();
    }

    private synchronized void stopTimerC() {
        if (timerC != null) {
            timerC.cancel();
            timerC = null;
        }
    }

    private List<ClientTransaction> others(ClientTransaction winner) {
        List<ClientTransaction> out = new ArrayList<>(branches);
        out.remove(winner);
        return out;
    }

    /** §16.7 step 6: 6xx beats everything; otherwise the lowest class, 4xx before 5xx and 3xx. */
    static boolean better(SipResponse candidate, SipResponse current) {
        return rank(candidate) < rank(current);
    }

    private static int rank(SipResponse r) {
        return switch (r.statusClass()) {
            case 6 -> 0;
            case 3 -> 1;
            case 4 -> r.status() == 408 ? 3 : 2;
            default -> 4;
        };
    }

    /** A 503 from downstream must not be forwarded as is (§16.7 step 6): it would stop upstream retries wrongly. */
    private static SipResponse upstream(SipResponse r) {
        if (r.status() == 503) {
            return new SipResponse(500, "Server Internal Error (downstream unavailable)",
                    r.headers().remove(HeaderNames.RETRY_AFTER), r.body());
        }
        return r;
    }
}
