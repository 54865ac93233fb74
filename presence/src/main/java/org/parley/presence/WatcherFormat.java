package org.parley.presence;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipRequest;
import org.parley.sip.proxy.AcceptHeader;
import org.parley.sip.transaction.ServerTransaction;

/**
 * How one watcher wants its NOTIFY bodies, from its SUBSCRIBE: through its filter (RFC 4660/4661,
 * IWF-4: some parts only, and only on the changes it names) and as partial presence when it
 * accepts {@code application/pidf-diff+xml} (RFC 5263); and what it was sent last, which both
 * need. Mutable; its notifier's lock guards it.
 */
final class WatcherFormat {
    /** A NOTIFY body and its type. */
    record Body(String contentType, byte[] bytes) {
    }

    private final EventFilter filter;
    private final boolean partial;
    private byte[] lastAllowed;
    private byte[] lastSelected;
    private long version;

    private WatcherFormat(EventFilter filter, boolean partial) {
        this.filter = filter;
        this.partial = partial;
    }

    /**
     * The format a SUBSCRIBE asks for, or empty when it has been refused: 415 for a body other
     * than a filter, 488 for a filter that cannot be applied, 406 when the watcher accepts
     * neither PIDF nor pidf-diff.
     */
    static Optional<WatcherFormat> of(ServerTransaction tx) {
        SipRequest req = tx.request();
        EventFilter filter = null;
        if (req.body().length > 0) {
            String type = req.contentType().map(t -> t.split(";", 2)[0].strip().toLowerCase(Locale.ROOT)).orElse("");
            if (!type.equals(EventFilter.CONTENT_TYPE)) {
                tx.respond(req.createResponse(415, "Unsupported Media Type", tx.localTag())
                        .withHeader(HeaderNames.ACCEPT, EventFilter.CONTENT_TYPE));
                return Optional.empty();
            }
            try {
                filter = EventFilter.parse(req.body());
            } catch (EventFilter.Invalid e) {
                tx.respond(req.createResponse(488, e.getMessage(), tx.localTag()));
                return Optional.empty();
            }
        }
        AcceptHeader accepted = AcceptHeader.of(req);
        if (!accepted.allowsAny(Pidf.CONTENT_TYPE, PidfDiff.CONTENT_TYPE)) {
            // RFC 6665 §8.3.3 / RFC 3856 §6: a watcher that takes no PIDF gets nothing it could read
            tx.respond(req.createResponse(406, "Not Acceptable", tx.localTag())
                    .withHeader(HeaderNames.ACCEPT, Pidf.CONTENT_TYPE + ", " + PidfDiff.CONTENT_TYPE));
            return Optional.empty();
        }
        boolean partial = accepted.names(PidfDiff.CONTENT_TYPE);
        return Optional.of(new WatcherFormat(filter, partial));
    }

    /**
     * Whether the watcher asked for anything but the whole PIDF: a filter or partial notification.
     * A subscription keeps its format only then (one object less for nearly every watcher).
     */
    boolean tailored() {
        return filter != null || partial;
    }

    /** The whole state, for the first NOTIFY with state and after every SUBSCRIBE. */
    Body full(byte[] allowed) {
        lastAllowed = allowed;
        lastSelected = select(allowed);
        return partial ? new Body(PidfDiff.CONTENT_TYPE, PidfDiff.full(lastSelected, ++version))
                : new Body(Pidf.CONTENT_TYPE, lastSelected);
    }

    /**
     * What to send now that the watcher may see {@code allowed}: empty when its filter does not
     * fire or nothing it sees has changed, a diff when it takes partial presence.
     */
    Optional<Body> next(byte[] allowed) {
        if (lastAllowed == null) {
            return Optional.of(full(allowed));
        }
        boolean wanted = filter == null || filter.triggered(lastAllowed, allowed);
        lastAllowed = allowed;
        byte[] selected = select(allowed);
        if (!wanted || Arrays.equals(selected, lastSelected)) {
            return Optional.empty();
        }
        byte[] before = lastSelected;
        lastSelected = selected;
        if (!partial) {
            return Optional.of(new Body(Pidf.CONTENT_TYPE, selected));
        }
        return Optional.of(PidfDiff.diff(before, selected, version + 1)
                .map(diff -> {
                    version++;
                    return new Body(PidfDiff.CONTENT_TYPE, diff);
                })
                .orElseGet(() -> new Body(PidfDiff.CONTENT_TYPE, PidfDiff.full(selected, ++version))));
    }

    private byte[] select(byte[] allowed) {
        return filter == null ? allowed : filter.select(allowed);
    }
}
