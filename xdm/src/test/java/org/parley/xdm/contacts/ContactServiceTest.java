package org.parley.xdm.contacts;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.xdm.oma.InMemoryXcapDocuments;
import org.parley.xdm.oma.UserProfileUsage;
import org.parley.xdm.usage.ietf.PresRulesUsage;
import org.parley.xdm.usage.ietf.ResourceListsUsage;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.xdm.contacts.ContactsFixture.BOB;
import static org.parley.xdm.contacts.ContactsFixture.JAN;
import static org.parley.xdm.contacts.ContactsFixture.MARIA;
import static org.parley.xdm.contacts.ContactsFixture.ROMEO;

class ContactServiceTest {
    private final InMemoryXcapDocuments documents = new InMemoryXcapDocuments(new ResourceListsUsage(),
            new PresRulesUsage(), new UserProfileUsage());
    private final ContactsFixture f = new ContactsFixture(documents);
    private final ContactService contacts = f.contacts;

    @AfterEach
    void close() {
        f.close();
    }

    private static Contact contact(String uri, String nickname) {
        return new Contact(uri, Optional.of(nickname), false);
    }

    @Test
    @DisplayName("UC 5.19 / Add Contact: by user name, alias, E.164 number in any spelling (PP-45) or XUI; the added user is told")
    void addByAnyIdentifier() throws Exception {
        f.authorisation(JAN, false);
        f.authorisation(ROMEO, false);
        assertThat(contacts.add(BOB, "friends", "ScubaJan", Optional.empty()))
                .as("nickname defaults to the alias the user chose").isEqualTo(contact(JAN, "jan-the-diver"));
        contacts.remove(BOB, "friends", JAN);
        assertThat(contacts.add(BOB, "friends", "jan-the-diver", Optional.of("Jan"))).isEqualTo(contact(JAN, "Jan"));
        contacts.remove(BOB, "friends", JAN);
        assertThat(contacts.add(BOB, "friends", "+44 20 7946-0000", Optional.of("Jan"))).isEqualTo(contact(JAN, "Jan"));
        contacts.remove(BOB, "friends", JAN);
        assertThat(contacts.add(BOB, "friends", "tel:+44-20-7946-0000", Optional.of("Jan")).uri()).isEqualTo(JAN);
        assertThat(contacts.add(BOB, "friends", "sip:romeo@example.org", Optional.empty()))
                .as("a directory search result's XUI").isEqualTo(contact(ROMEO, "romeo"));

        assertThat(f.notifier.notices).containsOnly("added " + JAN + " by " + BOB, "added " + ROMEO + " by " + BOB);
        assertThatThrownBy(() -> contacts.add(BOB, "friends", "+44 20 7946 0001", Optional.empty()))
                .isInstanceOf(ContactException.class).extracting("kind").isEqualTo(ContactException.Kind.NOT_FOUND);
        assertThatThrownBy(() -> contacts.add(BOB, "friends", "nobody", Optional.empty()))
                .isInstanceOf(ContactException.class).extracting("kind").isEqualTo(ContactException.Kind.NOT_FOUND);
        assertThatThrownBy(() -> contacts.add(BOB, "friends", "scubabob", Optional.empty()))
                .isInstanceOf(ContactException.class).extracting("kind").isEqualTo(ContactException.Kind.INVALID);
        assertThatThrownBy(() -> contacts.add(BOB, "friends", "romeo", Optional.of("Other")))
                .as("already in the list").isInstanceOf(ContactException.class)
                .extracting("kind").isEqualTo(ContactException.Kind.CONFLICT);
    }

    @Test
    @DisplayName("UC 5.19 contacts of other domains are kept as they are (IWF-6), without notice")
    void foreignContact() {
        assertThat(contacts.add(BOB, "friends", "sip:Alice@Other.NET;transport=tcp", Optional.empty()))
                .isEqualTo(contact("sip:Alice@other.net", "Alice"));
        assertThat(f.notifier.notices).isEmpty();
    }

