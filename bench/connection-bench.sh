#!/usr/bin/env bash
# Connection benchmark: many registered TCP and WebSocket clients with keep-alives, memory per
# connection, and a MESSAGE between two of them while they are all connected. See bench/README.md.
set -euo pipefail
BENCH_NAME=connection-bench
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONNECTIONS=19000
WS_SHARE=10
PER_PROCESS=4750
SOURCES=4
RATE=400
KEEPALIVE=30
PROBES=1000
PROBE_RATE=50
PORT_BASE=36060
HOLD=20
HEAP=1g
KEEP=0
NO_BUILD=0
RESULTS_DIR="$BENCH_ROOT/bench/results"
WRITE_RESULTS=1

usage() {
  cat <<EOF
Usage: bench/connection-bench.sh [options]

Registers --connections users, each on a connection of its own (TCP, and --ws-share % over WebSocket),
from --sources source addresses 127.0.0.2.. and client processes of at most --per-process connections
each (a process may hold 20,000 descriptors here), every client sending a keep-alive every --keepalive
seconds (RFC 5626 CRLF over TCP, WebSocket pings). Then: the server's connections, RSS and heap after a
full GC, per connection; --probes MESSAGEs at --probe-rate/s from the first client to the second
(trusted flow, relayed over the second's connection, answered 200 by it), p50/p99/max, while every
connection stays up for --hold more seconds. Report in bench/results/connections-<date>-<time>.txt.

Options (defaults in brackets):
  --connections N     clients, one connection each                         [$CONNECTIONS]
  --ws-share P        percent of them over WebSocket (RFC 7118)            [$WS_SHARE]
  --per-process N     connections per client process (< 20,000 descriptors) [$PER_PROCESS]
  --sources N         source addresses 127.0.0.2 ... used round robin      [$SOURCES]
  --rate R            new connections + registrations per second, per process [$RATE]
  --keepalive S       keep-alive interval per connection                   [$KEEPALIVE]
  --probes N          MESSAGEs sent between two connected clients          [$PROBES]
  --probe-rate R      their rate per second                                [$PROBE_RATE]
  --hold S            seconds everything stays connected after the probe   [$HOLD]
  --heap SIZE         the server's fixed heap (-Xms = -Xmx), so that RSS says what it holds [$HEAP]
  --port-base P       SIP P (TCP), WS P+6, HTTP P+20                        [$PORT_BASE]
  --no-build          run the last build (server/target)
  --results-dir DIR | --no-results | --keep | -h
Needs python3, ss, and what ./parley needs. The server runs with sip.fd-reserve=256 and no per-address
cap so that it may hold about 19,500 connections under the 20,000-descriptor limit.
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --connections) CONNECTIONS=$2; shift 2 ;;
    --ws-share) WS_SHARE=$2; shift 2 ;;
    --per-process) PER_PROCESS=$2; shift 2 ;;
    --sources) SOURCES=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --keepalive) KEEPALIVE=$2; shift 2 ;;
    --probes) PROBES=$2; shift 2 ;;
    --probe-rate) PROBE_RATE=$2; shift 2 ;;
    --hold) HOLD=$2; shift 2 ;;
    --heap) HEAP=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --no-build) NO_BUILD=1; shift ;;
    --results-dir) RESULTS_DIR=$2; shift 2 ;;
    --no-results) WRITE_RESULTS=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
for v in CONNECTIONS WS_SHARE PER_PROCESS SOURCES RATE PROBES HOLD PORT_BASE; do is_int "${!v}" || die "--${v,,} must be a number"; done
[[ $PER_PROCESS -lt 19900 ]] || die "--per-process must stay below the 20,000 descriptors of one process"
[[ $CONNECTIONS -ge 2 ]] || die "--connections must be at least 2"
bench_need_tools python3 ss curl
[[ $NO_BUILD -eq 1 ]] && bench_find_java
bench_check_ports "$PORT_BASE" $((PORT_BASE + 6)) $((PORT_BASE + 20))
bench_init parley-conn-bench
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

