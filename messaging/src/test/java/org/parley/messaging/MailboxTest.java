package org.parley.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.messaging.MailboxFakes.FlakyUsageLog;
import org.parley.messaging.MailboxFakes.MemoryOfflineStore;
import org.parley.messaging.MailboxFakes.ScriptedDelivery;
import org.parley.messaging.store.Limits;
import org.parley.messaging.store.Quota;
import org.parley.messaging.store.UsageEvent;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.ManualScheduler;

@DisplayName("Issue 14 §2, MU-3, UC 5.13: store-and-forward settles one outcome — never stored after delivery, always one final answer")
class MailboxTest {
    static final String BOB = "sip:bob@example.com";
    static final Quota QUOTA = new Quota(10, 1 << 20);

    final ManualScheduler scheduler = new ManualScheduler();
    final MemoryOfflineStore store = new MemoryOfflineStore();
    final FlakyUsageLog usageLog = new FlakyUsageLog();
    final ScriptedDelivery delivery = new ScriptedDelivery();
    final AtomicInteger summaries = new AtomicInteger();
    volatile boolean summaryFails;
    final MessagingSettings settings = new MessagingSettings(true, true, false, true, Duration.ofHours(72),
            Duration.ofDays(7), 0, new Limits(0, 0, 0, 0, Set.of(), 10, 1 << 20), "service", Duration.ofSeconds(30));
    final Mailbox mailbox = new Mailbox(store, delivery, new Usage(usageLog, scheduler),
            new Notices("service", "example.com"), settings, scheduler, Runnable::run, aor -> {
                summaries.incrementAndGet();
                if (summaryFails) {
                    throw new IllegalStateException("notifier broke");
                }
            });

    CompletableFuture<SipResponse> submit(String text) {
        SipRequest m = MailboxFakes.message(text);
        Submission s = new Submission(m, "sip:alice@example.com", BOB, "TCP", scheduler.now());
        return mailbox.deliverOrStore(m, s, scheduler.now().plus(Duration.ofHours(1)), QUOTA, "t1");
    }

    @Test
    @DisplayName("a device takes it and the usage log fails: the device's 200 goes back, nothing is stored")
    void failureAfterDeliveryDoesNotStoreAgain() {
        delivery.answering(200);
        usageLog.failing = true;

        SipResponse answer = submit("hello").join();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(store.messages).isEmpty();
        assertThat(delivery.sent).hasSize(1);
    }

    @Test
    @DisplayName("no device: stored once and 202, even when the usage log and the summary notification fail")
    void storedOnceWhenBookKeepingFails() {
        delivery.answering(480);
        usageLog.failing = true;
        summaryFails = true;

        SipResponse answer = submit("later").join();

        assertThat(answer.status()).isEqualTo(202);
        assertThat(store.messages).hasSize(1);
        assertThat(summaries).hasValue(1);
    }

    @Test
    @DisplayName("delivery fails and then the store fails too: the completion fails (the router answers 500), nothing stored")
    void failureInTheFailureBranchCompletesExceptionally() {
        CompletableFuture<SipResponse> answer = new CompletableFuture<>();
        // the store goes down between the recipient check and the fall-back store
        delivery.answer = m -> {
            store.failing = true;
            return CompletableFuture.failedFuture(new IllegalStateException("forker broke"));
        };
        submit("lost?").whenComplete((r, e) -> {
            if (e != null) {
                answer.completeExceptionally(e);
            } else {
                answer.complete(r);
            }
        });

        assertThatThrownBy(answer::join).isInstanceOf(CompletionException.class)
                .hasRootCauseMessage("database unreachable");
        store.failing = false;
        assertThat(store.messages).isEmpty();
    }

    @Test
    @DisplayName("delivery that throws at once is a failed delivery: stored and 202")
    void synchronousDeliveryFailureStores() {
        delivery.answer = m -> {
            throw new IllegalStateException("no flow");
        };
        assertThat(submit("x").join().status()).isEqualTo(202);
        assertThat(store.messages).hasSize(1);
    }

    @Test
    @DisplayName("the store is down before anything is done: the completion fails, no device was tried")
    void storeDownUpFront() {
        delivery.answering(200);
        store.failing = true;
        assertThatThrownBy(() -> submit("x")).hasMessageContaining("database unreachable");
        assertThat(delivery.sent).isEmpty();
    }

    @Test
    @DisplayName("a device's own refusal goes back to the sender and is not stored, even when its usage record fails")
    void refusalIsTheAnswer() {
        delivery.answering(603);
        usageLog.failing = true;
        assertThat(submit("no").join().status()).isEqualTo(603);
        assertThat(store.messages).isEmpty();
    }

    @Test
    @DisplayName("a full store: 480 with Retry-After, even when its usage record fails")
    void fullStoreIs480() {
        delivery.answering(480);
        for (int i = 0; i < 10; i++) {
            submit("m" + i).join();
        }
        usageLog.failing = true;
        SipResponse answer = submit("one too many").join();
        assertThat(answer.status()).isEqualTo(480);
        assertThat(answer.header("Retry-After")).contains("3600");
        assertThat(store.messages).hasSize(10);
    }

    @Test
    @DisplayName("MT-3: stored messages go out oldest first on registration, each once, even when book-keeping fails after it")
    void drainDeliversEachStoredMessageOnce() {
        delivery.answering(480);
        submit("first").join();
        submit("second").join();
        assertThat(usageLog.events).containsExactly(UsageEvent.STORED, UsageEvent.STORED);

        delivery.answering(200);
        usageLog.failing = true;
        summaryFails = true;
        mailbox.onRegistered(BOB);
        mailbox.deliverPending(BOB);

        List<String> bodies = delivery.sent.stream().map(r -> new String(r.body())).toList();
        // the first submission's attempt (the second queued behind it, no device to try); then the summary and each message once
        assertThat(bodies.subList(1, bodies.size())).containsExactly("You have 2 messages waiting.", "first", "second");
        assertThat(store.messages).isEmpty();
    }

    @Test
    @DisplayName("UC 5.1, MT-3: a notice of the server's own (no Via) kept for an offline user is delivered on registration, and so are the messages after it")
    void storedNoticeIsDeliveredLikeAMessage() {
        delivery.answering(480);
        mailbox.notice(new Notices("service", "example.com").text(BOB, "alice wants to add you"), BOB);
        submit("after the notice").join();
        assertThat(store.messages).hasSize(2);

        delivery.answering(200);
        mailbox.onRegistered(BOB);

        List<String> bodies = delivery.sent.stream().map(r -> new String(r.body())).toList();
        // the notice's attempt; the message after it queued behind it, no device to try
        assertThat(bodies.subList(1, bodies.size()))
                .containsExactly("You have 2 messages waiting.", "alice wants to add you", "after the notice");
        assertThat(delivery.sent.getLast().headers().has(HeaderNames.VIA)).as("the stand-in Via is dropped").isFalse();
        assertThat(store.messages).isEmpty();
    }

    @Test
    @DisplayName("PP2-33: a device that does not take a stored message gets it again after the retry interval, off the timer thread")
    void retryAfterTheInterval() {
        delivery.answering(480);
        submit("again").join();
        delivery.answering(500);
        mailbox.deliverPending(BOB);
        int tried = delivery.sent.size();

        delivery.answering(200);
        scheduler.advance(Duration.ofSeconds(30));

        assertThat(delivery.sent).hasSize(tried + 1);
        assertThat(store.messages).isEmpty();
        assertThat(scheduler.now()).isEqualTo(Instant.parse("2025-01-01T00:00:30Z"));
    }
}
