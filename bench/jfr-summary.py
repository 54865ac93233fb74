#!/usr/bin/env python3
"""A text summary of a JFR recording, small enough to commit next to a bench result.

  bench/jfr-summary.py RECORDING.jfr [TOP [OPERATIONS]]

Reads the recording with the JDK's `jfr` tool (the one on PATH or under $JAVA_HOME) and prints:
- CPU samples (jdk.ExecutionSample) by area: a sample counts for the first area found walking its
  stack from the top (H2, JDBI/JDBC pool, Netty, the JDK's crypto, ...), so the areas add up to 100 %;
- the TOP methods by samples where they are on top of the stack (self) and by samples anywhere in it
  (inclusive, Parley's own methods only: where the time is spent on behalf of which step);
- allocation samples (jdk.ObjectAllocationSample, weighted by bytes) by class and by the first
  Parley frame that allocated;
- what makes requests wait without using CPU (a serial limit): garbage collection pauses, and the
  time threads spent blocked on monitors (jdk.JavaMonitorEnter) or parked (jdk.ThreadPark, under a
  Parley frame only: idle pool threads are left out), by the first Parley frame.
- CPU samples by thread (digits folded, so "nioEventLoopGroup-3-1" and "-3-2" are one line per group:
  how busy each kind of thread was, e.g. Netty's event loops) and time blocked on monitors
  (jdk.JavaMonitorEnter, by the class of the lock): contention on a forward path shows here.
- CPU by thread, not folded (jdk.ThreadCPULoad, user + system, mean over the recording in % of one
  CPU): a single thread near 100 % is a serial limit, whatever the samples say;
- the heap allocated during the recording (jdk.ThreadAllocationStatistics at its start and end, summed
  over threads; virtual threads count on their carriers; threads that ended meanwhile are missed) and,
  given OPERATIONS (e.g. the calls of a bench step), per operation.
Standard library only; `jfr print --json` is the only interface to the file it relies on.
"""
import collections
import json
import os
import re
import shutil
import subprocess
import sys

# first match from the top of the stack wins; order matters (JDBC under JDBI, H2 under both)
AREAS = [
    ("H2 database", ("org.h2.",)),
    ("PostgreSQL driver", ("org.postgresql.",)),
    ("JDBI / HikariCP", ("org.jdbi.", "com.zaxxer.hikari.")),
    ("Netty", ("io.netty.",)),
    ("Helidon", ("io.helidon.",)),
    ("logging", ("ch.qos.logback.", "org.slf4j.")),
    ("XML", ("org.parley.xml.", "com.sun.org.apache.xerces.", "com.sun.org.apache.xml.", "javax.xml.")),
    ("digest / crypto", ("sun.security.", "javax.crypto.", "com.sun.crypto.", "java.security.")),
    ("SIP parser / model", ("org.parley.sip.message.",)),
    ("SIP transport", ("org.parley.sip.transport.",)),
    ("SIP transactions", ("org.parley.sip.transaction.",)),
    ("SIP proxy", ("org.parley.sip.proxy.",)),
    ("accounts / auth", ("org.parley.accounts.",)),
    ("registrar", ("org.parley.registrar.",)),
    ("messaging", ("org.parley.messaging.",)),
    ("presence", ("org.parley.presence.",)),
    ("other Parley", ("org.parley.",)),
    ("JDK concurrency / threads", ("java.util.concurrent.", "jdk.internal.misc.", "java.lang.VirtualThread",
                                   "java.lang.Thread")),
    ("JDK collections / strings", ("java.util.", "java.lang.")),
]


def jfr_tool():
    home = os.environ.get("JAVA_HOME")
    if home and os.path.exists(os.path.join(home, "bin", "jfr")):
        return os.path.join(home, "bin", "jfr")
    return shutil.which("jfr") or sys.exit("jfr-summary: no jfr tool (set JAVA_HOME to a JDK)")


