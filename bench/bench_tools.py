#!/usr/bin/env python3
"""Helpers for the bench/*.sh drivers (standard library only).

  bench_tools.py users URL TOKEN COUNT PREFIX INJECTION_FILE [THREADS]
      creates COUNT users PREFIX00001.. through the admin REST API (POST /admin/v1/users) and writes
      the SIPp injection file (user;password;domain;expires).  An existing user (409) counts as created.
  bench_tools.py xcap-put URL COUNT PREFIX AUID TEMPLATE [THREADS]
      stores one XCAP document per user PREFIX00001.. (PUT .../AUID/users/sip:<user>@localhost/index as
      that user, HTTP Basic with password pw-<name>); "{aor}" in the TEMPLATE file becomes the user's AOR.
  bench_tools.py step STAT_CSV RTT_CSV [RTD ...]
      prints one line "created ok failed retrans achieved_rate p50 p99 [p50 p99 ...]" from SIPp's
      -trace_stat and -trace_rtt files of one ramp step: p50/p99 of each named response-time
      distribution (rtd), by default "challenge" and "register".
  bench_tools.py steps "RTD ..." DIR...
      step's line for several SIPp processes of one step (lib.sh bench_sipps), each DIR holding one
      process's stat.csv and *_rtt.csv: counts and achieved rates summed, percentiles over all samples;
      "NOSTATS" when a DIR has no statistics.
  bench_tools.py fanout WATCHER_LOG OFFSET PUBLISHER_LOG WATCHERS
      one line of key=value figures of a presence fan-out run (presence-bench.sh): NOTIFYs delivered,
      states skipped or lost, the time from each PUBLISH to its first and last NOTIFY; see fanout() below.
  bench_tools.py histo-diff BEFORE AFTER COUNT [TOP]
      from two `jcmd GC.class_histogram` outputs of one JVM: the classes whose live bytes grew most
      between them, as bytes and instances per COUNT (e.g. per subscription of the presence mass phase).
"""
import base64
import csv
import glob
import http.client
import json
import re
import sys
import threading
import time
import urllib.parse


def _parallel(url, names, threads, request):
    """Runs request(conn, name) -> error text or None for every name, THREADS keep-alive connections;
    retries a name up to 3 times on a connection error. Exits on errors; returns the seconds taken."""
    parsed = urllib.parse.urlsplit(url)
    lock = threading.Lock()
    errors = []
    next_index = [0]

    def worker():
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        while True:
            with lock:
                if next_index[0] >= len(names) or len(errors) > 10:
                    break
                name = names[next_index[0]]
                next_index[0] += 1
            for attempt in range(3):
                try:
                    error = request(conn, name)
                    if error:
                        with lock:
                            errors.append(f"{name}: {error}")
                    break
                except (OSError, http.client.HTTPException) as e:
                    conn.close()
                    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
                    if attempt == 2:
                        with lock:
                            errors.append(f"{name}: {e}")
        conn.close()

    started = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if errors:
        sys.exit("failed:\n  " + "\n  ".join(errors[:10]))
    return time.monotonic() - started


def user_names(count, prefix):
    return [f"{prefix}{i:05d}" for i in range(1, count + 1)]


def users(url, token, count, prefix, inf_path, threads=8, domain="localhost", expires=3600):
    names = user_names(count, prefix)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def create(conn, name):
        body = json.dumps({"username": name, "password": "pw-" + name})
        conn.request("POST", "/admin/v1/users", body=body, headers=headers)
        resp = conn.getresponse()
        text = resp.read()
        return None if resp.status in (201, 409) else f"HTTP {resp.status} {text[:200]!r}"

    elapsed = _parallel(url, names, threads, create)
    with open(inf_path, "w") as f:
        f.write("SEQUENTIAL\n")
        for name in names:
            f.write(f"{name};pw-{name};{domain};{expires}\n")
    print(f"created {count} users in {elapsed:.1f} s ({count / elapsed:.0f}/s)")


XCAP_TYPES = {"pres-rules": "application/auth-policy+xml", "resource-lists": "application/resource-lists+xml"}


