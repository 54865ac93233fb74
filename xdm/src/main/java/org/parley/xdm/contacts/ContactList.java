package org.parley.xdm.contacts;

import java.util.List;
import java.util.Optional;

/** A named list of a user's resource-lists "index" document. */
public record ContactList(String name, Optional<String> displayName, List<Contact> contacts) {
    public ContactList {
        contacts = List.copyOf(contacts);
    }
}