export PARLEY_SIP_FD_RESERVE=256 PARLEY_SIP_MAX_CONNECTIONS_PER_ADDRESS=100000
export PARLEY_SIP_IDLE_SECONDS=600
# the probe is one sender's 1000 messages in 20 s: the per-sender limits must not shape it
export PARLEY_MESSAGING_MESSAGES_PER_MINUTE=0 PARLEY_MESSAGING_MESSAGES_PER_DAY=0 PARLEY_MESSAGING_BYTES_PER_DAY=0
log "starting Parley (SIP $PORT_BASE, WS $((PORT_BASE + 6)), HTTP $((PORT_BASE + 20)))"
# a fixed heap: with default sizing (a quarter of RAM) RSS mostly says how far the heap grew before a collection
JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:-} -Xms$HEAP -Xmx$HEAP" bench_start_server "$WORK/data" "$WORK/server.log" "$PORT_BASE"
BENCH_JAVA_VERSION="$("/proc/$SERVER_PID/exe" -version 2>&1 | grep -v JAVA_TOOL_OPTIONS | head -n1 || echo '?')"
FD_LIMIT="$(awk '/Max open files/ {print $4}' "/proc/$SERVER_PID/limits")"
log "creating $CONNECTIONS users"
bench_create_users "$CONNECTIONS" conn "$WORK/users.csv"
sleep 2
HEAP0="$(jvm_heap_used_kb)"; RSS0="$(rss_kb)"; FDS0="$(ls "/proc/$SERVER_PID/fd" | wc -l)"
CPU0="$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")"
log "baseline: heap $HEAP0 KiB, RSS $RSS0 KiB, $FDS0 descriptors; connecting $CONNECTIONS clients"

WS_COUNT=$(( CONNECTIONS * WS_SHARE / 100 ))
TCP_COUNT=$(( CONNECTIONS - WS_COUNT ))
# the probe: the first two registered clients of the first process, one connection to another
first=1; proc=0; CLIENT_LOGS=()
start_clients() {   # transport count
  local transport=$1 left=$2 n src port
  port=$PORT_BASE; [[ $transport == ws ]] && port=$((PORT_BASE + 6))
  while [[ $left -gt 0 ]]; do
    n=$(( left < PER_PROCESS ? left : PER_PROCESS ))
    src="127.0.0.$(( 2 + proc % SOURCES ))"
    local extra=()
    [[ $proc -eq 0 ]] && extra=(--probe --probe-count "$PROBES" --probe-rate "$PROBE_RATE")
    setsid python3 "$BENCH_LIB_DIR/conn_clients.py" --server "127.0.0.1:$port" --source "$src" --transport "$transport" \
      --first "$first" --count "$n" --rate "$RATE" --keepalive "$KEEPALIVE" "${extra[@]}" \
      >"$WORK/clients-$proc.log" 2>"$WORK/clients-$proc.err" &
    bench_track_group $!
    CLIENT_LOGS+=("$WORK/clients-$proc.log")
    first=$((first + n)); left=$((left - n)); proc=$((proc + 1))
  done
}
STARTED=$SECONDS
start_clients tcp "$TCP_COUNT"
start_clients ws "$WS_COUNT"

sum_field() {   # field: the last status line of every client process, summed
  local f total=0 v
  for f in "${CLIENT_LOGS[@]}"; do
    v="$(grep -v probe "$f" 2>/dev/null | tail -n1 | python3 -c "import json,sys; l=sys.stdin.read().strip(); print(json.loads(l)['$1'] if l else 0)")"
    total=$((total + v))
  done
  echo "$total"
}
deadline=$((SECONDS + CONNECTIONS / (RATE > 0 ? RATE : 1) + 180))
while :; do
  reg="$(sum_field registered)"; failed="$(sum_field failed)"
  [[ $((reg + failed)) -ge $CONNECTIONS ]] && break
  [[ $SECONDS -lt $deadline ]] || { log "timed out with $reg registered, $failed failed"; break; }
  log "registered $reg, failed $failed of $CONNECTIONS; server holds $(ss -Htn state established "sport = :$PORT_BASE or sport = :$((PORT_BASE + 6))" | wc -l) connections"
  sleep 5
