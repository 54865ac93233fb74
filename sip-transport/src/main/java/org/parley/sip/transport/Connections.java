package org.parley.sip.transport;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open connections, by flow id (to send on a flow) and by remote address (to reuse a
 * connection, RFC 3261 §18.1.1), and the news that one closed (RFC 5626 flow failure).
 */
final class Connections {
    private static final Logger log = LoggerFactory.getLogger(Connections.class);
    static final AttributeKey<Flow> FLOW = AttributeKey.valueOf("parley.sip.flow");

    private record Remote(Transport transport, InetSocketAddress address) {
    }

    private final ConcurrentMap<String, Channel> byId = new ConcurrentHashMap<>();
    private final ConcurrentMap<Remote, Channel> byRemote = new ConcurrentHashMap<>();
    private final ChannelGroup all = new DefaultChannelGroup("parley-sip-connections", GlobalEventExecutor.INSTANCE);
    private final TransportMetrics metrics;
    private final InboundHandler handler;

    Connections(TransportMetrics metrics, InboundHandler handler) {
        this.metrics = metrics;
        this.handler = handler;
    }

    /**
     * Names a new connection. The id is the channel's long id, unique across restarts too, so
     * that a flow token kept in a binding never names a later connection.
     */
    Flow attach(Channel channel, Transport transport) {
        Flow flow = new Flow(transport, (InetSocketAddress) channel.localAddress(),
                (InetSocketAddress) channel.remoteAddress(),
                transport.name().toLowerCase(Locale.ROOT) + "-" + channel.id().asLongText());
        channel.attr(FLOW).set(flow);
        all.add(channel);
        return flow;
    }

    /** The connection carries SIP from now on: it can be sent on and counts as open. */
    void register(Channel channel) {
        Flow flow = channel.attr(FLOW).get();
        if (flow != null && byId.putIfAbsent(flow.connectionId(), channel) == null) {
            byRemote.put(new Remote(flow.transport(), flow.remote()), channel);
            metrics.connectionOpened(flow.transport());
        }
    }

    void unregister(Channel channel) {
        Flow flow = channel.attr(FLOW).get();
        if (flow == null || !byId.remove(flow.connectionId(), channel)) {
            return;
        }
        byRemote.remove(new Remote(flow.transport(), flow.remote()), channel);
        metrics.connectionClosed(flow.transport());
        try {
            handler.onFlowClosed(flow);
        } catch (RuntimeException e) {
            log.warn("flow-closed handler failed for {}", flow.token(), e);
        }
    }

    Channel byId(String connectionId) {
        return connectionId == null ? null : byId.get(connectionId);
    }

    Channel to(Transport transport, InetSocketAddress remote) {
        return byRemote.get(new Remote(transport, remote));
    }

    void closeAll() {
        all.close().awaitUninterruptibly();
    }
}
