package org.parley.conference;

import java.time.LocalDate;
import java.util.Optional;

/** What rooms read of a user's XDM profile (org.openmobilealliance.user-profile). */
public interface Profiles {
    /** The profile's display name: the default screen name (UC 5.17). */
    Optional<String> displayName(String aor);

    /** For adult-only rooms; a user whose profile gives none counts as a minor. */
    Optional<LocalDate> birthDate(String aor);
}
