package org.parley.conference;

import java.time.Duration;
import java.util.Optional;
import org.parley.registrar.IdentityResolver;
import org.parley.registrar.auth.RequestAuthenticator;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.Uri;
import org.parley.sip.proxy.EventNotifier;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.proxy.Notifier;
import org.parley.sip.proxy.SubscribeTerms;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.ServerTransaction;

/**
 * The conference event package (RFC 4575) of the rooms, on the one notifier engine: a member
 * SUBSCRIBEs to {@code conference} at the room's URI and gets the full member list, then a
 * partial document for each member who comes, changes role or name, or goes — and how (PP-35,
 * PP-36, MU-6). Only members subscribe (403 for anyone else); a closed room ends every
 * subscription with {@code noresource}.
 */
final class ConferenceEvents implements EventNotifier.EventPackage {
    static final String EVENT = "conference";
    private static final SubscribeTerms.Limits TERMS =
            new SubscribeTerms.Limits(Duration.ofSeconds(60), Duration.ofHours(2), Duration.ofHours(1));

    private final Rooms rooms;
    private final RequestAuthenticator senders;
    private final LocalDomains domains;
    private final IdentityResolver identities;
    private final Scheduler scheduler;
    private final EventNotifier notifier;

    ConferenceEvents(Rooms rooms, RequestAuthenticator senders, LocalDomains domains, IdentityResolver identities,
                     Notifier engine, Scheduler scheduler) {
        this.rooms = rooms;
        this.identities = identities;
        this.senders = senders;
        this.domains = domains;
        this.scheduler = scheduler;
        this.notifier = new EventNotifier(this, engine, TERMS);
    }

    void serve(ServerTransaction tx) {
        notifier.serve(tx);
    }

    @Override
    public String event() {
        return EVENT;
    }

    @Override
    public String contentType() {
        return ConferenceInfo.CONTENT_TYPE;
    }

    /** RFC 6665 §4.2.1.2: the sender authenticated, the room found, and the sender one of its members. */
    @Override
    public Optional<String> authorise(ServerTransaction tx) {
        SipRequest req = tx.request();
        RequestAuthenticator.Outcome who = senders.check(req, tx.flow(), tx.localTag(), scheduler.now());
        if (who.refusal() != null) {
            who.refuse(tx);
            return Optional.empty();
        }
        String aor = domains.aorOf(who.sender().orElseThrow().username());
        Optional<ChatRoom> room = rooms.addresses().nameOf(req.requestUri()).flatMap(rooms::find);
        if (room.isEmpty()) {
            tx.respond(req.createResponse(404, "No such room", tx.localTag()));
            return Optional.empty();
        }
        if (room.get().member(aor).isEmpty()) {
            tx.respond(req.createResponse(403, "Only members of the room may subscribe to it", tx.localTag()));
            return Optional.empty();
        }
        return Optional.of(room.get().uri());
    }

    @Override
    public byte[] fullState(String roomUri, long version) {
        return rooms.addresses().nameOf(Uri.parse(roomUri)).flatMap(rooms::find)
                .map(r -> ConferenceInfo.full(r, version))
                .orElseThrow(() -> new IllegalStateException("no room " + roomUri));
    }

    /** A member came, changed or went: a partial document naming only that member. */
    void membership(ChatRoom room, Member member, RoomEvents.Change change) {
        boolean booted = change == RoomEvents.Change.KICKED || change == RoomEvents.Change.BANNED;
        boolean gone = booted || change == RoomEvents.Change.LEFT;
        notifier.changed(room.uri(), version -> ConferenceInfo.partial(room, member, gone, booted, version));
        if (gone) {
            // only members watch a room: one who went stops watching it (RFC 6665 §4.1.3, rejected)
            notifier.end(room.uri(), from -> identities.aor(from.uri()).filter(member.aor()::equals).isPresent(),
                    "rejected");
        }
    }

    /** The description changed: the full state again. */
    void configured(ChatRoom room) {
        notifier.changed(room.uri(), version -> ConferenceInfo.full(room, version));
    }

    /** RFC 6665 §4.1.3: the resource is gone. */
    void closed(ChatRoom room) {
        notifier.endAll(room.uri(), "noresource");
    }
}
