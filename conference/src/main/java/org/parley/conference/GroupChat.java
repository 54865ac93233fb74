package org.parley.conference;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.parley.registrar.IdentityResolver;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.Uri;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.transaction.Scheduler;
import org.parley.xdm.oma.ActiveSessions;
import org.parley.xdm.oma.Group;
import org.parley.xdm.oma.GroupException;
import org.parley.xdm.oma.GroupService;

/**
 * Chat in the pre-defined groups of the XDM server (UC 5.7, 5.8, 5.10): a pager MESSAGE to a
 * group's URI reaches every member's devices, from the group's URI with the sender named, under
 * the group's policy — only members send; {@code #join} joins an open group, {@code #leave}
 * leaves (GIM-8: a closed group takes only those its owner adds; its maximum size is the group
 * usage's to keep). A group whose members chat counts as having a session going on until
 * {@code conference.group-chat.active-seconds} after the last message, which keeps a temporary
 * group (UC 5.12) alive exactly that long — or while a member is in session with it.
 *
 * <p>Members may also take part in a session (INVITE with MSRP to the group's URI, answered by
 * the focus like a room's, {@link FocusSessions}): what they send goes to the others as above,
 * and they get the group's messages as SENDs (CPIM from the sender's address, to the group).
 * A group's chat has no private messages.
 */
final class GroupChat implements ActiveSessions {
    private final GroupService groups;
    private final IdentityResolver identities;
    private final LocalDomains domains;
    private final Fanout fanout;
    private final Scheduler scheduler;
    private final ConferenceSettings settings;
    private final FocusSessions sessions;
    private final Map<String, Instant> lastMessage = new ConcurrentHashMap<>();

    GroupChat(GroupService groups, IdentityResolver identities, LocalDomains domains, Fanout fanout,
              Scheduler scheduler, ConferenceSettings settings, FocusSessions sessions) {
        this.groups = groups;
        this.identities = identities;
        this.domains = domains;
        this.fanout = fanout;
        this.scheduler = scheduler;
        this.settings = settings;
        this.sessions = sessions;
    }

    /** The answer to a MESSAGE from {@code aor} (authenticated, within its limits) to a group URI. */
    SipResponse message(SipRequest req, String aor, String tag) {
        String uri = groupUri(req.requestUri());
        Optional<Group> found = groups.find(uri);
        if (found.isEmpty()) {
            return req.createResponse(404, "No such room or group", tag);
        }
        Group group = found.get();
        String text = req.contentType().orElse("text/plain").toLowerCase(Locale.ROOT).startsWith("text/plain")
                ? new String(req.body(), StandardCharsets.UTF_8).strip() : "";
        try {
            if (text.equalsIgnoreCase("#join")) {
                groups.join(uri, aor);
                return req.createResponse(200, "You joined the group", tag);
            }
            if (text.equalsIgnoreCase("#leave")) {
                groups.removeMember(uri, aor, aor);
                return req.createResponse(200, "You left the group", tag);
            }
        } catch (GroupException e) {
            return req.createResponse(e.kind() == GroupException.Kind.NOT_FOUND ? 404 : 403, e.getMessage(), tag);
        }
        if (!group.isMember(aor) && !group.owner().equalsIgnoreCase(aor)) {
            return req.createResponse(403, "Only members of the group may send to it", tag);
        }
        int sent = fanOut(group, uri, aor, req.contentType().orElse("text/plain"), req.body());
        return req.createResponse(200, "Sent to " + sent + " members", tag);
    }

    /** Why an INVITE from {@code aor} to a group's URI cannot make a session: no such group, or not a member. */
    Optional<SipResponse> sessionRefusal(SipRequest req, String aor, String tag) {
        Optional<Group> group = groups.find(groupUri(req.requestUri()));
        if (group.isEmpty()) {
            return Optional.of(req.createResponse(404, "No such room or group", tag));
        }
        if (!group.get().isMember(aor) && !group.get().owner().equalsIgnoreCase(aor)) {
            return Optional.of(req.createResponse(403, "Only members of the group may take part in its chat", tag));
        }
        return Optional.empty();
    }

    /** A message from a member in session with the group: to every other member, as a MESSAGE would go. */
    void fromSession(String uri, String aor, RoomCpim.Inbound in) {
        if (in.to().isPresent()) {
            throw new RoomException(RoomException.Kind.FORBIDDEN, "A group's chat has no private messages");
        }
        Group group = groups.find(uri).filter(g -> g.isMember(aor) || g.owner().equalsIgnoreCase(aor))
                .orElseThrow(() -> new RoomException(RoomException.Kind.FORBIDDEN,
                        "Only members of the group may send to it"));
        fanOut(group, uri, aor, in.contentType(), in.body());
    }

    private int fanOut(Group group, String uri, String aor, String type, byte[] body) {
        lastMessage.put(uri, scheduler.now());
        // the owner administers the group and hears its chat whether or not it is on the member list
        List<String> to = Stream.concat(Stream.of(group.owner()), group.members().stream().map(Group.Member::uri))
                .map(this::localAor).flatMap(Optional::stream).filter(m -> !m.equals(aor)).distinct().toList();
        to.forEach(member -> fanout.toGroupMember(uri, aor, member, type, body));
        return to.size();
    }

    /** UC 5.12 step 6: a chat is going on in the group when a message went to it recently. */
    @Override
    public boolean active(String groupUri) {
        String uri = groupUri.toLowerCase(Locale.ROOT);
        Instant last = lastMessage.get(uri);
        return last != null && scheduler.now().isBefore(last.plus(settings.groupChatActive()))
                || !sessions.of(uri).isEmpty();
    }

    /** Members in this domain, by their canonical address; others are not reached (no federation yet). */
    private Optional<String> localAor(String member) {
        try {
            return identities.resolve(Uri.parse(member)).map(a -> domains.aorOf(a.username()));
        } catch (SipParseException e) {
            return Optional.empty();
        }
    }

    /** The group's URI as the XDM server forms it: user and host, lower-case, no parameters. */
    static String groupUri(Uri requestUri) {
        SipUri sip = (SipUri) requestUri;
        return ("sip:" + sip.user() + "@" + sip.host()).toLowerCase(Locale.ROOT);
    }
}
