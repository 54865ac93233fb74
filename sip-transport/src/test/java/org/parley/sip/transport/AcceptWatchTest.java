package org.parley.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 §1: an accept that fails with EMFILE must neither end the listener (Helidon's did) nor
 * spin on the selector; the listener reports itself failing to /health meanwhile.
 */
@DisplayName("GS-4, PP2-3 (floods), RFC 3261 §18.2.1: a failed accept (EMFILE) pauses accepting for a second and shows in the listener's health (issue 9 §1)")
class AcceptWatchTest {

    @Test
    void failedAcceptPausesThenResumes() {
        AcceptWatch watch = new AcceptWatch(Transport.TCP);
        EmbeddedChannel listener = new EmbeddedChannel(watch);
        assertThat(watch.accepting()).isTrue();

        listener.pipeline().fireExceptionCaught(new IOException("Too many open files"));

        assertThat(listener.isOpen()).as("the listener stays open").isTrue();
        assertThat(listener.config().isAutoRead()).as("accepting paused").isFalse();
        assertThat(watch.accepting()).as("reported as failing").isFalse();
        listener.checkException(); // the failure was handled, not passed on to Netty's tail

        listener.advanceTimeBy(AcceptWatch.PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).as("accepting resumed").isTrue();
        listener.finishAndReleaseAll();
    }
}
