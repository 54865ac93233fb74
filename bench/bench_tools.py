#!/usr/bin/env python3
"""Helpers for the bench/*.sh drivers (standard library only).

  bench_tools.py users URL TOKEN COUNT PREFIX INJECTION_FILE [THREADS]
      creates COUNT users PREFIX00001.. through the admin REST API (POST /admin/v1/users) and writes
      the SIPp injection file (user;password;domain;expires).  An existing user (409) counts as created.
  bench_tools.py step STAT_CSV RTT_CSV [RTD ...]
      prints one line "created ok failed retrans achieved_rate p50 p99 [p50 p99 ...]" from SIPp's
      -trace_stat and -trace_rtt files of one ramp step: p50/p99 of each named response-time
      distribution (rtd), by default "challenge" and "register".
"""
import csv
import http.client
import json
import sys
import threading
import time
import urllib.parse


def users(url, token, count, prefix, inf_path, threads=8, domain="localhost", expires=3600):
    parsed = urllib.parse.urlsplit(url)
    names = [f"{prefix}{i:05d}" for i in range(1, count + 1)]
    lock = threading.Lock()
    errors = []
    next_index = [0]

    def worker():
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        while True:
            with lock:
                if next_index[0] >= len(names) or len(errors) > 10:
                    break
                name = names[next_index[0]]
                next_index[0] += 1
            body = json.dumps({"username": name, "password": "pw-" + name})
            for attempt in range(3):
                try:
                    conn.request("POST", "/admin/v1/users", body=body, headers=headers)
                    resp = conn.getresponse()
                    text = resp.read()
                    if resp.status not in (201, 409):
                        with lock:
                            errors.append(f"{name}: HTTP {resp.status} {text[:200]!r}")
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
        sys.exit("user creation failed:\n  " + "\n  ".join(errors[:10]))
    with open(inf_path, "w") as f:
        f.write("SEQUENTIAL\n")
        for name in names:
            f.write(f"{name};pw-{name};{domain};{expires}\n")
    elapsed = time.monotonic() - started
    print(f"created {count} users in {elapsed:.1f} s ({count / elapsed:.0f}/s)")


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


def step(stat_path, rtt_path, rtds=("challenge", "register")):
    with open(stat_path, newline="") as f:
        rows = [r for r in csv.reader(f, delimiter=";") if r]
    header, last = rows[0], rows[-1]
    col = {name: i for i, name in enumerate(header)}

    def num(name):
        return float(last[col[name]])

    created = int(num("TotalCallCreated"))
    ok = int(num("SuccessfulCall(C)"))
    failed = int(num("FailedCall(C)"))
    retrans = int(num("Retransmissions(C)"))
    rate = num("CallRate(C)")
    times = {name: [] for name in rtds}
    try:
        with open(rtt_path) as f:
            next(f, None)
            for line in f:
                parts = line.strip().split(";")
                if len(parts) == 3 and parts[2] in times:
                    times[parts[2]].append(float(parts[1]))
    except FileNotFoundError:
        pass
    out = [created, ok, failed, retrans, f"{rate:.1f}"]
    for key in rtds:
        values = sorted(times[key])
        out += [fmt_ms(percentile(values, 50)), fmt_ms(percentile(values, 99))]
    print(" ".join(str(v) for v in out))


if __name__ == "__main__":
    if len(sys.argv) >= 7 and sys.argv[1] == "users":
        users(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6],
              int(sys.argv[7]) if len(sys.argv) > 7 else 8)
    elif len(sys.argv) >= 4 and sys.argv[1] == "step":
        step(sys.argv[2], sys.argv[3], *([tuple(sys.argv[4:])] if len(sys.argv) > 4 else []))
    else:
        sys.exit(__doc__)
