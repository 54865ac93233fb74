package org.parley.registrar;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.parley.sip.message.SipRequest;
import org.parley.sip.proxy.Challenges;
import org.parley.sip.proxy.LocalService;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.ServerTransaction;

/** Plugs the registrar into the router: every REGISTER is served here, whatever its Request-URI. */
public final class RegisterService implements LocalService {
    private final Registrar registrar;
    private final Scheduler scheduler;
    private final RegistrationListener listener;

    public RegisterService(Registrar registrar, Scheduler scheduler, RegistrationListener listener) {
        this.registrar = registrar;
        this.scheduler = scheduler;
        this.listener = listener;
    }

    @Override
    public boolean accepts(SipRequest request) {
        return request.isMethod("REGISTER");
    }

    @Override
    public CompletionStage<Void> serve(ServerTransaction tx) {
        RegistrarReply reply = registrar.register(tx.request(), tx.flow(), tx.localTag(), scheduler.now());
        if (reply.delay().isZero()) {
            Challenges.respond(tx, reply.response()); // a 401 statelessly: a retransmission is challenged anew
            // only after the 200: a device must know it is registered before requests reach it
            reply.registered().forEach(b -> listener.registered(b.aor(), b));
            if (reply.aor() != null) {
                listener.bindingsChanged(reply.aor());
            }
            return ANSWERED;
        }
        // GS-4: a failure answered late slows guessing down; sending it is no blocking work
        CompletableFuture<Void> answered = new CompletableFuture<>();
        scheduler.schedule(reply.delay(), () -> {
            tx.respond(reply.response());
            answered.complete(null);
        });
        return answered;
    }
}
