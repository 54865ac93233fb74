package org.parley.xdm.contacts;

import java.util.Optional;

/**
 * An entry of a contact list.
 *
 * @param nickname the entry's display-name
 * @param pending  the contact has "authorisation on" and has not approved yet (UC 5.1 step 26)
 */
public record Contact(String uri, Optional<String> nickname, boolean pending) {
}
