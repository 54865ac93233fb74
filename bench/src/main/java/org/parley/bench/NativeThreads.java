package org.parley.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU time of this process's threads by kind, from Linux's {@code /proc/self/task/<tid>/stat}: every
 * native thread, the ones Java cannot see too — the collector's ("GC Thread#N", "G1 Conc#N"), the
 * compilers', the JVM's own — which is where a harness that times only its calling thread goes blind.
 * Names are the kernel's (15 characters at most) with digits folded, so a pool's threads add up to one
 * kind. Threads that ended since the last reading take their time with them. Empty where there is no
 * {@code /proc}.
 */
final class NativeThreads {
    /** USER_HZ, the unit of the stat file's times: 100 on every Linux ABI the JDK runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private NativeThreads() {
    }

    /** Kind (thread name, digits folded) to the CPU time, user + system, its threads have used, in ns. */
    static Map<String, Long> cpuByKind() {
        Map<String, Long> out = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // ended meanwhile
                }
                // pid (comm) state ppid ... : comm may hold spaces and parentheses, so cut at the last ')'
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String[] fields = stat.substring(close + 2).split(" ");
                // fields[0] is the state (field 3); utime and stime are fields 14 and 15
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                out.merge(stat.substring(open + 1, close).replaceAll("[0-9]+", "N"), ticks * NANOS_PER_TICK, Long::sum);
            }
        } catch (IOException e) {
            return Map.of();
        }
        return out;
    }
}