def xcap_put(url, count, prefix, auid, template_path, threads=8, domain="localhost"):
    """PUTs one document per user PREFIX00001.. at /xcap-root/AUID/users/sip:<user>@DOMAIN/index, as
    that user (HTTP Basic, password pw-<name>); {aor} in the template becomes sip:<user>@DOMAIN."""
    template = open(template_path, encoding="utf-8").read()
    names = user_names(count, prefix)

    def put(conn, name):
        aor = f"sip:{name}@{domain}"
        basic = base64.b64encode(f"{name}:pw-{name}".encode()).decode()
        conn.request("PUT", f"/xcap-root/{auid}/users/{urllib.parse.quote(aor, safe=':@')}/index",
                     body=template.replace("{aor}", aor).encode("utf-8"),
                     headers={"Authorization": f"Basic {basic}", "Content-Type": XCAP_TYPES[auid]})
        resp = conn.getresponse()
        text = resp.read()
        return None if resp.status in (200, 201) else f"HTTP {resp.status} {text[:200]!r}"

    elapsed = _parallel(url, names, threads, put)
    print(f"stored {count} {auid} documents in {elapsed:.1f} s ({count / elapsed:.0f}/s)")


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    # nearest-rank percentile
    rank = max(1, int(-(-p * len(sorted_values) // 100)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def fmt_ms(value):
    # SIPp measures in whole milliseconds: 0 means "under 1 ms"
    if value != value:
        return "n/a"
    return "<1" if value < 1 else f"{value:g}"


def _stat_totals(stat_path):
    """(created, ok, failed, retransmissions, achieved call rate) from the last line of a -trace_stat file."""
    with open(stat_path, newline="") as f:
        rows = [r for r in csv.reader(f, delimiter=";") if r]
    header, last = rows[0], rows[-1]
    col = {name: i for i, name in enumerate(header)}

    def num(name):
        return float(last[col[name]])

    return (int(num("TotalCallCreated")), int(num("SuccessfulCall(C)")), int(num("FailedCall(C)")),
            int(num("Retransmissions(C)")), num("CallRate(C)"))


def _rtt_samples(rtt_path, times):
    """Appends the response times of a -trace_rtt file to times[rtd] for the rtds times names."""
    try:
        with open(rtt_path) as f:
            next(f, None)
            for line in f:
                parts = line.strip().split(";")
                if len(parts) == 3 and parts[2] in times:
                    times[parts[2]].append(float(parts[1]))
    except FileNotFoundError:
        pass


def _step_line(totals, times, rtds):
    created, ok, failed, retrans, rate = totals
    out = [created, ok, failed, retrans, f"{rate:.1f}"]
    for key in rtds:
        values = sorted(times[key])
        out += [fmt_ms(percentile(values, 50)), fmt_ms(percentile(values, 99))]
    return " ".join(str(v) for v in out)


def step(stat_path, rtt_path, rtds=("challenge", "register")):
    times = {name: [] for name in rtds}
    _rtt_samples(rtt_path, times)
    print(_step_line(_stat_totals(stat_path), times, rtds))


def steps(rtds, dirs):
    """step's line for the SIPp processes of one step run side by side (lib.sh bench_sipps), each in its
    own directory with its stat.csv and *_rtt.csv: calls, failures, retransmissions and achieved rates
    summed, the percentiles over every process's samples together. A process without statistics makes
    the line NOSTATS (the step cannot be judged on part of its load)."""
    totals = [0, 0, 0, 0, 0.0]
    times = {name: [] for name in rtds}
    for d in dirs:
        try:
            part = _stat_totals(f"{d}/stat.csv")
        except (FileNotFoundError, IndexError, KeyError, ValueError):
            print("NOSTATS")
            return
        totals = [a + b for a, b in zip(totals, part)]
        for rtt in sorted(glob.glob(f"{d}/*_rtt.csv"))[:1]:
            _rtt_samples(rtt, times)
    print(_step_line(totals, times, rtds))


def _wall(sec, usec):
    return float(sec) + float(usec) / 1e6


def fanout(watch_log, offset, pub_log, watchers):
    """One fan-out run: the publisher's log ("publish N SEC USEC" before each PUBLISH, "published N SEC
    USEC" at its 200) and the watchers' log from byte OFFSET on ("notify |change N| CALL-ID CSEQ SEC
    USEC"). Prints key=value pairs:
      changes    PUBLISHes of this run (each a new state)
      notifies   distinct NOTIFYs (Call-ID and CSeq) carrying one of them
      repeated   NOTIFYs logged again (retransmissions that reached the watcher)
      unseen     (watcher, change) pairs no NOTIFY carried: a notifier may skip a state that was already
                 replaced when it built the NOTIFY, so this is not a loss by itself
      stale      watchers whose last NOTIFY (highest CSeq) of the run did not carry its last change: left
                 with an older state, e.g. when NOTIFYs were built in another order than the changes
      lost       watchers that no NOTIFY of the run's last change reached
      stray      NOTIFYs with a change this run did not publish
      seconds    first PUBLISH sent -> last NOTIFY received; rate = notifies / seconds
      ok_*, first_*, last_*  ms, p50 and max over the changes: PUBLISH sent -> its 200, -> the first and
                 the last NOTIFY carrying it at any watcher"""
    sent, answered = {}, {}
    with open(pub_log, errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4 and parts[0] in ("publish", "published"):
                n = int(float(parts[1]))
                (sent if parts[0] == "publish" else answered)[n] = _wall(parts[2], parts[3])
    pattern = re.compile(r"^notify \|change (\d+)\| (\S+) (\S+) (\S+) (\S+)")
    notifies, pairs, latest = {}, {}, {}
    lines = stray = 0
    with open(watch_log, "rb") as f:
        f.seek(offset)
        for raw in f:
            m = pattern.match(raw.decode(errors="replace"))
            if not m:
                continue
            n, call, cseq, t = int(m.group(1)), m.group(2), m.group(3), _wall(m.group(4), m.group(5))
            if n not in sent:
                stray += 1
                continue
            lines += 1
            notifies.setdefault((call, cseq), t)
            pairs[(call, n)] = min(t, pairs.get((call, n), t))
            if call not in latest or int(float(cseq)) > latest[call][0]:
                latest[call] = (int(float(cseq)), n)
    final = max(sent) if sent else -1
    first, last = {}, {}
    for (call, n), t in pairs.items():
        first[n] = min(t, first.get(n, t))
        last[n] = max(t, last.get(n, t))
    ms = lambda values: sorted(v * 1000 for v in values)
    ok = ms(answered[n] - sent[n] for n in sent if n in answered)
    to_first = ms(first[n] - sent[n] for n in first)
    to_last = ms(last[n] - sent[n] for n in last)
    end = max(notifies.values()) if notifies else 0.0
    seconds = (end - min(sent.values())) if notifies else 0.0
    out = {
        "changes": len(sent), "notifies": len(notifies), "repeated": lines - len(notifies),
        "unseen": watchers * len(sent) - len(pairs),
        "stale": watchers - sum(1 for c in latest.values() if c[1] == final),
        "lost": watchers - sum(1 for (call, n) in pairs if n == final), "stray": stray,
        "seconds": f"{seconds:.3f}", "rate": f"{len(notifies) / seconds:.0f}" if seconds > 0 else "0",
    }
    for name, values in (("ok", ok), ("first", to_first), ("last", to_last)):
        out[name + "_p50"] = f"{percentile(values, 50):.0f}" if values else "n/a"
        out[name + "_max"] = f"{values[-1]:.0f}" if values else "n/a"
    print(" ".join(f"{k}={v}" for k, v in out.items()))


def _histogram(path):
    """class name -> (instances, bytes) from a jcmd GC.class_histogram output."""
    rows = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
            if m:
                rows[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return rows


def histo_diff(before_path, after_path, count, top=15):
    before, after = _histogram(before_path), _histogram(after_path)
    grown = []
    for name, (n, b) in after.items():
        n0, b0 = before.get(name, (0, 0))
        grown.append((b - b0, n - n0, name))
    grown.sort(reverse=True)
    total = sum(d for d, _, _ in grown)
    print(f"   {'bytes/sub':>9} {'objs/sub':>8}  class (live heap grown between the two readings, {count} subscriptions)")
    for d, n, name in grown[:top]:
        print(f"   {d / count:9.1f} {n / count:8.2f}  {name}")
    print(f"   {total / count:9.1f} {'':8}  all classes")


if __name__ == "__main__":
    if len(sys.argv) >= 7 and sys.argv[1] == "users":
        users(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6],
              int(sys.argv[7]) if len(sys.argv) > 7 else 8)
    elif len(sys.argv) >= 7 and sys.argv[1] == "xcap-put":
        xcap_put(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6],
                 int(sys.argv[7]) if len(sys.argv) > 7 else 8)
    elif len(sys.argv) == 6 and sys.argv[1] == "fanout":
        fanout(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
    elif len(sys.argv) >= 5 and sys.argv[1] == "histo-diff":
        histo_diff(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]) if len(sys.argv) > 5 else 15)
    elif len(sys.argv) >= 4 and sys.argv[1] == "steps":
        steps(tuple(sys.argv[2].split()), sys.argv[3:])
    elif len(sys.argv) >= 4 and sys.argv[1] == "step":
        step(sys.argv[2], sys.argv[3], *([tuple(sys.argv[4:])] if len(sys.argv) > 4 else []))
    else:
        sys.exit(__doc__)
