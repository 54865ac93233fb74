package org.parley.xdm;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.accounts.Account;
import org.parley.accounts.AccountService;
import org.parley.accounts.JdbiAccountService;
import org.parley.accounts.NewAccount;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.testkit.DatabaseTarget;
import org.parley.xdm.contacts.ContactNotifier;
import org.parley.xdm.contacts.ContactService;
import org.parley.xdm.oma.Group;
import org.parley.xdm.oma.GroupAddresses;
import org.parley.xdm.oma.GroupContentUsage;
import org.parley.xdm.oma.GroupService;
import org.parley.xdm.oma.GroupUsage;
import org.parley.xdm.oma.GroupUsageListUsage;
import org.parley.xdm.oma.NewGroup;
import org.parley.xdm.oma.UserProfileUsage;
import org.parley.xdm.search.DirectoryIndex;
import org.parley.xdm.search.DirectoryPolicy;
import org.parley.xdm.usage.ietf.IetfUsages;
import org.parley.xdm.usage.ietf.ServiceUris;
import org.parley.xdm.xcap.ApplicationUsages;
import org.parley.xdm.xcap.JdbiXcapStore;
import org.parley.xdm.xcap.XcapService;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("PP2-5, issue 9 §7: an account's XDM data (documents, owned groups and folders, contacts, directory) exported and erased")
class XdmAccountDataTest {
    private static final String DOMAIN = "example.org";
    private static final String ALICE = "sip:alice@example.org";
    private static final String BOB = "sip:bob@example.org";

    private static final ContactNotifier QUIET = new ContactNotifier() {
        @Override
        public void added(String targetXui, String byXui, boolean approvalNeeded) {
        }

        @Override
        public void approved(String watcherXui, String targetXui) {
        }

        @Override
        public void declined(String watcherXui, String targetXui) {
        }
    };

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void exportsThenErasesEverythingTheAccountOwnsAndNothingElse(DatabaseTarget target) throws Exception {
        try (Database db = Database.open(DatabaseSettings.external(target.jdbcUrl(), target.user(), target.password()))) {
            AccountService accounts = new JdbiAccountService(db, DOMAIN);
            for (String user : List.of("alice", "bob")) {
                accounts.create(new NewAccount(user, user + "-secret", Optional.empty(), Optional.empty(), List.of()));
            }
            Clock clock = Clock.systemUTC();
            JdbiXcapStore store = new JdbiXcapStore(db, clock);
            GroupAddresses addresses = new GroupAddresses(DOMAIN, "groups." + DOMAIN);
            List<ApplicationUsage> all = new ArrayList<>(IetfUsages.all(store, new ServiceUris(DOMAIN, user -> accounts.find(user).isPresent())));
            all.add(new GroupUsage(addresses, 100));
            all.add(new GroupUsageListUsage());
            all.add(new UserProfileUsage());
            ApplicationUsages usages = new ApplicationUsages(all);
            XcapService xcap = new XcapService(store, usages);
            GroupService groups = new GroupService(xcap, addresses, clock);
            usages.register(new GroupContentUsage(groups));
            DirectoryIndex directory = DirectoryIndex.attach(db, xcap, DirectoryPolicy.defaults());
            ContactService contacts = new ContactService(xcap, accounts, DOMAIN, QUIET);
            XdmAccountData data = new XdmAccountData(xcap, () -> usages.all().stream().map(ApplicationUsage::auid)
                    .filter(a -> !a.equals("xcap-caps")).toList(), addresses, contacts, directory, DOMAIN);

            contacts.add(ALICE, "friends", "bob", Optional.of("Bobby"));
            contacts.add(BOB, "friends", "alice", Optional.empty());
            xcap.write(UserProfileUsage.of(ALICE), ("<user-profile xmlns=\"urn:oma:xml:xdm:user-profile\" "
                    + "xmlns:px=\"urn:parley:xml:ns:xdm-ext\" uri=\"" + ALICE + "\"><birth-date>1990-01-01</birth-date>"
                    + "<px:searchable>true</px:searchable></user-profile>").getBytes(StandardCharsets.UTF_8), null);
            Group club = groups.createUserGroup(ALICE, "club", new NewGroup(Optional.of("Club"), List.of(BOB),
                    OptionalInt.empty(), Group.Membership.CLOSED, Group.ContentWrite.OWNER, Optional.empty()));
            DocumentContext folder = new DocumentContext(GroupContentUsage.AUID, false, club.uri(), "agenda");
            xcap.write(folder, "<agenda><item>Friday</item></agenda>".getBytes(StandardCharsets.UTF_8), null);
            Account alice = accounts.find("alice").orElseThrow();

            List<?> documents = (List<?>) data.documents().export(alice);
            assertThat(documents).extracting(d -> ((XdmAccountData.DocumentView) d).auid())
                    .containsExactlyInAnyOrder(GroupContentUsage.AUID, "resource-lists", UserProfileUsage.AUID,
                            GroupUsage.AUID, GroupUsageListUsage.AUID);
            assertThat(documents).extracting(d -> ((XdmAccountData.DocumentView) d).content())
                    .anyMatch(c -> c.contains("<agenda>")).anyMatch(c -> c.contains("Bobby"));
            assertThat((List<?>) data.contacts().export(alice)).singleElement()
                    .satisfies(l -> assertThat(((XdmAccountData.ListView) l).contacts()).singleElement()
                            .extracting(XdmAccountData.ContactView::nickname).isEqualTo("Bobby"));
            assertThat(data.directory().export(alice)).isEqualTo(new XdmAccountData.DirectoryView(true));

            data.documents().erase(alice);
            data.contacts().erase(alice);
            data.directory().erase(alice);

            assertThat((List<?>) data.documents().export(alice)).isEmpty();
            assertThat((List<?>) data.contacts().export(alice)).isEmpty();
            assertThat(data.directory().export(alice)).isEqualTo(new XdmAccountData.DirectoryView(false));
            assertThat(xcap.read(folder)).isEmpty();
            assertThat(groups.find(club.uri())).isEmpty();
            assertThat(xcap.documentNames("resource-lists", BOB)).as("bob's list, naming alice, is bob's").hasSize(1);
            // erasing again finds nothing to do
            data.documents().erase(alice);
        }
    }
}
