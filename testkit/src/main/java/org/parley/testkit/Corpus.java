package org.parley.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Third-party test messages kept in this module's resources under {@code corpora/} (IETF RFC test
 * messages and examples; each folder's PROVENANCE.md says where the bytes come from). They travel
 * with the repository, so a test that names a file it cannot find fails instead of skipping.
 */
public final class Corpus {
    private Corpus() {
    }

    /** The bytes of {@code corpora/<path>}, exactly as stored (CRLF kept). */
    public static byte[] bytes(String path) {
        String resource = "/corpora/" + path;
        try (InputStream in = Corpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test corpus file missing from the testkit: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test corpus file " + resource, e);
        }
    }
}
