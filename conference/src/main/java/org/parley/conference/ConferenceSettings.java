package org.parley.conference;

import java.time.Duration;
import org.parley.config.Config;

/**
 * The operator's policy for chat rooms and group chat ({@code conference.*} keys).
 *
 * @param publicChat         whether public rooms (UC 5.17) exist at all: off, none can be created,
 *                           listed or joined as public
 * @param maxMembers         the most members any room may have; a room's own limit stays below it
 * @param maxHistory         the most recent messages a room may keep (PP-38's provider policy); 0 keeps none
 * @param defaultHistory     what a new room keeps unless its administrator says otherwise
 * @param roomsPerUser       how many rooms one account may have created and still open
 * @param invitationLifetime how long an unanswered invitation stays valid (PP-30)
 * @param groupChatActive    how long after its last message a group's chat counts as going on,
 *                           keeping a temporary group (UC 5.12) alive
 * @param adultAge           the age from which a member may join an adult-only room
 * @param privateContact     whether members of a public room may turn a contact made there into a
 *                           private conversation (private messages, sessions or MESSAGEs to a
 *                           screen name: UC 5.17); false refuses them all
 * @param sessionBacklog     how many chunks a session member (MSRP) may leave unanswered before the
 *                           focus drops them: a slow reader must not hold the room up
 * @param sessionsPerMember  how many sessions one member may hold with one room at once (a device
 *                           each); an INVITE beyond them is refused, so a flood of INVITEs to a room
 *                           cannot pile up sessions at the focus
 */
public record ConferenceSettings(boolean publicChat, int maxMembers, int maxHistory, int defaultHistory,
                                 int roomsPerUser, Duration invitationLifetime, Duration groupChatActive,
                                 int adultAge, boolean privateContact, int sessionBacklog,
                                 int sessionsPerMember) {

    /** @throws org.parley.config.ConfigException naming the first bad key */
    public static ConferenceSettings from(Config c) {
        int maxHistory = c.nonNegative("conference.history.max-messages");
        int defaultHistory = c.nonNegative("conference.history.default-messages");
        if (defaultHistory > maxHistory) {
            throw c.invalid("conference.history.default-messages",
                    "must not exceed conference.history.max-messages (" + maxHistory + ")");
        }
        return new ConferenceSettings(c.bool("conference.public-chat.enabled"),
                c.positive("conference.room.max-members"),
                maxHistory, defaultHistory, c.positive("conference.rooms-per-user"),
                Duration.ofSeconds(c.positive("conference.invitation.lifetime-seconds")),
                Duration.ofSeconds(c.positive("conference.group-chat.active-seconds")),
                c.positive("conference.adult-age"), c.bool("conference.public-chat.private-contact"),
                c.positive("conference.session.max-unanswered"), c.positive("conference.session.max-per-member"));
    }

    public static ConferenceSettings defaults() {
        return new ConferenceSettings(true, 200, 50, 20, 20, Duration.ofDays(1), Duration.ofMinutes(15), 18, true, 64, 4);
    }

    public ConferenceSettings withPublicChat(boolean on) {
        return new ConferenceSettings(on, maxMembers, maxHistory, defaultHistory, roomsPerUser, invitationLifetime,
                groupChatActive, adultAge, privateContact, sessionBacklog, sessionsPerMember);
    }

    public ConferenceSettings withPrivateContact(boolean allowed) {
        return new ConferenceSettings(publicChat, maxMembers, maxHistory, defaultHistory, roomsPerUser,
                invitationLifetime, groupChatActive, adultAge, allowed, sessionBacklog, sessionsPerMember);
    }
}
