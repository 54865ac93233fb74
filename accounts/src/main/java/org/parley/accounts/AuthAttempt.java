package org.parley.accounts;

import java.time.Instant;
import java.util.Optional;

/**
 * One registration or login attempt, successful or not ("record user's registration and login
 * attempts"). {@code door} says where it came from: "sip-register", "http-admin", "xcap", ...
 */
public record AuthAttempt(Instant at, String identity, boolean success, String reason, String door,
                          String source, String transport, Optional<String> userAgent) {
}
