package org.parley.registrar;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.Uri;
import org.parley.sip.proxy.ContactTarget;
import org.parley.sip.proxy.Locator;
import org.parley.sip.transaction.Scheduler;

/**
 * The proxy's view of the location service. A public GRUU (RFC 5627 §5.1: the AOR with "gr")
 * reaches only the device with that instance; any other identity of the account reaches all.
 */
public final class RegistrarLocator implements Locator {
    private final IdentityResolver identities;
    private final LocationService location;
    private final Scheduler scheduler;

    public RegistrarLocator(IdentityResolver identities, LocationService location, Scheduler scheduler) {
        this.identities = identities;
        this.location = location;
        this.scheduler = scheduler;
    }

    @Override
    public boolean exists(Uri requestUri) {
        return identities.resolve(requestUri).isPresent();
    }

    @Override
    public List<ContactTarget> lookup(Uri requestUri) {
        Optional<String> aor = identities.aor(requestUri);
        if (aor.isEmpty()) {
            return List.of();
        }
        String gr = requestUri instanceof SipUri sip ? sip.params().get("gr").orElse(null) : null;
        return targets(location.lookup(aor.get(), scheduler.now()), gr);
    }

    /** The AOR is the key the bindings are kept under: no identity to resolve, no URI to parse. */
    @Override
    public List<ContactTarget> devicesOf(String aor) {
        return targets(location.lookup(aor, scheduler.now()), null);
    }

    /** The bindings as targets in one pass; with {@code gr}, only the device of that instance. */
    private static List<ContactTarget> targets(List<Binding> bindings, String gr) {
        if (bindings.isEmpty()) {
            return List.of();
        }
        List<ContactTarget> out = new ArrayList<>(bindings.size());
        for (Binding b : bindings) {
            if (gr == null || b.instance().map(i -> Registrar.publicGruu("", i).equals(";gr=" + gr)).orElse(false)) {
                out.add(target(b));
            }
        }
        return out;
    }

    @Override
    public Optional<ContactTarget> byContact(Uri contactUri) {
        if (!(contactUri instanceof SipUri sip)) {
            return Optional.empty();
        }
        return location.byContact(sip, scheduler.now()).map(RegistrarLocator::target);
    }

    private static ContactTarget target(Binding b) {
        return new ContactTarget(b.contact(), b.path(), b.flow(), b.regId() > 0, b.q());
    }
}