def events(recording, name):
    out = subprocess.run([jfr_tool(), "print", "--json", "--stack-depth", "64", "--events", name, recording],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def frames(event):
    """The stack from the top, as class.method names with dots; lambda and other hidden classes left out."""
    trace = event["values"].get("stackTrace") or {}
    for f in trace.get("frames") or []:
        m = f["method"]
        if m["type"].get("hidden"):
            continue
        yield m["type"]["name"].replace("/", ".") + "." + m["name"]


JDK = ("java.", "jdk.", "javax.", "com.sun.")


def area(stack):
    """The area of the frame nearest the top that is not the JDK's own code (crypto aside), else the JDK's."""
    for frame in stack:
        for label, prefixes in AREAS:
            if frame.startswith(prefixes) and (not frame.startswith(JDK) or label in ("digest / crypto", "XML")):
                return label
    for frame in stack:
        for label, prefixes in AREAS:
            if frame.startswith(prefixes):
                return label
    return "other"


def table(title, counter, total, top, unit="samples"):
    print(f"{title} ({total} {unit})")
    for key, n in counter.most_common(top):
        print(f"  {100.0 * n / max(total, 1):5.1f} %  {key}")
    print()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    recording = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    operations = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3].isdigit() else 0
    execution = events(recording, "jdk.ExecutionSample")
    samples = [list(frames(e)) for e in execution]
    samples = [s for s in samples if s]
    by_area, self_time, inclusive = collections.Counter(), collections.Counter(), collections.Counter()
    for s in samples:
        by_area[area(s)] += 1
        self_time[s[0]] += 1
        for frame in set(s):
            if frame.startswith("org.parley."):
                inclusive[frame] += 1
    print(f"JFR summary of {os.path.basename(recording)}\n")
    table("CPU samples by area", by_area, len(samples), len(AREAS) + 1)
    table("CPU samples, top methods (self)", self_time, len(samples), top)
    table("CPU samples, Parley methods on the stack (inclusive)", inclusive, len(samples), top)

    by_class, by_site, total = collections.Counter(), collections.Counter(), 0
    for e in events(recording, "jdk.ObjectAllocationSample"):
        weight = e["values"].get("weight") or 0
        cls = (e["values"].get("objectClass") or {}).get("name", "?")
        total += weight
        by_class[cls] += weight
        site = next((f for f in frames(e) if f.startswith("org.parley.")), "(no Parley frame)")
        by_site[site] += weight
    table("allocation (sampled bytes) by class", by_class, total, top, "bytes")
    table("allocation (sampled bytes) by first Parley frame", by_site, total, top, "bytes")
    by_thread = collections.Counter()
    for e in execution:
        name = (e["values"].get("sampledThread") or {}).get("javaName") or "?"
        by_thread[re.sub(r"[0-9]+", "N", name)] += 1
    table("CPU samples by thread (digits folded)", by_thread, len(execution), top)
    thread_cpu(recording, top)
    allocated(recording, operations)
    waits(recording, top)


def thread_cpu(recording, top):
    load = collections.defaultdict(list)
    for e in events(recording, "jdk.ThreadCPULoad"):
        v = e["values"]
        name = (v.get("eventThread") or {}).get("javaName") or "?"
        load[name].append((v.get("user") or 0) + (v.get("system") or 0))
    cpus = os.cpu_count() or 1   # the event's loads are fractions of the whole machine
    means = collections.Counter({n: 100.0 * cpus * sum(x) / len(x) for n, x in load.items()})
    print("CPU by thread (jdk.ThreadCPULoad, user + system, mean % of one CPU)")
    for name, pct in means.most_common(min(top, 10)):
        print(f"  {pct:5.1f} %  {name}")
    print()


def allocated(recording, operations):
    stats = events(recording, "jdk.ThreadAllocationStatistics")
    start = min((e["values"]["startTime"] for e in stats), default=None)
    first, last = {}, {}
    for e in stats:
        v = e["values"]
        tid = (v.get("thread") or {}).get("javaThreadId")
        # a thread missing from the reading at the start began later: all it allocated counts
        first.setdefault(tid, (v.get("allocated") or 0) if v["startTime"] == start else 0)
        last[tid] = v.get("allocated") or 0
    total = sum(last[t] - first[t] for t in last)
    line = f"heap allocated: {total / 1e6:.1f} MB"
    if operations:
        line += f", {total / operations / 1024:.1f} KiB per operation ({operations} operations)"
    print(line + "\n")


def millis(value):
    """A JFR duration as printed by `jfr print --json` (ISO-8601 'PT0.0123S', or nanoseconds) in ms."""
    if isinstance(value, (int, float)):
        return value / 1e6
    m = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", value or "")
    if not m:
        return 0.0
    h, mi, sec = m.groups()
    return (int(h or 0) * 3600 + int(mi or 0) * 60 + float(sec or 0)) * 1000


def waits(recording, top):
    pauses = [millis(e["values"].get("duration")) for e in events(recording, "jdk.GarbageCollection")]
    if pauses:
        pauses.sort()
        print(f"garbage collections: {len(pauses)}, {sum(pauses):.0f} ms in all, longest {pauses[-1]:.1f} ms, "
              f"99th percentile {pauses[int(0.99 * (len(pauses) - 1))]:.1f} ms\n")
    for name, title in (("jdk.JavaMonitorEnter", "blocked on a monitor"), ("jdk.ThreadPark", "parked")):
        spent, count = collections.Counter(), collections.Counter()
        for e in events(recording, name):
            site = next((f for f in frames(e) if f.startswith("org.parley.")), None)
            if site is None and name == "jdk.ThreadPark":
                continue
            spent[site or "(no Parley frame)"] += millis(e["values"].get("duration"))
            count[site or "(no Parley frame)"] += 1
        print(f"time {title} (events over the recording's threshold), by first Parley frame")
        for site, ms in spent.most_common(top):
            print(f"  {ms:9.0f} ms  {count[site]:6d}x  {site}")
        print()
    blocked, blocked_total = collections.Counter(), 0.0
    for e in events(recording, "jdk.JavaMonitorEnter"):
        ms = millis(e["values"].get("duration"))
        blocked[(e["values"].get("monitorClass") or {}).get("name", "?")] += ms
        blocked_total += ms
    table("blocked on monitors (jdk.JavaMonitorEnter over 20 ms, by lock class)", blocked, round(blocked_total),
          top, "ms")


if __name__ == "__main__":
    main()
