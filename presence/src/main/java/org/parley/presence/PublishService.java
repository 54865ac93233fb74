package org.parley.presence;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.parley.registrar.auth.RequestIdentifier;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.HeaderValues;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.proxy.EventHeader;
import org.parley.sip.proxy.LocalService;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.ServerTransaction;
import org.w3c.dom.Element;

/**
 * PUBLISH of presence (RFC 3903 with PIDF, RFC 3863) to this server as the event state
 * compositor. Every PUBLISH to a local user ends here, so that one for an event package nobody
 * composes gets 489 instead of being forked to the user's devices. Only the presentity may
 * publish its own presence (403 for anyone else).
 */
final class PublishService implements LocalService {
    private final LocalDomains domains;
    private final RequestIdentifier identification;
    private final Publications publications;
    private final Scheduler scheduler;
    private final PresenceSettings settings;

    PublishService(LocalDomains domains, RequestIdentifier identification, Publications publications,
                   Scheduler scheduler, PresenceSettings settings) {
        this.domains = domains;
        this.identification = identification;
        this.publications = publications;
        this.scheduler = scheduler;
        this.settings = settings;
    }

    @Override
    public boolean accepts(SipRequest request) {
        return request.isMethod("PUBLISH") && domains.isLocal(request.requestUri());
    }

    /** The checks in the order of RFC 3903 §6: event package, authorisation, entity tag, lifetime, body. */
    @Override
    public CompletionStage<Void> serve(ServerTransaction tx) {
        answer(tx);
        return ANSWERED;
    }

    private void answer(ServerTransaction tx) {
        SipRequest req = tx.request();
        if (!EventHeader.eventPackage(req).map(PresenceNotifier.EVENT::equals).orElse(false)) {
            tx.respond(req.createResponse(489, "Bad Event", tx.localTag()).withHeader("Allow-Events", PresenceNotifier.EVENT));
            return;
        }
        Optional<Requester> who = identification.identify(tx, scheduler.now()).map(Requester::of);
        if (who.isEmpty()) {
            return;
        }
        if (!who.get().isOwner()) {
            tx.respond(req.createResponse(403, "Only the presentity may publish its presence", tx.localTag()));
            return;
        }
        tx.respond(publish(req, who.get().presentity(), tx.localTag()));
    }

    private SipResponse publish(SipRequest req, String aor, String tag) {
        Optional<String> ifMatch = req.header("SIP-If-Match").map(String::strip);
        Duration expires;
        try {
            expires = req.header(HeaderNames.EXPIRES)
                    .map(v -> Duration.ofSeconds(HeaderValues.boundedNumber(v, 0xFFFFFFFFL, "Expires")))
                    .orElse(settings.defaultPublish());
        } catch (SipParseException e) {
            return req.createResponse(400, "Bad Expires", tag);
        }
        if (expires.isZero()) {
            if (ifMatch.isEmpty()) {
                return req.createResponse(400, "Removal without SIP-If-Match", tag);
            }
            return publications.remove(aor, ifMatch.get())
                    ? req.createResponse(200, "OK", tag).withHeader(HeaderNames.EXPIRES, "0")
                    : req.createResponse(412, "Conditional Request Failed", tag);
        }
        if (ifMatch.isPresent() && publications.current(aor).stream().noneMatch(p -> p.etag().equals(ifMatch.get()))) {
            return req.createResponse(412, "Conditional Request Failed", tag);
        }
        if (expires.compareTo(settings.minPublish()) < 0) {
            return req.createResponse(423, "Interval Too Brief", tag)
                    .withHeader(HeaderNames.MIN_EXPIRES, Long.toString(settings.minPublish().toSeconds()));
        }
        expires = expires.compareTo(settings.maxPublish()) > 0 ? settings.maxPublish() : expires;
        byte[] body = req.body();
        Optional<Element> pidf = Optional.empty();
        if (body.length > 0) {
            String type = req.contentType().map(t -> t.split(";", 2)[0].strip()).orElse("");
            if (!type.equalsIgnoreCase(Pidf.CONTENT_TYPE)) {
                return req.createResponse(415, "Unsupported Media Type", tag).withHeader(HeaderNames.ACCEPT, Pidf.CONTENT_TYPE);
            }
            try {
                pidf = Optional.of(Pidf.kept(Pidf.parse(body)));
            } catch (Pidf.Invalid e) {
                return req.createResponse(400, e.getMessage(), tag);
            }
        } else if (ifMatch.isEmpty()) {
            return req.createResponse(400, "Initial PUBLISH without a body", tag);
        }
        Optional<Publication> done = ifMatch.isEmpty()
                ? Optional.of(publications.create(aor, pidf.orElseThrow(), expires))
                : publications.update(aor, ifMatch.get(), pidf, expires);
        return done.map(p -> req.createResponse(200, "OK", tag)
                        .withHeader("SIP-ETag", p.etag())
                        .withHeader(HeaderNames.EXPIRES, Long.toString(Duration.between(scheduler.now(), p.expiresAt()).toSeconds())))
                .orElseGet(() -> req.createResponse(412, "Conditional Request Failed", tag));
    }
}
