package org.parley.xdm.search;

import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.testkit.DatabaseTarget;
import org.parley.xdm.oma.InMemoryXcapDocuments;
import org.parley.xdm.oma.UserProfileUsage;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** (UC 5.19 directory search) Profiles of a few users with names and numbers that must never come out of a search. */
final class DirectoryFixture implements AutoCloseable {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);
    static final String JAN = "sip:jan@example.org";
    static final String KIM = "sip:kim@example.org";
    static final String LEE = "sip:lee@example.org";
    static final String MAX = "sip:max@example.org";
    static final String NOAGE = "sip:noage@example.org";
    static final String ME = "sip:me@example.org";

    final Database database;
    final InMemoryXcapDocuments documents = new InMemoryXcapDocuments(new UserProfileUsage());
    final DirectoryIndex index;
    final DirectorySearch search;

    DirectoryFixture(DatabaseTarget target, DirectoryPolicy policy) {
        database = Database.open(DatabaseSettings.external(target.jdbcUrl(), target.user(), target.password()));
        index = DirectoryIndex.attach(database, documents, policy);
        search = new DirectorySearch(database, policy, CLOCK);
        profile(JAN, """
                <display-name>Jan Diver</display-name>
                <communication-addresses><uri>tel:+31201234567</uri></communication-addresses>
                <birth-date>1990-06-01</birth-date><gender>female</gender>
                <address><locality>Lyon</locality><country>FR</country></address>
                <freetext>Scuba diving and 100% jazz</freetext>
                <px:intention>friendship</px:intention><px:searchable>true</px:searchable>""");
        profile(KIM, """
                <display-name>Kim Young</display-name><birth-date>2009-01-01</birth-date><gender>female</gender>
                <address><locality>Lyon</locality><country>FR</country></address>
                <freetext>jazz</freetext><px:intention>friendship</px:intention><px:searchable>true</px:searchable>""");
        profile(LEE, """
                <display-name>Lee Hidden</display-name><birth-date>1985-03-03</birth-date><gender>male</gender>
                <address><locality>Lyon</locality><country>FR</country></address>
                <freetext>jazz</freetext><px:searchable>false</px:searchable>""");
        profile(MAX, """
                <display-name>Max Default</display-name><birth-date>1995-09-09</birth-date><gender>male</gender>
                <address><locality>Paris</locality><country>FR</country></address><freetext>jazz</freetext>""");
        profile(NOAGE, """
                <display-name>No Age</display-name><gender>female</gender>
                <address><locality>Lyon</locality><country>FR</country></address>
                <freetext>jazz</freetext><px:searchable>true</px:searchable>""");
        profile(ME, """
                <birth-date>1980-01-01</birth-date><address><locality>Lyon</locality></address>
                <freetext>jazz</freetext><px:searchable>true</px:searchable>""");
    }

    void profile(String xui, String body) {
        String xml = "<user-profile xmlns=\"urn:oma:xml:xdm:user-profile\" xmlns:px=\"urn:parley:xml:ns:xdm-ext\" uri=\""
                + xui + "\">" + body + "</user-profile>";
        try {
            documents.write(UserProfileUsage.of(xui), xml.getBytes(StandardCharsets.UTF_8), null);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
