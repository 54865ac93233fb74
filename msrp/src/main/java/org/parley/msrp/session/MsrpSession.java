package org.parley.msrp.session;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.msrp.ByteRange;
import org.parley.msrp.MsrpHeader;
import org.parley.msrp.MsrpMessage;
import org.parley.msrp.MsrpRequest;
import org.parley.msrp.MsrpResponse;
import org.parley.msrp.MsrpUri;

/**
 * One end of an MSRP session (RFC 4975): the URI this side was given, the path to the peer (its
 * relays then its own URI, as the SDP path attribute names them), what it accepts and how much.
 * Incoming SENDs are put together by Byte-Range and answered per Failure-Report; whole messages
 * go to the {@link SessionListener} and get a success REPORT when the sender asked for one.
 * Outgoing messages are cut into chunks. It holds no connection: callers write what it returns.
 */
public final class MsrpSession {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MsrpUri local;
    private final List<MsrpUri> remotePath;
    private final List<String> acceptTypes;
    private final long maxMessageBytes;
    private final int chunkBytes;
    private final SessionListener listener;
    private final Map<String, Reassembly> incoming = new ConcurrentHashMap<>();
    /** Outgoing transaction id → Message-ID, so that a failure response names its message. */
    private final Map<String, String> sent = new ConcurrentHashMap<>();
    private volatile MsrpLink link;

    /**
     * @param acceptTypes media types this side takes (SDP accept-types, §8.6): "type/subtype",
     *                    "type/*" or "*"
     * @param chunkBytes  largest chunk body this side sends
     */
    public MsrpSession(MsrpUri local, List<MsrpUri> remotePath, List<String> acceptTypes, long maxMessageBytes,
                       int chunkBytes, SessionListener listener) {
        if (remotePath.isEmpty()) {
            throw new IllegalArgumentException("empty remote path");
        }
        if (maxMessageBytes < 0 || maxMessageBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a message is held in one array: maxMessageBytes out of range");
        }
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunkBytes must be positive");
        }
        this.local = Objects.requireNonNull(local, "local");
        this.remotePath = List.copyOf(remotePath);
        this.acceptTypes = acceptTypes.stream().map(t -> t.strip().toLowerCase(Locale.ROOT)).toList();
        this.maxMessageBytes = maxMessageBytes;
        this.chunkBytes = chunkBytes;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public MsrpUri local() {
        return local;
    }

    /** The peer's path as its SDP gave it: its relays, then its own URI (RFC 4975 §8.1). */
    public List<MsrpUri> remotePath() {
        return remotePath;
    }

    /** The peer's own URI: the last of its path, the first of the From-Path its requests end with. */
    public MsrpUri remote() {
        return remotePath.getLast();
    }

    /** The connection the peer bound this session to; empty until its first request arrived. */
    public Optional<MsrpLink> link() {
        return Optional.ofNullable(link);
    }

    /** Binds the session to the connection of its first request; later connections do not rebind it. */
    synchronized boolean bind(MsrpLink newLink) {
        if (link != null) {
            return false;
        }
        link = newLink;
        listener.connected(this, newLink);
        return true;
    }

    void disconnected(MsrpLink gone) {
        if (link == gone) {
            listener.disconnected(this);
        }
    }

    /**
     * Chunks this side sent that the peer has not answered yet: how far behind a reader is
     * (a peer that stops reading stops answering, RFC 4975 §7.1.1).
     */
    public int unanswered() {
        return sent.size();
    }

