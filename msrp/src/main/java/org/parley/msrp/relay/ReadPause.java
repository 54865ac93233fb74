package org.parley.msrp.relay;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.HashSet;
import java.util.Set;

/**
 * The one switch that stops and restarts reading from a relay connection. Several things may
 * want a sender held back at once — a next hop that cannot take more (RFC 4976 §7.3: a slow
 * receiver), its batches still queued for another event loop, Parley's own endpoint with requests
 * of it still waiting — and each says so under its own reason: reading stops with the first reason
 * and starts again only when the last one is gone, so that one cause can never resume what
 * another still holds. Every change runs on the connection's own event loop.
 */
final class ReadPause {
    private static final AttributeKey<ReadPause> KEY = AttributeKey.valueOf("msrp.relay.read-pause");

    private final Channel channel;
    /** Only touched on the channel's event loop. */
    private final Set<Object> reasons = new HashSet<>();

    private ReadPause(Channel channel) {
        this.channel = channel;
    }

    static ReadPause of(Channel channel) {
        ReadPause pause = channel.attr(KEY).get();
        if (pause == null) {
            pause = new ReadPause(channel);
            ReadPause raced = channel.attr(KEY).setIfAbsent(pause);
            pause = raced == null ? pause : raced;
        }
        return pause;
    }

    /** Stops reading (if it has not stopped already) until {@code reason} is released. */
    void hold(Object reason) {
        onLoop(() -> {
            // Netty's pause needs a registered channel; a closed one reads nothing anyway
            if (channel.isActive() && reasons.add(reason) && reasons.size() == 1) {
                channel.config().setAutoRead(false);
            }
        });
    }

    /** Drops {@code reason}; reading starts again when it was the last one. */
    void release(Object reason) {
        onLoop(() -> {
            if (reasons.remove(reason) && reasons.isEmpty() && channel.isActive()) {
                channel.config().setAutoRead(true);
            }
        });
    }

    /** Whether anything holds reading back (on the channel's event loop). */
    boolean held() {
        return !reasons.isEmpty();
    }

    private void onLoop(Runnable change) {
        LoopAffinity.runOnOwnLoop(channel, change); // the loop it is on when the change runs (connections move)
    }
}
