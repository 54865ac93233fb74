package org.parley.messaging.store;

/** Messaging settings per user name; a user with none stored has {@link MessagingControls#DEFAULT}. */
public interface ControlsStore {
    MessagingControls get(String username);

    void put(String username, MessagingControls controls);
}
