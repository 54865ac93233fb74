package org.parley.conference;

import java.time.Instant;

/**
 * A message as a room keeps it in its history.
 *
 * @param sender as the members saw the sender: the screen name in a public room, else the address
 */
public record RoomMessage(long sequence, String sender, String contentType, byte[] body, Instant at) {
}