    @Test
    @DisplayName("UC 5.1, GU-5 / Add Contact: on defaults the target is asked, finds the request, and the watcher is pending until approval, recorded in their pres-rules")
    void authorisationFlow() throws Exception {
        // Steps 21-27: Jan is added, pending, and asked.
        Contact pending = contacts.add(BOB, "buddies", "scubajan", Optional.empty());
        assertThat(pending.pending()).isTrue();
        assertThat(f.notifier.notices).containsExactly("added " + JAN + " by " + BOB + " (approval needed)");
        assertThat(f.text(ResourceListsXml.of(BOB))).contains("pending=\"true\"");
        assertThat(contacts.requests(JAN)).containsExactly(new ContactRequest(BOB, "buddies"));
        assertThat(contacts.requests(BOB)).isEmpty();

        // Steps 34-38: Jan approves; Bob's entry is a normal one and Bob is told.
        contacts.approve(JAN, BOB);
        assertThat(contacts.requests(JAN)).isEmpty();
        assertThat(contacts.lists(BOB).getFirst().contacts()).containsExactly(contact(JAN, "jan-the-diver"));
        String presRules = f.text(PresRulesXml.of(JAN));
        assertThat(presRules).contains("<cr:one id=\"" + BOB + "\"/>", "<pr:sub-handling>allow</pr:sub-handling>");
        assertThat(f.notifier.notices).last().isEqualTo("approved " + BOB + " by " + JAN);

        // Nothing more to approve; and Jan's earlier approval makes a second list entry immediate.
        assertThatThrownBy(() -> contacts.approve(JAN, BOB)).isInstanceOf(ContactException.class);
        assertThat(contacts.add(BOB, "divers", "scubajan", Optional.empty()).pending()).isFalse();
    }

    @Test
    @DisplayName("Add Contact: a declined request takes the pending entry away and tells the watcher")
    void decline() throws Exception {
        contacts.add(MARIA, "friends", "scubajan", Optional.empty());
        contacts.decline(JAN, MARIA);
        assertThat(contacts.lists(MARIA).getFirst().contacts()).isEmpty();
        assertThat(f.notifier.notices).last().isEqualTo("declined " + MARIA + " by " + JAN);
        assertThat(f.text(PresRulesXml.of(JAN))).as("RFC 5025 §3.2.1: a pending subscription ends")
                .contains("<cr:one id=\"" + MARIA + "\"/>", "<pr:sub-handling>block</pr:sub-handling>");

        // asked again and approved: our block rule becomes an allow rule, not a second rule
        contacts.add(MARIA, "friends", "scubajan", Optional.empty());
        contacts.approve(JAN, MARIA);
        assertThat(f.text(PresRulesXml.of(JAN))).contains("<pr:sub-handling>allow</pr:sub-handling>")
                .doesNotContain("block");
        assertThatThrownBy(() -> contacts.approve(JAN, ROMEO)).isInstanceOf(ContactException.class)
                .extracting("kind").isEqualTo(ContactException.Kind.NOT_FOUND);
        assertThatThrownBy(() -> contacts.approve(JAN, "sip:someone@other.net")).as("not a user here")
                .isInstanceOf(ContactException.class).extracting("kind").isEqualTo(ContactException.Kind.NOT_FOUND);
    }

    @Test
    @DisplayName("UC 5.1: a user who switched authorisation off approves every request at once, into their pres-rules")
    void authorisationOff() throws Exception {
        f.authorisation(JAN, false);
        assertThat(contacts.add(MARIA, "friends", "scubajan", Optional.empty()).pending()).isFalse();
        assertThat(f.notifier.notices).containsExactly("added " + JAN + " by " + MARIA);
        assertThat(f.text(PresRulesXml.of(JAN))).contains("<cr:one id=\"" + MARIA + "\"/>", "allow");
        assertThat(contacts.requests(JAN)).isEmpty();
    }