done
REG_SECONDS=$((SECONDS - STARTED))
log "all clients started; waiting for the probe"
deadline=$((SECONDS + PROBES / (PROBE_RATE > 0 ? PROBE_RATE : 1) + 120))
until grep -q probe "${CLIENT_LOGS[0]}" 2>/dev/null; do
  [[ $SECONDS -lt $deadline ]] || break
  sleep 2
done
PROBE="$(grep -m1 probe "${CLIENT_LOGS[0]}" || echo '{"probe": {}}')"
sleep "$HOLD"
CONNECTED="$(ss -Htn state established "sport = :$PORT_BASE or sport = :$((PORT_BASE + 6))" | wc -l)"
CPU1="$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")"; ELAPSED=$((SECONDS - STARTED))
RSS1="$(rss_kb)"; FDS1="$(ls "/proc/$SERVER_PID/fd" | wc -l)"; HEAP1="$(jvm_heap_used_kb)"
REG="$(sum_field registered)"; FAILED="$(sum_field failed)"; STILL="$(sum_field connected)"
ERRORS="$(cat "$WORK"/clients-*.err 2>/dev/null | sort | uniq -c | sort -rn | head -n 5)"

report() {
  echo "Parley connection benchmark, $(date -u '+%Y-%m-%d %H:%M:%S') UTC"
  echo "commit:    $(bench_commit)"
  echo "java:      ${BENCH_JAVA_VERSION:-?}"
  echo "host:      $NPROC CPUs, load average before: $LOAD_BEFORE; server descriptor limit $FD_LIMIT"
  echo "clients:   $CONNECTIONS ($TCP_COUNT TCP, $WS_COUNT WebSocket) in $proc processes from $SOURCES source addresses,"
  echo "           server heap fixed at $HEAP (-Xms = -Xmx; RSS includes all of it once touched)"
  echo "           keep-alive every ${KEEPALIVE}s, registration (401 + MD5 digest) at up to $RATE/s per process"
  echo
  echo "registered: $REG, failed: $FAILED, still connected (clients' view): $STILL, in ${REG_SECONDS}s"
  echo "server:    $CONNECTED established SIP connections, $FDS1 descriptors (before: $FDS0)"
  awk -v h0="$HEAP0" -v h1="$HEAP1" -v r0="$RSS0" -v r1="$RSS1" -v n="$CONNECTED" 'BEGIN {
    if (n < 1) n = 1
    printf "heap after full GC: %d KiB -> %d KiB: %.1f KiB per connection\n", h0, h1, (h1 - h0) / n
    printf "RSS:                %d KiB -> %d KiB: %.1f KiB per connection\n", r0, r1, (r1 - r0) / n }'
  awk -v c0="$CPU0" -v c1="$CPU1" -v t="$ELAPSED" -v hz="$CLK_TCK" 'BEGIN {
    printf "server CPU while connecting, probing and holding: %.0f %% of one CPU over %d s\n", (c1 - c0) / hz * 100 / (t ? t : 1), t }'
  python3 - "$PROBE" <<'PY'
import json, sys
p = json.loads(sys.argv[1]).get("probe", {})
print("MESSAGE between two connected clients (trusted TCP flow -> relay -> 200): "
      + (f"{p['from']} -> {p['to']}: {p['ok']}/{p['sent']} answered 200 (others: {p.get('other') or 'none'}), p50 {p['p50_ms']} ms, p99 {p['p99_ms']} ms, max {p['max_ms']} ms"
         if p else "no result (the probe did not finish)"))
PY
  if [[ -n "$ERRORS" ]]; then echo; echo "client errors (most frequent):"; echo "$ERRORS"; fi
  echo
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
}
REPORT="$(report)"
echo "$REPORT"
if [[ $WRITE_RESULTS -eq 1 ]]; then
  mkdir -p "$RESULTS_DIR"
  out="$RESULTS_DIR/connections-$(date -u +%Y%m%d-%H%M%S).txt"
  echo "$REPORT" >"$out"
  log "report written to $out"
fi
