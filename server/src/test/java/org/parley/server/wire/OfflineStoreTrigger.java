package org.parley.server.wire;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.h2.api.Trigger;
import org.parley.server.TestServer;

/**
 * (MU-3, UC 5.13 store-and-forward; issue 14 §2) An H2 trigger on the offline store's insert that makes the store fail or hang
 * as a broken database would, or hold the insert until the test releases it, switched by the test:
 * how a wire test reaches the failure branch of store-and-forward, or a moment inside a store,
 * within a real server.
 */
public final class OfflineStoreTrigger implements Trigger {
    /** PASS: the insert goes on; FAIL: it fails at once; HANG: it waits for {@link #release}, then fails; HOLD: it waits, then goes on. */
    enum Mode { PASS, FAIL, HANG, HOLD }

    static volatile Mode mode = Mode.PASS;
    static volatile CountDownLatch entered = new CountDownLatch(1);
    static volatile CountDownLatch release = new CountDownLatch(1);

    static void reset(Mode next) {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        mode = next;
    }

    /** Puts the trigger on the offline store of {@code server}'s database; it passes until a test switches it. */
    static void install(TestServer server) {
        server.server().context().database().jdbi().useHandle(h -> h.execute(
                "CREATE TRIGGER offline_store_trigger BEFORE INSERT ON offline_message FOR EACH ROW CALL '"
                        + OfflineStoreTrigger.class.getName() + "'"));
    }

    /** After a test: whatever waits in the trigger goes on, and the next insert passes. */
    static void heal() {
        release.countDown();
        reset(Mode.PASS);
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        entered.countDown();
        switch (mode) {
            case PASS -> { }
            case FAIL -> throw new SQLException("disk full (test trigger)");
            case HANG -> {
                awaitRelease();
                throw new SQLException("the hung insert gives up (test trigger)");
            }
            case HOLD -> awaitRelease();
        }
    }

    private static void awaitRelease() throws SQLException {
        try {
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new SQLException("test trigger never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        }
    }
}
