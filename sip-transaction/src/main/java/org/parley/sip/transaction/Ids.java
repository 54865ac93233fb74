package org.parley.sip.transaction;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.parley.sip.message.Via;

/** Branches and tags: unguessable, since a guessed branch lets anyone inject responses. */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static String branch() {
        return Via.MAGIC_COOKIE + random(12);
    }

    static String tag() {
        return random(8);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
