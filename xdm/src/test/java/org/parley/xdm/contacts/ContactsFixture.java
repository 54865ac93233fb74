package org.parley.xdm.contacts;

import org.parley.accounts.AccountService;
import org.parley.accounts.JdbiAccountService;
import org.parley.accounts.NewAccount;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.testkit.DatabaseTarget;
import org.parley.testkit.TestDatabases;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapDocuments;
import org.parley.xdm.oma.UserProfileUsage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** (UC 5.1 / UC 5.19 contact-list) Accounts in H2, a contact service on the documents given, and a notifier that records what it is told. */
final class ContactsFixture implements AutoCloseable {
    static final String BOB = "sip:scubabob@example.org";
    static final String JAN = "sip:scubajan@example.org";
    static final String ROMEO = "sip:romeo@example.org";
    static final String MARIA = "sip:maria@example.org";

    /** What the service told whom. */
    static final class RecordingNotifier implements ContactNotifier {
        final List<String> notices = new ArrayList<>();

        @Override
        public void added(String targetXui, String byXui, boolean approvalNeeded) {
            notices.add("added " + targetXui + " by " + byXui + (approvalNeeded ? " (approval needed)" : ""));
        }

        @Override
        public void approved(String watcherXui, String targetXui) {
            notices.add("approved " + watcherXui + " by " + targetXui);
        }

        @Override
        public void declined(String watcherXui, String targetXui) {
            notices.add("declined " + watcherXui + " by " + targetXui);
        }
    }

    final Database database;
    final AccountService accounts;
    final XcapDocuments documents;
    final RecordingNotifier notifier = new RecordingNotifier();
    final ContactService contacts;

    ContactsFixture(XcapDocuments documents) {
        this(documents, openH2());
    }

    ContactsFixture(XcapDocuments documents, Database database) {
        this.database = database;
        this.documents = documents;
        accounts = new JdbiAccountService(database, "example.org");
        accounts.create(new NewAccount("scubabob", "scubabob-password", Optional.of("Bob Diver"), Optional.empty(),
                List.of()));
        accounts.create(new NewAccount("scubajan", "scubajan-password", Optional.of("Jan Diver"),
                Optional.of("+442079460000"), List.of("jan-the-diver")));
        accounts.create(new NewAccount("romeo", "romeo-password", Optional.empty(), Optional.of("+33612345678"),
                List.of()));
        accounts.create(new NewAccount("maria", "maria-password", Optional.empty(), Optional.empty(), List.of()));
        contacts = new ContactService(documents, accounts, "example.org", notifier);
    }

    static Database openH2() {
        DatabaseTarget target = TestDatabases.h2();
        return Database.open(DatabaseSettings.external(target.jdbcUrl(), target.user(), target.password()));
    }

    /** "Authorisation on" (the default) or off for this user, in their user profile. */
    void authorisation(String xui, boolean required) throws Exception {
        String xml = "<user-profile xmlns=\"urn:oma:xml:xdm:user-profile\" xmlns:px=\"urn:parley:xml:ns:xdm-ext\""
                + " uri=\"" + xui + "\"><px:authorisation-required>" + required + "</px:authorisation-required></user-profile>";
        documents.write(UserProfileUsage.of(xui), xml.getBytes(StandardCharsets.UTF_8), null);
    }

    String text(DocumentContext where) {
        return documents.read(where).map(s -> new String(s.content(), StandardCharsets.UTF_8)).orElse(null);
    }

    @Override
    public void close() {
        database.close();
    }
}
