package org.parley.conference;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.parley.messaging.RecipientList;
import org.parley.msrp.sdp.MalformedSdp;
import org.parley.msrp.sdp.MsrpMedia;
import org.parley.msrp.sdp.SessionDescription;
import org.parley.registrar.IdentityResolver;
import org.parley.sip.message.Address;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.Uri;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.proxy.Notifier;
import org.parley.sip.proxy.NotifierDialog;
import org.parley.sip.proxy.SubscribeTerms;
import org.parley.sip.transaction.ServerTransaction;

/**
 * Ad-hoc group chat (GIM-4, UC 5.4) and adding people to a room by REFER (RFC 4579 §5.5).
 *
 * <p>An INVITE to the conference factory URI ({@link RoomAddresses#factoryUri()}) carrying a
 * {@code multipart/mixed} body — the SDP offer and a {@code resource-lists} part with
 * {@code Content-Disposition: recipient-list} (RFC 5366) — makes a temporary, locked room: the
 * inviter is its administrator and first session member, everyone listed gets the room's
 * invitation (PP-30). Parley's MSRP endpoint only answers (RFC 4975 §5.4: the offerer connects),
 * so the focus does not INVITE the listed users itself: they answer the invitation like any other
 * — an INVITE with MSRP to the room's URI, or {@code #accept} from a pager client — which works
 * for every client here, session or pager.
 *
 * <p>A REFER to a room's URI with {@code Refer-To} a user ({@code method=INVITE} or none) invites
 * that user the same way; {@code method=BYE} removes a member (administrators, RFC 4579 §5.6).
 * It is answered 202 and followed, on the one notifier engine, by the implicit subscription's
 * NOTIFYs (RFC 3515 §2.4.4): {@code message/sipfrag} progress, then the outcome.
 */
final class AdHocChats {
    static final String REFER_EVENT = "refer";
    private static final String SIPFRAG = "message/sipfrag;version=2.0";
    private static final Duration REFER_SUBSCRIPTION = Duration.ofSeconds(60);

    /** A validated ad-hoc INVITE: the offer and who is to be invited (addresses of record, the inviter left out). */
    record Start(MsrpMedia offer, List<String> invitees, String subject) {
    }

    private final Rooms rooms;
    private final IdentityResolver identities;
    private final LocalDomains domains;
    private final ConferenceSettings settings;
    private final Notifier engine;

    AdHocChats(Rooms rooms, IdentityResolver identities, LocalDomains domains, ConferenceSettings settings,
               Notifier engine) {
        this.rooms = rooms;
        this.identities = identities;
        this.domains = domains;
        this.settings = settings;
        this.engine = engine;
    }

    /**
     * Reads an INVITE to the factory: the URI list (RFC 5366 §4), the offer, the users it names.
     *
     * @throws RoomException a malformed list (400), a user that does not exist (404), more people
     *                       than a room may have (403); the reason says which
     * @throws MalformedSdp  the offer is not an MSRP one
     */
    Start read(SipRequest invite, String inviter) throws MalformedSdp {
        RecipientList list;
        try {
            list = RecipientList.parse(invite);
        } catch (SipParseException e) {
            throw new RoomException(RoomException.Kind.BAD_REQUEST, "Malformed URI list (RFC 5366): " + e.getMessage());
        }
        if (!list.storedLists().isEmpty()) {
            throw new RoomException(RoomException.Kind.FORBIDDEN,
                    "An ad-hoc chat takes the users it lists, not references to stored lists");
        }
        if (!RoomCpim.baseType(list.message().contentType()).equals("application/sdp")) {
            throw new RoomException(RoomException.Kind.BAD_REQUEST, "The part beside the URI list must be the SDP offer");
        }
        MsrpMedia offer = SessionDescription.parse(list.message().content()).chat();
        List<String> invitees = new ArrayList<>();
        for (String uri : list.recipients()) {
            String aor = user(uri);
            if (!aor.equals(inviter) && !invitees.contains(aor)) {
                invitees.add(aor);
            }
        }
        if (invitees.isEmpty()) {
            throw new RoomException(RoomException.Kind.BAD_REQUEST, "The URI list names nobody but you");
        }
        if (invitees.size() + 1 > settings.maxMembers()) {
            throw new RoomException(RoomException.Kind.FORBIDDEN, "The URI list names " + invitees.size()
                    + " users; a room may have at most " + settings.maxMembers() + " members");
        }
        String subject = invite.header("Subject").map(s -> s.replaceAll("\\p{Cntrl}", " ").strip())
                .filter(s -> !s.isEmpty() && s.length() <= RoomConfig.MAX_SUBJECT).orElse("Ad-hoc chat");
        return new Start(offer, List.copyOf(invitees), subject);
    }

