package org.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The look-up cache on the request path (C1, PP-45 identities resolved per request): repeated
 * look-ups are served from memory, a change through the service is seen at once, and a change
 * made elsewhere (another process) is seen once the entry's time is up.
 */
@DisplayName("C1, PP-45: cached account look-ups stay correct")
class CachingAccountServiceTest {
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    /** An account store that counts its reads and can be changed behind the cache's back. */
    private static final class Counting implements AccountService {
        final AtomicInteger reads = new AtomicInteger();
        Optional<Account> alice = Optional.empty();

        @Override
        public Account create(NewAccount a) {
            alice = Optional.of(new Account(1, a.username(), a.username(), Optional.empty(), List.of(), Instant.EPOCH));
            return alice.get();
        }

        @Override
        public Optional<Account> find(String username) {
            reads.incrementAndGet();
            return alice;
        }

        @Override
        public Optional<Account> resolve(String identity) {
            reads.incrementAndGet();
            return alice;
        }

        @Override
        public Account update(String username, AccountUpdate update) {
            return alice.orElseThrow();
        }

        @Override
        public boolean delete(String username) {
            boolean had = alice.isPresent();
            alice = Optional.empty();
            return had;
        }

        @Override
        public Page<Account> list(int offset, int limit) {
            return new Page<>(alice.stream().toList(), offset, limit, alice.isPresent() ? 1 : 0);
        }

        @Override
        public Optional<DigestCredentials> credentials(String username) {
            reads.incrementAndGet();
            return Optional.empty();
        }
    }

    @Test
    void repeatedLookupsAreServedFromMemory() {
        Counting store = new Counting();
        CachingAccountService cached = new CachingAccountService(store, Duration.ofSeconds(5), clock);
        cached.resolve("alice");
        cached.resolve("alice");
        cached.find("alice");
        cached.find("alice");
        assertThat(store.reads).hasValue(2);
    }

    @Test
    void changesThroughTheServiceAreSeenAtOnce() {
        Counting store = new Counting();
        CachingAccountService cached = new CachingAccountService(store, Duration.ofSeconds(5), clock);
        assertThat(cached.resolve("alice")).isEmpty();
        cached.create(new NewAccount("alice", "secret-123", Optional.empty(), Optional.empty(), List.of()));
        assertThat(cached.resolve("alice")).isPresent();
        cached.delete("alice");
        assertThat(cached.resolve("alice")).isEmpty();
    }

    @Test
    void changesElsewhereAreSeenAfterTheTtl() {
        Counting store = new Counting();
        CachingAccountService cached = new CachingAccountService(store, Duration.ofSeconds(5), clock);
        assertThat(cached.find("alice")).isEmpty();
        store.create(new NewAccount("alice", "secret-123", Optional.empty(), Optional.empty(), List.of()));
        assertThat(cached.find("alice")).isEmpty();
        now = now.plusSeconds(6);
        assertThat(cached.find("alice")).isPresent();
    }
}
