package org.parley.sip.transport;

import io.netty.channel.Channel;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits accepted connections within {@link ConnectionLimits}: in total, per source address, and
 * only while the process keeps its reserve of file descriptors. A refused connection is closed
 * before any handler (or TLS engine) is set up for it, so it costs one accept and nothing more.
 */
final class ConnectionGate {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGate.class);
    /** Counting open descriptors lists /proc/self/fd; under a flood that is done at most this often. */
    private static final long FD_SAMPLE_NANOS = 250_000_000L;

    /** Why a connection was refused, as a metric tag. */
    enum Refusal { TOTAL, PER_ADDRESS, FD_RESERVE }

    private final ConnectionLimits limits;
    private final TransportMetrics metrics;
    private final long fdLimit = ConnectionLimits.fileDescriptorLimit();
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final AtomicLong fdSampledAt = new AtomicLong(System.nanoTime() - FD_SAMPLE_NANOS);
    private volatile long openFds;
    private final LogLimiter refusals = new LogLimiter(1, 60_000);

    ConnectionGate(ConnectionLimits limits, TransportMetrics metrics) {
        this.limits = limits;
        this.metrics = metrics;
    }

    /**
     * Counts the connection in, or closes it and returns false. Its count is given back when it
     * closes, whatever closes it.
     */
    boolean admit(Channel ch, Transport transport) {
        if (!(ch.remoteAddress() instanceof InetSocketAddress remote)) {
            ch.close(); // gone before it could be looked at
            return false;
        }
        InetAddress source = remote.getAddress();
        Refusal refusal = null;
        if (total.incrementAndGet() > limits.maxConnections()) {
            refusal = Refusal.TOTAL;
        }
        AtomicInteger fromSource = perAddress.computeIfAbsent(source, a -> new AtomicInteger());
        if (fromSource.incrementAndGet() > limits.maxPerAddress() && refusal == null) {
            refusal = Refusal.PER_ADDRESS;
        }
        if (refusal == null && freeFileDescriptors() < limits.fdReserve()) {
            refusal = Refusal.FD_RESERVE;
        }
        ch.closeFuture().addListener(f -> release(source, fromSource));
        if (refusal == null) {
            return true;
        }
        metrics.refused(transport, refusal);
        refusals.log(log, "refusing {} connections ({}): {} from {}, {} in total; limits: {} per address, {} in total,"
                + " {} file descriptors kept free", transport, refusal, fromSource.get() - 1, source.getHostAddress(),
                total.get() - 1, limits.maxPerAddress(), limits.maxConnections(), limits.fdReserve());
        ch.close();
        return false;
    }

    private void release(InetAddress source, AtomicInteger fromSource) {
        total.decrementAndGet();
        if (fromSource.decrementAndGet() <= 0) {
            perAddress.remove(source, fromSource);
        }
    }

    private long freeFileDescriptors() {
        long now = System.nanoTime();
        long last = fdSampledAt.get();
        if (now - last >= FD_SAMPLE_NANOS && fdSampledAt.compareAndSet(last, now)) {
            openFds = openFileDescriptors();
        } else {
            openFds++; // between samples, assume every admitted connection is still open
        }
        return fdLimit - openFds;
    }

    private static long openFileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : 0;
    }
}
