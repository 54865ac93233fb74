package org.parley.bench;

import com.sun.management.ThreadMXBean;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.parley.msrp.MsrpLimits;
import org.parley.msrp.WireRequest;

/**
 * What the MSRP relay's decoder costs per 64 KiB message (RFC 4975 §9), on one thread, without the
 * sockets: {@code msrp-bench.sh}'s messages (8 KiB chunks, no reports) cut into 64 KiB reads of
 * pooled direct buffers as a socket read cuts them, wherever the cut falls; what the decoder passes
 * on is held for four reads (until written, in the relay) and then released. Thread CPU time and
 * allocated bytes per message, so that the figure moves less with what else the machine runs than a
 * wire benchmark's. Six rounds, the first two warm-up.
 * <pre>java -cp "bench/target/classes:bench/target/lib/*" org.parley.bench.RelayDecodeCpu [MESSAGES_PER_ROUND] [READ_BYTES]</pre>
 */
public final class RelayDecodeCpu {
    private static final int SIZE = 65536;
    private static final int CHUNK = 8192;
    /** reads whose messages are held before they are released: the relay holds them until written */
    private static final int HELD_READS = 4;

    private RelayDecodeCpu() {
    }

    public static void main(String[] args) {
        if (Usage.asked(args, RelayDecodeCpu.class, "[MESSAGES_PER_ROUND] [READ_BYTES]",
                "CPU time and bytes per 64 KiB MSRP message through the relay's decoder on one thread, the input cut\ninto READ_BYTES reads; six rounds, two warm-up.")) {
            return;
        }
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int readBytes = args.length > 1 ? Integer.parseInt(args[1]) : 65536;
        byte[] stream = stream(17);
        List<Object> held = new ArrayList<>();
        int[] whole = new int[1];
        EmbeddedChannel channel = new EmbeddedChannel(new org.parley.msrp.MsrpDecoder(new MsrpLimits(8192, 65536), true),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof WireRequest w && w.head().continuation() == '$') {
                            whole[0]++;
                        } else if (!(msg instanceof WireRequest)) {
                            throw new IllegalStateException("not relayed: " + msg);
                        }
                        held.add(msg);
                    }
                });
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        int at = 0;
        for (int round = 0; round < 6; round++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long allocated = threads.getCurrentThreadAllocatedBytes();
            int start = whole[0];
            int reads = 0;
            while (whole[0] - start < messages) {
                ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer(readBytes);
                int n = Math.min(readBytes, stream.length - at);
                read.writeBytes(stream, at, n);
                at = (at + n) % stream.length;
                channel.writeInbound(read);
                if (++reads % HELD_READS == 0) {
                    held.forEach(ReferenceCountUtil::release);
                    held.clear();
                }
            }
            int done = whole[0] - start;
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
            System.out.printf("%d B reads %s %d: %6.2f us CPU/msg %7d B/msg%n", readBytes,
                    round < 2 ? "warm-up" : "round  ", round, cpu / 1000.0 / done, allocated / done);
        }
        held.forEach(ReferenceCountUtil::release);
        channel.finishAndReleaseAll();
    }

    /** {@code count} messages of 64 KiB as the load client sends them, one after the other. */
    private static byte[] stream(int count) {
        Random random = new Random(7);
        byte[] body = new byte[SIZE];
        random.nextBytes(body);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String paths = "To-Path: msrp://127.0.0.1:2855/s0a1b2c3d4e5f;tcp msrp://127.0.0.1:2855/r0a1b2c3d4e5f;tcp "
                + "msrp://127.0.0.1:40000/b91c2d3e4f;tcp\r\nFrom-Path: msrp://127.0.0.1:40001/a81c2d3e4f;tcp\r\n";
        int tid = 0;
        for (int m = 0; m < count; m++) {
            for (int off = 0; off < SIZE; off += CHUNK) {
                String id = String.format("%020x", tid++);
                write(out, "MSRP " + id + " SEND\r\n" + paths + "Message-ID: " + String.format("%016x", m) + "\r\nSuccess-Report: no\r\n"
                        + "Failure-Report: no\r\nByte-Range: " + (off + 1) + "-" + (off + CHUNK) + "/" + SIZE
                        + "\r\nContent-Type: application/octet-stream\r\n\r\n");
                out.write(body, off, CHUNK);
                write(out, "\r\n-------" + id + (off + CHUNK < SIZE ? "+" : "$") + "\r\n");
            }
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String ascii) {
        out.writeBytes(ascii.getBytes(StandardCharsets.US_ASCII));
    }
}
