package org.parley.registrar.auth;

import java.util.Optional;
import org.parley.sip.message.SipResponse;
import org.parley.sip.proxy.SenderGate;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.ServerTransaction;

/**
 * The router's gate for requests it relays to users (INVITE, REFER, OPTIONS, and whatever no local
 * service takes): the same {@link RequestAuthenticator} as the services, so the same challenge,
 * guard, attempt log and From check (issue 9 §3).
 */
public final class RelayGate implements SenderGate {
    private final RequestAuthenticator authenticator;
    private final Scheduler scheduler;

    public RelayGate(RequestAuthenticator authenticator, Scheduler scheduler) {
        this.authenticator = authenticator;
        this.scheduler = scheduler;
    }

    @Override
    public Optional<SipResponse> refusal(ServerTransaction tx) {
        return Optional.ofNullable(authenticator.check(tx.request(), tx.flow(), tx.localTag(), scheduler.now()).refusal());
    }
}
