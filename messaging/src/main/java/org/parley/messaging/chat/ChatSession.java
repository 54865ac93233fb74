package org.parley.messaging.chat;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.msrp.MsrpUri;
import org.parley.msrp.sdp.FileRange;
import org.parley.sip.message.Address;
import org.parley.sip.message.Uri;
import org.parley.sip.transaction.Cancellable;
import org.parley.sip.transaction.Target;

/**
 * One chat session Parley routes (UC 5.2): the SIP dialog between the caller's device and the
 * callee's device that answered, as far as the server needs it to end the session itself (BYE to
 * each side as if from the other, RFC 3261 §15.1.1), the MSRP relay URIs each side put in its
 * path, and what the relay carried (PP2-6).
 */
final class ChatSession {
    /**
     * One side of the dialog: its From/To value with tag, its Contact, where it is reached, the
     * relay URIs and its own URIs of its MSRP streams (a chat, a file transfer added later), its
     * account's user name and whether messages it receives or sends are kept for it.
     */
    record Party(String aor, String address, Uri contact, Target target, List<MsrpUri> relayUris,
                 List<MsrpUri> endpoints, Optional<String> user, boolean keeps) {
        Party {
            relayUris = List.copyOf(relayUris);
            endpoints = List.copyOf(endpoints);
        }

        /** The same side after a re-INVITE or UPDATE (RFC 4975 §5.4, RFC 3261 §12.2: target refresh). */
        Party moved(Uri newContact, Target newTarget, List<MsrpUri> newRelayUris, List<MsrpUri> newEndpoints) {
            return new Party(aor, address, newContact, newTarget, newRelayUris, newEndpoints, user, keeps);
        }
    }

    final String callId;
    /** Replaced when a re-INVITE or UPDATE changes a side's paths or Contact; the tags never change. */
    private volatile Party caller;
    private volatile Party callee;
    final Instant started;
    final String contentType;
    final boolean fileTransfer;
    /** The octets of the file a resumed transfer sends (RFC 5547 §6); its usage record says so next to the bytes. */
    final Optional<FileRange> fileRange;
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong messages = new AtomicLong();
    final AtomicInteger files = new AtomicInteger();
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Messages being kept, by Message-ID, until their last chunk; null for one too large to keep. */
    private final Map<String, ByteArrayOutputStream> keeping = new HashMap<>();
    private long callerCseq;
    private long calleeCseq;
    private Cancellable lapse;
    private Cancellable limit;

    ChatSession(String callId, Party caller, Party callee, Instant started, String contentType, boolean fileTransfer,
                Optional<FileRange> fileRange, long inviteCseq) {
        this.callId = callId;
        this.caller = caller;
        this.callee = callee;
        this.started = started;
        this.contentType = contentType;
        this.fileTransfer = fileTransfer;
        this.fileRange = fileRange;
        this.callerCseq = inviteCseq;
        // a file transfer session (RFC 5547) carries one file whatever its chunks
        files.set(fileTransfer ? 1 : 0);
    }

    Party caller() {
        return caller;
    }

    Party callee() {
        return callee;
    }

    /** The side whose From/To tag is {@code tag}: the caller's, else the callee's. */
    boolean isCaller(String tag) {
        return tag.equals(callerTag());
    }

    synchronized void caller(Party moved) {
        caller = moved;
    }

    synchronized void callee(Party moved) {
        callee = moved;
    }

    String callerTag() {
        return tag(caller.address());
    }

    String calleeTag() {
        return tag(callee.address());
    }

    private static String tag(String address) {
        return Address.parse(address).tag().orElse("");
    }

    /** A request of the dialog passed through: the CSeq numbers the server must go beyond when it sends BYE itself. */
    synchronized void saw(String fromTag, long cseq) {
        if (fromTag.equals(callerTag())) {
            callerCseq = Math.max(callerCseq, cseq);
        } else {
            calleeCseq = Math.max(calleeCseq, cseq);
        }
    }

    /** The CSeq of a BYE the server sends as the caller (to the callee), and as the callee (to the caller). */
    synchronized long nextCallerCseq() {
        return ++callerCseq;
    }

    synchronized long nextCalleeCseq() {
        return ++calleeCseq;
    }

    synchronized void lapseTimer(Cancellable timer) {
        if (lapse != null) {
            lapse.cancel();
        }
        lapse = timer;
    }

    synchronized void durationTimer(Cancellable timer) {
        limit = timer;
    }

    /**
     * A chunk of a message to keep, in the order the relay carries them; the whole body once the
     * last chunk came, empty before and for a message over {@code max} bytes or interrupted ('#').
     */
    synchronized Optional<byte[]> keep(String messageId, byte[] chunk, char continuation, int max) {
        ByteArrayOutputStream body = keeping.containsKey(messageId) ? keeping.get(messageId) : new ByteArrayOutputStream();
        if (body != null && body.size() + chunk.length <= max) {
            body.writeBytes(chunk);
        } else {
            body = null;
        }
        if (continuation == '+') {
            keeping.put(messageId, body);
            return Optional.empty();
        }
        keeping.remove(messageId);
        return continuation == '$' && body != null ? Optional.of(body.toByteArray()) : Optional.empty();
    }

    /** True the first time only: the one who ends the session does the rest. */
    boolean end() {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        synchronized (this) {
            if (lapse != null) {
                lapse.cancel();
            }
            if (limit != null) {
                limit.cancel();
            }
        }
        return true;
    }

    boolean ended() {
        return ended.get();
    }
}
