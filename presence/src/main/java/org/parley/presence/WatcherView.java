package org.parley.presence;

import java.util.Arrays;

/** What one watcher is to get now: an active subscription with a body, a pending one, or none. */
record WatcherView(Standing standing, byte[] body) {
    enum Standing { ACTIVE, PENDING, REJECTED }

    static final WatcherView PENDING = new WatcherView(Standing.PENDING, new byte[0]);
    static final WatcherView REJECTED = new WatcherView(Standing.REJECTED, new byte[0]);

    static WatcherView active(byte[] body) {
        return new WatcherView(Standing.ACTIVE, body);
    }

    boolean sameAs(WatcherView o) {
        return standing == o.standing && Arrays.equals(body, o.body);
    }
}
