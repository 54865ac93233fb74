package org.parley.registrar;

/**
 * Told when a device has registered or refreshed (called after the binding is stored), so that
 * services can act on a user coming online: deliver stored messages (MU-3, UC 5.13), refresh
 * network-provided presence.
 */
@FunctionalInterface
public interface RegistrationListener {
    RegistrationListener NONE = (aor, binding) -> { };

    void registered(String aor, Binding binding);

    /** Any successful REGISTER for the AOR, removals included (network-provided presence). */
    default void bindingsChanged(String aor) {
    }
}
