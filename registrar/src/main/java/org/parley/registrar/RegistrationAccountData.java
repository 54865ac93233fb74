package org.parley.registrar;

import org.parley.accounts.Account;
import org.parley.accounts.AccountAddresses;
import org.parley.accounts.AccountData;
import org.parley.sip.transport.Flow;

import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An account's registrations (its devices' bindings and the flows they registered on), for its
 * export (PP2-5) and its deletion. Deleting them tells {@code changed} (as a de-registration would), so that presence shows the
 * account's devices gone; requests for the account are no longer routed to any of its flows.
 */
public final class RegistrationAccountData implements AccountData {
    private final LocationService location;
    private final String domain;
    private final Supplier<Instant> now;
    private final Consumer<String> changed;

    public RegistrationAccountData(LocationService location, String domain, Supplier<Instant> now,
                                   Consumer<String> changed) {
        this.location = location;
        this.domain = domain;
        this.now = now;
        this.changed = changed;
    }

    @Override
    public String section() {
        return "registrations";
    }

    @Override
    public Object export(Account account) {
        return location.lookup(AccountAddresses.aor(account, domain), now.get()).stream().map(BindingView::of).toList();
    }

    @Override
    public void erase(Account account) {
        String aor = AccountAddresses.aor(account, domain);
        location.removeAll(aor);
        changed.accept(aor);
    }

    /** A binding in the export: the device, where it was reached from and until when. */
    public record BindingView(String contact, String instanceId, int regId, float q, String expires, String transport,
                              String remoteAddress, String userAgent, String accessNetworkInfo, String registeredAt) {
        static BindingView of(Binding b) {
            return new BindingView(b.contact().toString(), b.instanceId(), b.regId(), b.q(), b.expiresAt().toString(),
                    b.flow().transport().name(), Flow.format(b.flow().remote()), b.userAgent(), b.accessNetworkInfo(),
                    b.registeredAt().toString());
        }
    }
}
