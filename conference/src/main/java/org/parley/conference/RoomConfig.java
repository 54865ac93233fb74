package org.parley.conference;

/**
 * What an administrator sets about a room (PP-40, PP-41, UC 5.17).
 *
 * @param subject     the room's name as people read it
 * @param maxMembers  the most members at once, within the operator's maximum
 * @param locked      nobody joins without an invitation
 * @param publicRoom  listed in the directory; members see each other by screen name only
 * @param adultOnly   minors are kept out (by the birth date of their XDM user profile)
 * @param historySize how many recent messages the room keeps and gives a member who joins
 */
public record RoomConfig(String subject, String topic, int maxMembers, boolean locked, boolean publicRoom,
                         boolean adultOnly, int historySize) {
    public static final int MAX_SUBJECT = 256;
    public static final int MAX_TOPIC = 1024;

    public RoomConfig {
        if (subject.length() > MAX_SUBJECT || topic.length() > MAX_TOPIC) {
            throw new RoomException(RoomException.Kind.BAD_REQUEST, "The name may have " + MAX_SUBJECT
                    + " characters, the topic " + MAX_TOPIC);
        }
        if ((subject + topic).chars().anyMatch(Character::isISOControl)) {
            throw new RoomException(RoomException.Kind.BAD_REQUEST, "The name and topic are one line each, "
                    + "without control characters");
        }
        if (maxMembers < 1 || historySize < 0) {
            throw new RoomException(RoomException.Kind.BAD_REQUEST,
                    "maxMembers must be at least 1, historySize at least 0");
        }
    }
}
