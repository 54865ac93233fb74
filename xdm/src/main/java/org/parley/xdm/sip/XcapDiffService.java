package org.parley.xdm.sip;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.parley.registrar.IdentityResolver;
import org.parley.registrar.auth.OwnSubscriptions;
import org.parley.registrar.auth.RequestAuthenticator;
import org.parley.sip.message.SipRequest;
import org.parley.sip.proxy.EventHeader;
import org.parley.sip.proxy.EventNotifier;
import org.parley.sip.proxy.Forker;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.proxy.LocalService;
import org.parley.sip.proxy.Notifier;
import org.parley.sip.proxy.SubscribeTerms;
import org.parley.sip.proxy.UserAgent;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.ServerTransaction;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapDocuments;
import org.parley.xml.XmlWriter;

/**
 * XCAP change notification (RFC 5875, document format RFC 5874): a user's devices subscribe to
 * the event package xcap-diff at their own address and learn of every change to that user's
 * documents — so a contact list edited on one device is refreshed on the others (UC 5.1.6).
 * A SUBSCRIBE without a body watches all of the subscriber's documents.
 */
public final class XcapDiffService implements LocalService, EventNotifier.EventPackage {
    static final String EVENT = "xcap-diff";
    /** A day at most: a client that vanished without unsubscribing costs no more than that. */
    private static final SubscribeTerms.Limits TERMS =
            new SubscribeTerms.Limits(Duration.ofSeconds(60), Duration.ofDays(1), Duration.ofHours(1));
    private static final String NS = "urn:ietf:params:xml:ns:xcap-diff";

    private final OwnSubscriptions owners;
    private final XcapDocuments documents;
    private final List<String> auids;
    private final String xcapRoot;
    private final Scheduler scheduler;
    private final EventNotifier notifier;

    /**
     * @param auids    the application usages whose documents a subscription covers
     * @param xcapRoot the absolute XCAP root URI put in notifications, e.g. http://host:8080/xcap-root
     */
    public XcapDiffService(LocalDomains domains, IdentityResolver identities, RequestAuthenticator authenticator,
                           XcapDocuments documents, List<String> auids, String xcapRoot, Forker forker,
                           Scheduler scheduler) {
        this.owners = new OwnSubscriptions(domains, identities, authenticator);
        this.documents = documents;
        this.auids = List.copyOf(auids);
        this.xcapRoot = xcapRoot;
        this.scheduler = scheduler;
        this.notifier = new EventNotifier(this, new Notifier(new UserAgent(forker), scheduler, Duration.ZERO), TERMS);
        documents.addListener(this::changed);
    }

    @Override
    public List<String> eventPackages() {
        return List.of(EVENT);
    }

    @Override
    public boolean accepts(SipRequest request) {
        return EventHeader.subscribes(request, EVENT);
    }

    @Override
    public CompletionStage<Void> serve(ServerTransaction tx) {
        notifier.serve(tx);
        return ANSWERED;
    }

    /** Only the user subscribes to its own documents (RFC 6665 §4.2.1.2). */
    @Override
    public Optional<String> authorise(ServerTransaction tx) {
        return owners.allow(tx, scheduler.now(), "these documents");
    }


    /** The documents' account is deleted: its xcap-diff subscriptions end (RFC 6665 §4.1.3 noresource). */
    public void endAccount(String aor) {
        notifier.endAll(aor, "noresource");
    }

    private void changed(DocumentContext where, String oldEtag, String newEtag) {
        if (!where.global()) {
            byte[] diff = diff(List.of(entry(where, oldEtag, newEtag)));
            notifier.changed(where.xui(), version -> diff);
        }
    }

    @Override
    public String event() {
        return EVENT;
    }

    @Override
    public String contentType() {
        return "application/xcap-diff+xml";
    }

    /** Every document of the subscriber with its current ETag (RFC 5875 §4.4.2: the full state). */
    @Override
    public byte[] fullState(String aor, long version) {
        StringBuilder entries = new StringBuilder();
        for (String auid : auids) {
            for (String name : documents.documentNames(auid, aor)) {
                DocumentContext where = new DocumentContext(auid, false, aor, name);
                documents.read(where).ifPresent(d -> entries.append(entry(where, null, d.etag())));
            }
        }
        return diff(List.of(entries.toString()));
    }

    private String entry(DocumentContext where, String oldEtag, String newEtag) {
        String sel = where.auid() + "/users/" + where.xui() + "/" + where.documentName();
        StringBuilder e = new StringBuilder("  <document sel=\"").append(XmlWriter.escape(sel)).append('"');
        if (oldEtag != null) {
            e.append(" previous-etag=\"").append(XmlWriter.escape(oldEtag)).append('"');
        }
        if (newEtag != null) {
            e.append(" new-etag=\"").append(XmlWriter.escape(newEtag)).append('"');
        }
        return e.append("/>\n").toString();
    }

    private byte[] diff(List<String> entries) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xcap-diff xmlns=\"" + NS + "\" xcap-root=\""
                + XmlWriter.escape(xcapRoot) + "\">\n" + String.join("", entries) + "</xcap-diff>\n")
                .getBytes(StandardCharsets.UTF_8);
    }

}