    /** Invites everyone the list named to the new room (PP-30: the room's invitation, the inviter shown). */
    void inviteAll(ChatRoom room, String inviter, Start start) {
        for (String invitee : start.invitees()) {
            rooms.invite(room.name(), inviter, invitee, false);
        }
    }

    /**
     * RFC 4579 §5.5/§5.6, RFC 3515: a member asks the focus to add (INVITE) or remove (BYE) a
     * user. Refused before the 202 when the room's rules say no (403 for a non-member, 404 for
     * no such room or user, 400 for a malformed Refer-To); after it, the NOTIFYs report.
     */
    void refer(ServerTransaction tx, String referrer) {
        SipRequest req = tx.request();
        String tag = tx.localTag();
        Optional<ChatRoom> room = rooms.addresses().nameOf(req.requestUri()).flatMap(rooms::find);
        if (room.isEmpty()) {
            tx.respond(req.createResponse(404, "No such room", tag));
            return;
        }
        if (room.get().member(referrer).isEmpty()) {
            tx.respond(req.createResponse(403, "Only members of the room may add or remove participants", tag));
            return;
        }
        List<String> referTo = req.headers().values("Refer-To");
        Optional<String> contact = req.headers().values(HeaderNames.CONTACT).stream().findFirst();
        if (referTo.size() != 1 || contact.isEmpty()) {
            tx.respond(req.createResponse(400, "A REFER needs one Refer-To and a Contact (RFC 3515 §2.4.1)", tag));
            return;
        }
        Uri target;
        SubscribeTerms terms;
        try {
            target = Address.parse(referTo.getFirst()).uri();
            terms = new SubscribeTerms(REFER_SUBSCRIPTION, Address.parse(contact.get()).uri(),
                    req.headers().values(HeaderNames.RECORD_ROUTE));
        } catch (SipParseException e) {
            tx.respond(req.createResponse(400, "Malformed Refer-To or Contact", tag));
            return;
        }
        String method = target instanceof SipUri sip ? sip.params().get("method").orElse("INVITE")
                .toUpperCase(Locale.ROOT) : "INVITE";
        String outcome;
        try {
            String user = user(target instanceof SipUri sip ? sip.withParams(sip.params().without("method"))
                    .withoutHeaders().toString() : target.toString());
            outcome = switch (method) {
                case "INVITE" -> {
                    rooms.invite(room.get().name(), referrer, user, false);
                    yield "SIP/2.0 200 OK";
                }
                case "BYE" -> {
                    Member gone = room.get().member(user).orElseThrow(() -> new RoomException(
                            RoomException.Kind.NOT_FOUND, "No such member in this room"));
                    rooms.kick(room.get().name(), referrer, gone.aor());
                    yield "SIP/2.0 200 OK";
                }
                default -> throw new RoomException(RoomException.Kind.BAD_REQUEST,
                        "A REFER to a room adds (method=INVITE) or removes (method=BYE) a participant");
            };
        } catch (RoomException e) {
            tx.respond(req.createResponse(RoomService.status(e.kind()), RoomService.reason(e.getMessage()), tag));
            return;
        }
        NotifierDialog dialog = engine.open(tx, room.get().uri(), terms, null, Headers.EMPTY, () -> { });
        engine.accept(tx, dialog, terms, true);
        // RFC 3515 §2.4.4: progress, then the final status of what was asked (the invitation is made)
        engine.notify(dialog, REFER_EVENT, "active;expires=" + REFER_SUBSCRIPTION.toSeconds(), SIPFRAG,
                "SIP/2.0 100 Trying\r\n".getBytes(StandardCharsets.UTF_8), dialog::close);
        engine.notify(dialog, REFER_EVENT, "terminated;reason=noresource", SIPFRAG,
                (outcome + "\r\n").getBytes(StandardCharsets.UTF_8), dialog::close);
        dialog.close();
    }

    /** A user of this domain named by a URI (404 for nobody, 400 for no URI at all). */
    private String user(String uri) {
        try {
            return identities.resolve(Uri.parse(uri)).map(a -> domains.aorOf(a.username()))
                    .orElseThrow(() -> new RoomException(RoomException.Kind.NOT_FOUND, "No user " + uri));
        } catch (SipParseException e) {
            throw new RoomException(RoomException.Kind.BAD_REQUEST, "Not a user's address: " + uri);
        }
    }
}
