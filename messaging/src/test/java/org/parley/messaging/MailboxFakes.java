package org.parley.messaging;

import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.parley.accounts.Page;
import org.parley.messaging.store.NewStoredMessage;
import org.parley.messaging.store.OfflineStore;
import org.parley.messaging.store.Quota;
import org.parley.messaging.store.QuotaExceededException;
import org.parley.messaging.store.StoreUsage;
import org.parley.messaging.store.StoredMessage;
import org.parley.messaging.store.UsageEvent;
import org.parley.messaging.store.UsageLog;
import org.parley.messaging.store.UsageQuery;
import org.parley.messaging.store.UsageRecord;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipUri;
import org.parley.sip.proxy.ContactTarget;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;

/** (MU-3, issue 14 §2) In-memory stand-ins for the offline store, the usage log and delivery, each able to fail on demand. */
final class MailboxFakes {
    private MailboxFakes() {
    }

    static final ContactTarget PHONE = new ContactTarget(SipUri.parse("sip:bob@198.51.100.9:5060"), List.of(),
            new Flow(Transport.TCP, new InetSocketAddress("192.0.2.1", 5060), new InetSocketAddress("198.51.100.9", 5060), "c1"),
            false, 1.0f);

    static SipRequest message(String text) {
        String raw = "MESSAGE sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 198.51.100.7:5060;branch=z9hG4bK-m1\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\n"
                + "To: <sip:bob@example.com>\r\n"
                + "Call-ID: m1@198.51.100.7\r\n"
                + "CSeq: 1 MESSAGE\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: " + text.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + text;
        return (SipRequest) SipParser.parse(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The offline store in a list; {@link #failing} makes every call throw, as a database that is down. */
    static final class MemoryOfflineStore implements OfflineStore {
        final List<StoredMessage> messages = new CopyOnWriteArrayList<>();
        volatile boolean failing;
        private long sequence;

        private void check() {
            if (failing) {
                throw new IllegalStateException("database unreachable");
            }
        }

        @Override
        public synchronized StoredMessage store(NewStoredMessage m, Quota quota) {
            check();
            if (usage(m.recipientAor()).messages() >= quota.maxMessages()) {
                throw new QuotaExceededException(usage(m.recipientAor()), quota);
            }
            StoredMessage stored = new StoredMessage(UUID.randomUUID(), ++sequence, m.recipientAor(), m.sender(),
                    m.submittedAt(), m.expiresAt(), m.contentType(), m.size(), m.imdnMessageId(), m.imdnRequested(),
                    m.request(), 0);
            messages.add(stored);
            return stored;
        }

        @Override
        public List<StoredMessage> pending(String recipientAor, int limit) {
            check();
            return messages.stream().filter(m -> m.recipientAor().equals(recipientAor))
                    .sorted(Comparator.comparingLong(StoredMessage::sequence)).limit(limit).toList();
        }

        @Override
        public boolean remove(StoredMessage message) {
            check();
            return messages.removeIf(m -> m.id().equals(message.id()));
        }

        @Override
        public void attempted(UUID id) {
            check();
        }

        @Override
        public List<StoredMessage> expired(Instant now, int limit) {
            check();
            return messages.stream().filter(m -> !m.expiresAt().isAfter(now)).limit(limit).toList();
        }

        @Override
        public StoreUsage usage(String recipientAor) {
            check();
            List<StoredMessage> mine = messages.stream().filter(m -> m.recipientAor().equals(recipientAor)).toList();
            return new StoreUsage(mine.size(), mine.stream().mapToLong(StoredMessage::size).sum(),
                    (int) mine.stream().filter(m -> m.contentType().equals("message/imdn+xml")).count());
        }

        @Override
        public List<String> recipientsWithPending() {
            check();
            return messages.stream().map(StoredMessage::recipientAor).distinct().toList();
        }

        @Override
        public List<StoredMessage> concerning(String aor) {
            check();
            return messages.stream().filter(m -> m.recipientAor().equals(aor) || m.sender().equals(aor)).toList();
        }

        @Override
        public int removeConcerning(String aor) {
            List<StoredMessage> gone = concerning(aor);
            messages.removeAll(gone);
            return gone.size();
        }
    }

    /** Records usage events; {@link #failing} makes {@code record} throw. */
    static final class FlakyUsageLog implements UsageLog {
        final List<UsageEvent> events = new CopyOnWriteArrayList<>();
        volatile boolean failing;

        @Override
        public void record(UsageRecord record) {
            if (failing) {
                throw new IllegalStateException("usage log unreachable");
            }
            events.add(record.event());
        }

        @Override
        public Page<UsageRecord> list(UsageQuery query, int offset, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void export(UsageQuery query, Writer out) {
            throw new UnsupportedOperationException();
        }
    }

    /** Devices that answer what the test says; every message handed to them is kept. */
    static final class ScriptedDelivery implements Delivery {
        final List<SipRequest> sent = new ArrayList<>();
        volatile boolean reachable = true;
        volatile Function<SipRequest, CompletableFuture<Result>> answer;

        @Override
        public boolean reachable(String recipientAor) {
            return reachable;
        }

        /** {@link #PHONE} is the one device there is. */
        @Override
        public boolean reachableBesides(String recipientAor, List<ContactTarget> tried) {
            return reachable && !tried.contains(PHONE);
        }

        @Override
        public synchronized CompletableFuture<Result> toDevices(SipRequest message, String recipientAor, String localTag) {
            sent.add(message);
            return answer.apply(message);
        }

        /** Devices answering {@code status}; 480 stands for no device registered, so the recipient is not reachable then. */
        void answering(int status) {
            reachable = status != 480;
            answer = m -> CompletableFuture.completedFuture(
                    new Result(m.createResponse(status, "device-tag"), status == 480 ? List.of() : List.of(PHONE)));
        }
    }
}
