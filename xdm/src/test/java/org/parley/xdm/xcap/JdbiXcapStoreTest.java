package org.parley.xdm.xcap;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.testkit.DatabaseTarget;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapDocuments;
import org.parley.xdm.usage.ietf.IetfUsages;
import org.parley.xdm.usage.ietf.ServiceUris;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The document store and the XcapDocuments API on H2 and PostgreSQL. */
@DisplayName("RFC 4825 §7 document storage: C4 XCAP document store: byte-exact, ETags, conditional writes (H2 and PostgreSQL)")
class JdbiXcapStoreTest {
    private static final DocumentContext ALICE = new DocumentContext("resource-lists", false, "sip:alice@example.org", "folder/index");
    private static final DocumentContext GLOBAL = new DocumentContext("resource-lists", true, null, "index");
    private static final byte[] DOC = ("<?xml version='1.0' encoding='UTF-8'?>\r\n<resource-lists   "
            + "xmlns=\"urn:ietf:params:xml:ns:resource-lists\" ><list name='caf\u00e9'/></resource-lists>\n")
            .getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void storesByteExactWithConditions(DatabaseTarget target) throws Exception {
        try (Database db = Database.open(DatabaseSettings.external(target.jdbcUrl(), target.user(), target.password()))) {
            JdbiXcapStore store = new JdbiXcapStore(db, Clock.systemUTC());
            XcapService service = new XcapService(store, new ApplicationUsages(IetfUsages.all(store, new ServiceUris("example.org", user -> false))));
            String first = service.write(ALICE, DOC, Optional.empty());
            assertThat(service.read(ALICE)).get().satisfies(s -> {
                assertThat(s.content()).isEqualTo(DOC);
                assertThat(s.etag()).isEqualTo(first);
            });
            assertThatThrownBy(() -> service.write(ALICE, DOC, Optional.empty()))
                    .isInstanceOf(XcapDocuments.PreconditionFailed.class);
            String second = service.write(ALICE, DOC, Optional.of(first));
            assertThat(second).as("every write is a new ETag, even of the same bytes").isNotEqualTo(first);
            assertThatThrownBy(() -> service.write(ALICE, DOC, Optional.of(first)))
                    .isInstanceOf(XcapDocuments.PreconditionFailed.class);
            service.write(GLOBAL, DOC, null);
            assertThat(service.read(GLOBAL)).isPresent();
            assertThat(service.documentNames("resource-lists", "sip:alice@example.org")).containsExactly("folder/index");
            assertThat(service.delete(ALICE)).isTrue();
            assertThat(service.delete(ALICE)).isFalse();
            assertThat(service.read(ALICE)).isEmpty();
        }
    }
}
