package org.parley.messaging.store;

/** Messaging settings per user name; a user with none stored has {@link MessagingControls#DEFAULT}. */
public interface ControlsStore {
    MessagingControls get(String username);

    void put(String username, MessagingControls controls);

    /** Forgets the user's settings and block list (account deletion); the defaults apply again. */
    void delete(String username);
}
