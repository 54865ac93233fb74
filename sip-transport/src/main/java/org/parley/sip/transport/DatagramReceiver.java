package org.parley.sip.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reception on the SIP UDP socket (RFC 3261 §18.3); what a datagram becomes is {@link DatagramHandling}'s.
 *
 * <p>Virtual threads read the socket in a loop and each handles what it read itself — parsing,
 * the transaction layer, for a non-INVITE request or response the transaction user too — before
 * it reads again: no hand-off while datagrams are waiting, as Kamailio's receivers work (issue 13).
 * Reading is leader/followers: one receiver at a time reads, the others queue for their turn.
 * The reader that takes a datagram while no other is left to read starts one more before it
 * handles it, so whatever a TU waits for (a database, a response to a request of its own) never
 * stops reception, and a receiver back from handling ends when {@code spares} others already read.
 * One peer's datagrams are thus handled side by side — an IMS core sends everything from one
 * P-CSCF address and port, which sockets spread by source (SO_REUSEPORT) would handle on one
 * thread — and may be handled in another order than they came, as UDP may deliver them anyway
 * (the transaction layer tolerates that: §17 never relies on order over UDP).
 *
 * <p>At most {@link #MAX_IN_HAND} datagrams are handled at once; beyond that they are read and
 * dropped and counted, as a full socket buffer would drop them, instead of filling the heap with
 * threads under a flood.
 */
final class DatagramReceiver {
    private static final Logger log = LoggerFactory.getLogger(DatagramReceiver.class);
    /** About what the 4 MiB socket buffer holds of typical requests. */
    static final int MAX_IN_HAND = 8192;
    /** Large enough for any datagram, so that an oversized one is seen whole and refused, not cut short. */
    static final int BUFFER_BYTES = 65536;

    private final DatagramChannel socket;
    private final InetSocketAddress local;
    private final Handling handling;
    private final TransportMetrics metrics;
    private final int spares;
    private final int maxInHand;
    /** Receivers reading or queued to read. */
    private final AtomicInteger reading = new AtomicInteger();
    private final AtomicInteger inHand = new AtomicInteger();
    /**
     * One receiver at a time reads, into the one buffer (direct: the kernel writes straight into it),
     * and copies the datagram out before the next may read; the others wait here, not in the socket.
     */
    private final ReentrantLock reader = new ReentrantLock();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final DatagramFlows flows = new DatagramFlows();

    /** Parses and delivers one datagram: {@link DatagramHandling} but for tests that hold it up. */
    interface Handling {
        void handle(byte[] datagram, Flow flow);
    }

    /**
     * @param socket  bound, in blocking mode
     * @param spares  receivers kept reading when none has work, at least 1
     */
    DatagramReceiver(DatagramChannel socket, Handling handling, TransportMetrics metrics, int spares)
            throws IOException {
        this(socket, handling, metrics, spares, MAX_IN_HAND);
    }

    DatagramReceiver(DatagramChannel socket, Handling handling, TransportMetrics metrics, int spares, int maxInHand)
            throws IOException {
        this.socket = socket;
        this.local = (InetSocketAddress) socket.getLocalAddress();
        this.handling = handling;
        this.metrics = metrics;
        this.spares = spares;
        this.maxInHand = maxInHand;
    }

    void start() {
        for (int i = 0; i < spares; i++) {
            startReceiver();
        }
    }

    private void startReceiver() {
        reading.incrementAndGet();
        Thread.ofVirtual().name("sip-udp-receiver").start(this::receive);
    }

    private void receive() {
        try {
            while (true) {
                InetSocketAddress source;
                byte[] datagram;
                reader.lock();
                try {
                    buffer.clear();
                    source = (InetSocketAddress) socket.receive(buffer);
                    if (inHand.incrementAndGet() > maxInHand) {
                        inHand.decrementAndGet();
                        metrics.dropped(Transport.UDP);
                        continue;
                    }
                    datagram = new byte[buffer.flip().remaining()];
                    buffer.get(datagram);
                } finally {
                    reader.unlock();
                }
                if (reading.decrementAndGet() == 0) {
                    startReceiver(); // this one may be a while: someone must read meanwhile
                }
                try {
                    handling.handle(datagram, flows.of(source, local));
                } catch (RuntimeException e) {
                    log.warn("datagram from {} dropped", Flow.format(source), e);
                } finally {
                    inHand.decrementAndGet();
                }
                if (!readAgain()) {
                    return;
                }
            }
        } catch (IOException e) {
            reading.decrementAndGet();
            if (!(e instanceof ClosedChannelException) && socket.isOpen()) {
                log.warn("SIP UDP receiver failed; another takes its place", e);
                startReceiver();
            }
        }
    }

    /** Back to reading, unless enough others read already: then this receiver ends. */
    private boolean readAgain() {
        for (int n = reading.get(); n < spares; n = reading.get()) {
            if (reading.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Receivers reading or queued to read now. */
    int reading() {
        return reading.get();
    }

    /** Datagrams being handled now: what the overload guard counts. */
    int inHand() {
        return inHand.get();
    }

    /**
     * Stops reading, then waits up to {@code wait} for the datagrams in hand to be handled and the
     * receivers to end (the socket's port is free once the last reader has left it).
     */
    void close(Duration wait) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing the SIP UDP socket", e);
        }
        long end = System.nanoTime() + wait.toNanos();
        try {
            while ((inHand.get() > 0 || reading.get() > 0) && System.nanoTime() < end) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
