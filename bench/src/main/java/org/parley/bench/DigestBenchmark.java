package org.parley.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.parley.accounts.DigestCredentials;
import org.parley.accounts.digest.AuthOutcome;
import org.parley.accounts.digest.DigestAlgorithm;
import org.parley.accounts.digest.DigestAuthenticator;
import org.parley.accounts.digest.NonceService;

/**
 * Digest authentication (RFC 7616, RFC 3261 §22.4) as a SIP request pays for it: a nonce for the
 * challenge, and the check of the answer (nonce MAC, nonce-count, HA2 and response hashes).
 * {@code challengeAndVerify} also computes the client's response (two MD5s), since every
 * invocation needs a fresh nonce-count: a replayed one would be refused before any hashing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class DigestBenchmark {
    private static final String REALM = "localhost";
    private static final String URI = "sip:rcp00042@localhost";
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private NonceService nonces;
    private DigestAuthenticator authenticator;
    private String ha1;
    private String nonce;
    private long nc;

    @Setup
    public void setUp() {
        nonces = new NonceService(Duration.ofMinutes(5));
        ha1 = DigestAlgorithm.MD5.hash("snd00421:" + REALM + ":pw-snd00421");
        DigestCredentials credentials = new DigestCredentials("snd00421", REALM, ha1,
                DigestAlgorithm.SHA_256.hash("snd00421:" + REALM + ":pw-snd00421"));
        authenticator = new DigestAuthenticator(REALM, List.of(DigestAlgorithm.MD5, DigestAlgorithm.SHA_256), nonces,
                user -> Optional.of(credentials));
        nonce = nonces.issue(NOW);
    }

    @Benchmark
    public List<String> challenge() {
        return authenticator.challenges(false, NOW);
    }

    @Benchmark
    public AuthOutcome challengeAndVerify() {
        String count = String.format("%08x", ++nc);
        String ha2 = DigestAlgorithm.MD5.hash("MESSAGE:" + URI);
        String response = DigestAlgorithm.MD5.hash(ha1 + ":" + nonce + ":" + count + ":6b8b4567:auth:" + ha2);
        String header = "Digest username=\"snd00421\",realm=\"" + REALM + "\",cnonce=\"6b8b4567\",nc=" + count
                + ",qop=auth,uri=\"" + URI + "\",nonce=\"" + nonce + "\",response=\"" + response + "\",algorithm=MD5";
        AuthOutcome outcome = authenticator.verify("MESSAGE", List.of(header), NOW);
        if (!(outcome instanceof AuthOutcome.Authenticated)) {
            throw new IllegalStateException("the benchmark's credentials were refused: " + outcome);
        }
        return outcome;
    }
}