    @Test
    @DisplayName("UC 5.11 / Modify Contact Name: rename succeeds if unique in its list, fails otherwise, and keeps all the entry's information")
    void rename() throws Exception {
        String xml = """
                <resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists" xmlns:x="urn:example:extra">
                <list name="disco">
                <entry uri="sip:romeo@example.org" x:colour="blue"><display-name xml:lang="en">Crazy-Girl</display-name>
                <x:phone>tel:+33612345678</x:phone><x:picture>cid:girl.png</x:picture></entry>
                <entry uri="sip:maria@example.org"><display-name>Curly-Top</display-name></entry>
                </list></resource-lists>""";
        documents.write(ResourceListsXml.of(BOB), xml.getBytes(StandardCharsets.UTF_8), null);

        ContactList updated = contacts.rename(BOB, "disco", ROMEO, "Pretty-Girl");
        assertThat(updated.contacts()).containsExactly(contact(ROMEO, "Pretty-Girl"), contact(MARIA, "Curly-Top"));
        assertThat(f.text(ResourceListsXml.of(BOB))).contains("x:colour=\"blue\"", "xml:lang=\"en\"",
                "<x:phone>tel:+33612345678</x:phone>", "<x:picture>cid:girl.png</x:picture>", "Pretty-Girl")
                .doesNotContain("Crazy-Girl");

        assertThatThrownBy(() -> contacts.rename(BOB, "disco", MARIA, "pretty-girl"))
                .isInstanceOf(ContactException.class).hasMessageContaining("pretty-girl (2) is free")
                .extracting("kind").isEqualTo(ContactException.Kind.CONFLICT);
        assertThat(contacts.rename(BOB, "disco", MARIA, "No-Hair").contacts()).contains(contact(MARIA, "No-Hair"));
        assertThat(contacts.rename(BOB, "disco", MARIA, "No-Hair").contacts()).as("renaming to its own name")
                .contains(contact(MARIA, "No-Hair"));
        assertThatThrownBy(() -> contacts.rename(BOB, "disco", JAN, "X")).isInstanceOf(ContactException.class)
                .extracting("kind").isEqualTo(ContactException.Kind.NOT_FOUND);
        assertThatThrownBy(() -> contacts.rename(BOB, "disco", MARIA, " ")).isInstanceOf(ContactException.class)
                .extracting("kind").isEqualTo(ContactException.Kind.INVALID);
    }

    @Test
    @DisplayName("UC 5.9 Julia adds Romeo to colleagues, then moves him to friends whole; lists are created and deleted")
    void moveBetweenLists() throws Exception {
        String julia = BOB;
        f.authorisation(MARIA, false);
        f.authorisation(ROMEO, false);
        f.authorisation(JAN, false);
        contacts.createList(julia, "friends", Optional.of("Friends"));
        contacts.add(julia, "friends", "maria", Optional.of("Maria"));
        contacts.add(julia, "colleagues", "romeo", Optional.of("Romeo"));
        assertThatThrownBy(() -> contacts.createList(julia, "friends", Optional.empty()))
                .isInstanceOf(ContactException.class).extracting("kind").isEqualTo(ContactException.Kind.CONFLICT);

        contacts.move(julia, "colleagues", ROMEO, "friends");
        List<ContactList> lists = contacts.lists(julia);
        assertThat(lists).containsExactly(
                new ContactList("friends", Optional.of("Friends"), List.of(contact(MARIA, "Maria"), contact(ROMEO, "Romeo"))),
                new ContactList("colleagues", Optional.empty(), List.of()));

        contacts.add(julia, "colleagues", "scubajan", Optional.of("Maria"));
        assertThatThrownBy(() -> contacts.move(julia, "colleagues", JAN, "friends"))
                .as("the nickname is taken in the target list").isInstanceOf(ContactException.class)
                .extracting("kind").isEqualTo(ContactException.Kind.CONFLICT);

        contacts.remove(julia, "friends", MARIA);
        contacts.deleteList(julia, "colleagues");
        assertThat(contacts.lists(julia)).containsExactly(
                new ContactList("friends", Optional.of("Friends"), List.of(contact(ROMEO, "Romeo"))));
        assertThatThrownBy(() -> contacts.deleteList(julia, "colleagues")).isInstanceOf(ContactException.class)
                .extracting("kind").isEqualTo(ContactException.Kind.NOT_FOUND);
    }
}
