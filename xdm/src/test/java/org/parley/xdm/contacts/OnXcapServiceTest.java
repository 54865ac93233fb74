package org.parley.xdm.contacts;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.store.Database;
import org.parley.xdm.ApplicationUsage;
import org.parley.xdm.XcapConflict;
import org.parley.xdm.oma.ActiveSessions;
import org.parley.xdm.oma.DocumentUpdates;
import org.parley.xdm.oma.GroupAddresses;
import org.parley.xdm.oma.GroupService;
import org.parley.xdm.oma.GroupUsage;
import org.parley.xdm.oma.GroupUsageList;
import org.parley.xdm.oma.GroupUsageListUsage;
import org.parley.xdm.oma.NewGroup;
import org.parley.xdm.oma.TemporaryGroupIndex;
import org.parley.xdm.oma.TemporaryGroupSweeper;
import org.parley.xdm.oma.UserProfileUsage;
import org.parley.xdm.search.DirectoryIndex;
import org.parley.xdm.search.DirectoryPolicy;
import org.parley.xdm.search.DirectoryQuery;
import org.parley.xdm.search.DirectorySearch;
import org.parley.xdm.usage.ietf.IetfUsages;
import org.parley.xdm.usage.ietf.ServiceUris;
import org.parley.xdm.xcap.ApplicationUsages;
import org.parley.xdm.xcap.JdbiXcapStore;
import org.parley.xdm.xcap.XcapService;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.xdm.contacts.ContactsFixture.BOB;
import static org.parley.xdm.contacts.ContactsFixture.JAN;
import static org.parley.xdm.contacts.ContactsFixture.MARIA;
import static org.parley.xdm.contacts.ContactsFixture.ROMEO;

/** The OMA usages and the services on the real XCAP service and its store, with the IETF usages beside them. */
@DisplayName("UC 5.1, UC 5.19, UC 5.12 on the real XcapService")
class OnXcapServiceTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final GroupAddresses ADDRESSES = new GroupAddresses("example.org", "groups.example.org");

    private final Database database = ContactsFixture.openH2();
    private final JdbiXcapStore store = new JdbiXcapStore(database, Clock.fixed(NOW, ZoneOffset.UTC));
    private final XcapService xcap = new XcapService(store, new ApplicationUsages(usages()));
    private final ContactsFixture f = new ContactsFixture(xcap, database);

    private List<ApplicationUsage> usages() {
        List<ApplicationUsage> all = new ArrayList<>(IetfUsages.all(store, new ServiceUris("example.org", user -> false)));
        all.addAll(List.of(new GroupUsage(ADDRESSES, 100), new GroupUsageListUsage(), new UserProfileUsage()));
        return all;
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    @DisplayName("UC 5.1 pending add, approval into pres-rules (validated by the pres-rules usage), rename and move")
    void contactFlow() throws Exception {
        assertThat(f.contacts.add(BOB, "buddies", "scubajan", Optional.empty()).pending()).isTrue();
        f.contacts.approve(JAN, BOB);
        assertThat(f.text(PresRulesXml.of(JAN))).contains(BOB);
        assertThat(f.contacts.lists(BOB).getFirst().contacts().getFirst().pending()).isFalse();

        f.contacts.add(BOB, "buddies", "romeo", Optional.of("Crazy-Girl"));
        f.contacts.add(BOB, "buddies", "maria", Optional.of("Curly-Top"));
        assertThatThrownBy(() -> f.contacts.rename(BOB, "buddies", MARIA, "crazy-girl"))
                .isInstanceOf(ContactException.class);
        f.contacts.rename(BOB, "buddies", ROMEO, "Pretty-Girl");
        f.contacts.move(BOB, "buddies", ROMEO, "friends");
        assertThat(f.contacts.lists(BOB)).extracting(ContactList::name).containsExactly("buddies", "friends");
        assertThat(f.notifier.notices).hasSize(4);
    }

    @Test
    @DisplayName("UC 5.19 the directory index follows profile writes and deletes on the XCAP service")
    void directory() throws Exception {
        DirectoryIndex.attach(database, xcap, DirectoryPolicy.defaults());
        DirectorySearch search = new DirectorySearch(database, DirectoryPolicy.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
        String xml = "<user-profile xmlns=\"urn:oma:xml:xdm:user-profile\" xmlns:px=\"urn:parley:xml:ns:xdm-ext\""
                + " uri=\"" + JAN + "\"><display-name>Jan</display-name><birth-date>1990-01-01</birth-date>"
                + "<address><locality>Lyon</locality></address><px:searchable>true</px:searchable></user-profile>";
        xcap.write(UserProfileUsage.of(JAN), xml.getBytes(StandardCharsets.UTF_8), Optional.empty());
        assertThat(search.search(BOB, DirectoryQuery.any().city("lyon"))).hasSize(1);
        assertThatThrownBy(() -> xcap.write(UserProfileUsage.of(BOB), xml.getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(XcapConflict.class);
        xcap.delete(UserProfileUsage.of(JAN));
        assertThat(search.search(BOB, DirectoryQuery.any().city("lyon"))).isEmpty();
    }

    @Test
    @DisplayName("UC 5.12 a temporary group on the XCAP service is swept and leaves the owner's group usage list")
    void temporaryGroup() throws Exception {
        GroupService groups = new GroupService(xcap, ADDRESSES, Clock.fixed(NOW, ZoneOffset.UTC));
        TemporaryGroupIndex index = TemporaryGroupIndex.attach(database, xcap, ADDRESSES);
        List<String> told = new ArrayList<>();
        TemporaryGroupSweeper sweeper = new TemporaryGroupSweeper(index, groups, ActiveSessions.NONE,
                (owner, uri) -> told.add(owner));
        String uri = groups.createUserGroup(BOB, "dive-trip", NewGroup.closed("Dive trip", List.of(JAN))
                .temporary(Duration.ofHours(3))).uri();
        GroupUsageList usageList = new GroupUsageList(new DocumentUpdates(xcap));
        assertThat(usageList.groups(BOB)).containsExactly(uri);

        assertThat(sweeper.sweep(NOW.plus(Duration.ofHours(3)))).containsExactly(uri);
        assertThat(usageList.groups(BOB)).isEmpty();
        assertThat(told).containsExactly(BOB);
    }
}
