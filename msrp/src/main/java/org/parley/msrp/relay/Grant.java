package org.parley.msrp.relay;

import io.netty.channel.Channel;
import java.time.Instant;
import org.parley.msrp.MsrpUri;

/**
 * A URI the relay handed out in Use-Path (RFC 4976 §5): to whom, over which connection it
 * reaches them, and until when.
 */
record Grant(MsrpUri uri, String username, Channel connection, Instant expires) {
    boolean liveAt(Instant now) {
        return now.isBefore(expires) && connection.isActive();
    }
}