    /** A new random identifier: a Message-ID or transaction id with 64+ bits of randomness (§7.1). */
    static String newId() {
        byte[] b = new byte[10];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Takes a SEND or REPORT addressed to this session and returns what to write back (responses, REPORTs). */
    public List<MsrpMessage> receive(MsrpRequest request) {
        if (request.method().equals(MsrpRequest.REPORT)) {
            report(request);
            return List.of();
        }
        if (!request.method().equals(MsrpRequest.SEND)) {
            return answer(request, 501, "Request-method-not-understood");
        }
        if (!request.hasBody()) {
            return answer(request, 200, "OK"); // an empty SEND binds a connection (§5.4)
        }
        String messageId = request.header(MsrpMessage.MESSAGE_ID).orElseThrow();
        if (request.body().length == 0 && request.continuation() == MsrpRequest.COMPLETE
                && !incoming.containsKey(messageId)) {
            // a whole message of no bytes (a peer binding its connection with a Content-Type, as browsers
            // do): answered like the empty SEND of §5.4, and nothing delivered — no empty copy to a room
            return answer(request, 200, "OK");
        }
        String contentType = request.header(MsrpMessage.CONTENT_TYPE).orElseThrow();
        if (!accepts(contentType)) {
            incoming.remove(messageId);
            return answer(request, 415, "MIME-not-understood");
        }
        ByteRange range = request.header(MsrpMessage.BYTE_RANGE).flatMap(ByteRange::parse)
                .orElse(new ByteRange(1, request.body().length, request.continuation() == MsrpRequest.COMPLETE
                        ? request.body().length : ByteRange.UNKNOWN));
        if (request.continuation() == MsrpRequest.INTERRUPTED) {
            incoming.remove(messageId);
            listener.interrupted(this, messageId);
            return answer(request, 200, "OK");
        }
        Reassembly r = incoming.computeIfAbsent(messageId, id -> new Reassembly(maxMessageBytes));
        return switch (r.add(range, request.body(), request.continuation() == MsrpRequest.COMPLETE)) {
            case MORE -> answer(request, 200, "OK");
            case TOO_LARGE -> {
                incoming.remove(messageId);
                yield answer(request, 413, "Stop-sending-message");
            }
            case BAD_RANGE -> {
                incoming.remove(messageId);
                yield answer(request, 400, "Byte-Range inconsistent with the message");
            }
            case COMPLETE -> {
                incoming.remove(messageId);
                try {
                    listener.message(this, messageId, contentType, r.content());
                } catch (MessageRefused refused) {
                    yield answer(request, refused.status(), refused.getMessage());
                }
                List<MsrpMessage> out = new ArrayList<>(answer(request, 200, "OK"));
                if (request.header(MsrpMessage.SUCCESS_REPORT).orElse("no").equals("yes")) {
                    out.add(successReport(request, messageId, r.total()));
                }
                yield out;
            }
        };
    }

    /** A response to one of our chunks; a failure is the end of that message (§7.2). */
    public void receive(MsrpResponse response) {
        String messageId = sent.remove(response.transactionId());
        if (messageId != null && response.status() != 200) {
            listener.report(this, messageId, response.status(), null);
        }
    }

    /**
     * Cuts a message into SEND chunks (§7.1.1, '+' on all but the last), asking for a success
     * report when {@code successReport}, for failure responses always.
     */
    public List<MsrpRequest> send(String contentType, byte[] content, boolean successReport) {
        String messageId = newId();
        List<MsrpRequest> chunks = new ArrayList<>();
        int offset = 0;
        do {
            int n = Math.min(chunkBytes, content.length - offset);
            List<MsrpHeader> h = new ArrayList<>();
            h.add(new MsrpHeader(MsrpMessage.TO_PATH, MsrpMessage.formatPath(remotePath)));
            h.add(new MsrpHeader(MsrpMessage.FROM_PATH, local.toString()));
            h.add(new MsrpHeader(MsrpMessage.MESSAGE_ID, messageId));
            h.add(new MsrpHeader(MsrpMessage.SUCCESS_REPORT, successReport ? "yes" : "no"));
            h.add(new MsrpHeader(MsrpMessage.BYTE_RANGE, new ByteRange(offset + 1, offset + n, content.length).toString()));
            h.add(new MsrpHeader(MsrpMessage.CONTENT_TYPE, contentType));
            String tid = newId();
            byte[] body = Arrays.copyOfRange(content, offset, offset + n);
            offset += n;
            chunks.add(new MsrpRequest(tid, MsrpRequest.SEND, h, body,
                    offset < content.length ? MsrpRequest.MORE : MsrpRequest.COMPLETE));
            sent.put(tid, messageId);
        } while (offset < content.length);
        return chunks;
    }

    private void report(MsrpRequest report) {
        String status = report.header(MsrpMessage.STATUS).orElse("000 200");
        listener.report(this, report.header(MsrpMessage.MESSAGE_ID).orElse(""), Integer.parseInt(status.substring(4, 7)),
                report.header(MsrpMessage.BYTE_RANGE).flatMap(ByteRange::parse).orElse(null));
    }

    /** §7.1.3: one REPORT for the whole message, back along the sender's From-Path. */
    private MsrpRequest successReport(MsrpRequest last, String messageId, long total) {
        List<MsrpHeader> h = List.of(
                new MsrpHeader(MsrpMessage.TO_PATH, MsrpMessage.formatPath(last.fromPath())),
                new MsrpHeader(MsrpMessage.FROM_PATH, local.toString()),
                new MsrpHeader(MsrpMessage.MESSAGE_ID, messageId),
                new MsrpHeader(MsrpMessage.BYTE_RANGE, new ByteRange(1, total, total).toString()),
                new MsrpHeader(MsrpMessage.STATUS, "000 200 OK"));
        return new MsrpRequest(newId(), MsrpRequest.REPORT, h, null, MsrpRequest.COMPLETE);
    }

    /** A response if Failure-Report wants one (§7.1.1: "no" none, "partial" failures only). */
    static List<MsrpMessage> answer(MsrpRequest request, int status, String comment) {
        String wanted = request.header(MsrpMessage.FAILURE_REPORT).orElse("yes");
        if (wanted.equals("no") || wanted.equals("partial") && status == 200) {
            return List.of();
        }
        return List.of(MsrpResponse.to(request, status, comment, List.of()));
    }

    /** §8.6: a type matches "*", its own "type/*", or itself; parameters do not count. */
    boolean accepts(String contentType) {
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        String major = type.split("/", 2)[0];
        return acceptTypes.stream().anyMatch(a -> a.equals("*") || a.equals(type) || a.equals(major + "/*"));
    }

    /** Messages under way in; for tests and monitoring. */
    int pendingIncoming() {
        return incoming.size();
    }
}
