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
import org.parley.sip.message.Headers;
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
 * group (UC 5.12) alive exactly that long.
 */
final class GroupChat implements ActiveSessions {
    private final GroupService groups;
    private final IdentityResolver identities;
    private final LocalDomains domains;
    private final Fanout fanout;
    private final Scheduler scheduler;
    private final ConferenceSettings settings;
    private final Map<String, Instant> lastMessage = new ConcurrentHashMap<>();

    GroupChat(GroupService groups, IdentityResolver identities, LocalDomains domains, Fanout fanout,
              Scheduler scheduler, ConferenceSettings settings) {
        this.groups = groups;
        this.identities = identities;
        this.domains = domains;
        this.fanout = fanout;
        this.scheduler = scheduler;
        this.settings = settings;
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
        lastMessage.put(uri, scheduler.now());
        String type = req.contentType().orElse("text/plain");
        // the owner administers the group and hears its chat whether or not it is on the member list
        List<String> to = Stream.concat(Stream.of(group.owner()), group.members().stream().map(Group.Member::uri))
                .map(this::localAor).flatMap(Optional::stream).filter(m -> !m.equals(aor)).distinct().toList();
        to.forEach(member -> fanout.send(uri, aor, member, type, req.body(), Headers.EMPTY));
        return req.createResponse(200, "Sent to " + to.size() + " members", tag);
    }

    /** UC 5.12 step 6: a chat is going on in the group when a message went to it recently. */
    @Override
    public boolean active(String groupUri) {
        Instant last = lastMessage.get(groupUri.toLowerCase(Locale.ROOT));
        return last != null && scheduler.now().isBefore(last.plus(settings.groupChatActive()));
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
    private static String groupUri(Uri requestUri) {
        SipUri sip = (SipUri) requestUri;
        return ("sip:" + sip.user() + "@" + sip.host()).toLowerCase(Locale.ROOT);
    }
}
