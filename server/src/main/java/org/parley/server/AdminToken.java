package org.parley.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/** The admin API bearer token: configured, or generated once into {@code <data.dir>/admin.token}. */
final class AdminToken {
    private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);
    static final String FILE_NAME = "admin.token";

    private AdminToken() {
    }

    static Secret resolve(Optional<Secret> configured, Path dataDir) {
        if (configured.isPresent()) {
            return configured.get();
        }
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.isRegularFile(file)) {
                String token = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!token.isEmpty()) {
                    LOG.info("Admin API token: read from {}", file.toAbsolutePath());
                    return new Secret(token);
                }
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            FilePermissions.writePrivate(file, (token + "\n").getBytes(StandardCharsets.UTF_8));
            LOG.info("Admin API token: generated into {}", file.toAbsolutePath());
            return new Secret(token);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the admin token file " + file, e);
        }
    }
}
