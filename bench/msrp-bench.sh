#!/usr/bin/env bash
# MSRP benchmark (issue 10): Parley's MSRP relay beside Kamailio 5.6's msrp module in the same run, and
# Parley's session set-up and memory per open session.
#   1. relay throughput: messages/s and MiB/s through the relay, 1 KiB and 64 KiB messages, 1 and 1,000
#      concurrent sessions, each session two authenticated relay connections (RFC 4976 §5) with one
#      sender flooding the other; Parley, then Kamailio (bench/kamailio-msrp.cfg);
#   2. memory per open idle session (two connections and their AUTH grants) in each relay;
#   3. session set-up with Parley as the MSRP end (deferred delivery): INVITE -> 407 -> INVITE -> 200 -> ACK,
#      MSRP connect and a first SEND -> 200 (stored), BYE -> 200; then between two clients of the load tool
#      through the proxy and the relay (both AUTH to the relay, the first SEND crosses it).
# The load comes from bench/msrp/MsrpLoad.java (run from source). Loopback only; it reports, never asserts.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_NAME=msrp-bench
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

SESSIONS="1 1000"
SIZES="1024 65536"
CHUNK=8192
WARMUP_SECONDS=5
STEP_SECONDS=10
IDLE_SESSIONS=1000
SETUP_SESSIONS=2000
SETUP_CONCURRENCY=20
SETUP_TARGETS=100
PORT_BASE=36060
KAMAILIO_CHILDREN=2
KAMAILIO=auto
KEEP=0
NO_BUILD=0
WRITE_RESULTS=1
RESULTS_DIR="$BENCH_DIR/results"
START_TIMEOUT=300
JFR=0

usage() {
  cat <<EOF
Usage: bench/msrp-bench.sh [options]

MSRP (RFC 4975/4976) benchmark on 127.0.0.1, TCP without TLS (both relays alike):
 throughput  for each of --sessions and --sizes: that many sessions, each two connections that AUTH to the
             relay with MD5 digest; one sends messages of that size (chunks of at most --chunk bytes,
             Success-Report and Failure-Report "no") to the other's Use-Path URI as fast as TCP takes
             them, for --step-seconds after --warmup-seconds; messages and MiB received whole per second.
             Against Parley's relay, then Kamailio 5.6's msrp module (bench/kamailio-msrp.cfg).
 memory      --idle-sessions such sessions opened and left idle: heap after a full GC plus native memory
             outside the heap (NMT "Other": Netty's direct buffers) for Parley, proportional set size for
             Kamailio, before and after (median of three samples each), per session.
 setup       --setup-sessions deferred sessions with Parley, --setup-concurrency at a time, to
             --setup-targets users who are offline: INVITE (407, digest) -> 200 -> ACK, MSRP connect to
             Parley's endpoint and a first SEND -> 200 (the message is stored), BYE -> 200. Then as many
             sessions to those users registered by the load tool (callees that AUTH to the relay and answer
             with their relay path): relay AUTH, INVITE -> 200 -> ACK, first SEND through the relay, BYE.
Prints a report and writes it to bench/results/msrp-<date>-<time>.txt.

Options (defaults in brackets):
  --sessions "N ..."       concurrent sessions per throughput step   [$SESSIONS]
  --sizes "B ..."          message sizes in bytes                    [$SIZES]
  --chunk B                largest chunk body                        [$CHUNK]
  --warmup-seconds S       unreported start of each step             [$WARMUP_SECONDS]
  --step-seconds S         measured part of each step                [$STEP_SECONDS]
  --idle-sessions N        sessions held open for the memory figure  [$IDLE_SESSIONS]
  --setup-sessions N       deferred sessions set up and torn down    [$SETUP_SESSIONS]
  --setup-concurrency C    of them at a time                         [$SETUP_CONCURRENCY]
  --setup-targets K        offline users they go to                  [$SETUP_TARGETS]
  --port-base P            Parley SIP P (HTTP P+20 ...), MSRP relay P+30, endpoint P+33, Kamailio P+60 [$PORT_BASE]
  --kamailio-children N    Kamailio's TCP worker processes           [$KAMAILIO_CHILDREN]
  --no-kamailio            skip Kamailio
  --jfr                    record each Parley throughput step with JFR (settings=profile) and write the
                           summaries (bench/jfr-summary.py) next to the result as msrp-<date>-<time>.jfr.txt
  --results-dir DIR        where the result file goes                [bench/results]
  --no-results             do not write a result file
  --keep                   keep the temporary directory (logs, Kamailio config)
  --no-build               run the last build (server/target) instead of ./parley start
  -h, --help               this text

Needs: a JDK 21+ (java runs MsrpLoad.java from source), curl, ss, python3, and what ./parley needs;
optional: kamailio with its msrp module (Debian package kamailio).
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --sessions) SESSIONS="$2"; shift 2 ;;
    --sizes) SIZES="$2"; shift 2 ;;
    --chunk) CHUNK="$2"; shift 2 ;;
    --warmup-seconds) WARMUP_SECONDS="$2"; shift 2 ;;
    --step-seconds) STEP_SECONDS="$2"; shift 2 ;;
    --idle-sessions) IDLE_SESSIONS="$2"; shift 2 ;;
    --setup-sessions) SETUP_SESSIONS="$2"; shift 2 ;;
    --setup-concurrency) SETUP_CONCURRENCY="$2"; shift 2 ;;
    --setup-targets) SETUP_TARGETS="$2"; shift 2 ;;
    --port-base) PORT_BASE="$2"; shift 2 ;;
    --kamailio-children) KAMAILIO_CHILDREN="$2"; shift 2 ;;
    --no-kamailio) KAMAILIO=no; shift ;;
    --jfr) JFR=1; shift ;;
    --results-dir) RESULTS_DIR="$2"; shift 2 ;;
    --no-results) WRITE_RESULTS=0; shift ;;
    --keep) KEEP=1; shift ;;
    --no-build) NO_BUILD=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "msrp-bench: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for v in $SESSIONS $SIZES "$CHUNK" "$WARMUP_SECONDS" "$STEP_SECONDS" "$IDLE_SESSIONS" "$SETUP_SESSIONS" \
         "$SETUP_CONCURRENCY" "$SETUP_TARGETS" "$PORT_BASE" "$KAMAILIO_CHILDREN"; do
  is_int "$v" || die "not a whole number: '$v'"
done
bench_need_tools curl ss python3

SIP_PORT=$PORT_BASE
RELAY_PORT=$((PORT_BASE + 30))
ENDPOINT_PORT=$((PORT_BASE + 33))
KAM_PORT=$((PORT_BASE + 60))
bench_check_ports $SIP_PORT $((SIP_PORT + 1)) $((SIP_PORT + 6)) $((SIP_PORT + 20)) $((SIP_PORT + 21)) \
  $((SIP_PORT + 22)) $RELAY_PORT $((RELAY_PORT + 1)) $((RELAY_PORT + 2)) $ENDPOINT_PORT $((ENDPOINT_PORT + 1)) \
  $((ENDPOINT_PORT + 2)) $KAM_PORT

JAVA=""
bench_find_load_java
if [[ "$NO_BUILD" -eq 1 ]]; then bench_find_java; fi

bench_init parley-msrp-bench
REPORT="$WORK/report.txt"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
USER_NAME=msrpbench
PASSWORD="pw-$USER_NAME"

load() { "$LOAD_JAVA" -Xss512k -cp "$WORK/load" MsrpLoad "$@"; }
"$(dirname "$LOAD_JAVA")/javac" -d "$WORK/load" "$BENCH_DIR/msrp/MsrpLoad.java"

# throughput_steps NAME PORT PIDS_CMD PATH_FORM: one line per step into $WORK/throughput.tsv
throughput_steps() {
  local name=$1 port=$2 form=$4 n size chunk warm line s0 s1 hb0 ht0 hb1 ht1 cpu host
  for n in $SESSIONS; do
    for size in $SIZES; do
      chunk=$CHUNK; [[ $size -lt $chunk ]] && chunk=$size
      # many sessions take longer to get going (connections, JIT, buffers): a longer warm-up for them
      warm=$WARMUP_SECONDS; [[ $n -ge 100 ]] && warm=$((WARMUP_SECONDS * 2))
      [[ "$name" == parley && "$JFR" -eq 1 ]] && bench_jfr_start
      s0=$(proc_ticks $(eval "$3")); read -r hb0 ht0 < <(host_ticks)
      line="$(load throughput 127.0.0.1 "$port" "$USER_NAME" "$PASSWORD" "$n" "$size" "$chunk" \
              "$warm" "$STEP_SECONDS" "$form" 2>"$WORK/$name-$n-$size.err" || echo "failed")"
      s1=$(proc_ticks $(eval "$3")); read -r hb1 ht1 < <(host_ticks)
      [[ "$name" == parley && "$JFR" -eq 1 ]] && bench_jfr_stop "Parley relay, $n sessions x $size bytes"
      cpu=$(awk -v d=$((s1 - s0)) -v t="$(( (ht1 - ht0) / NPROC ))" 'BEGIN {printf "%.0f", t ? d * 100 / t : 0}')
      host=$(awk -v b=$((hb1 - hb0)) -v t="$(( (ht1 - ht0) / NPROC ))" 'BEGIN {printf "%.0f", t ? b * 100 / t : 0}')
      log "$name sessions=$n size=$size: $line (cpu ${cpu}%, host ${host}%)"
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$n" "$size" "$line" "$cpu" "$host" >>"$WORK/throughput.tsv"
    done
  done
}

# parley_memory_kb: the server's memory in use in KiB: Java heap after a full GC plus what the JVM
# has malloc'd outside it (NMT "Other": Netty's direct buffers, pooled or not, and the JDK's direct
# ByteBuffers); the median of three samples, a second apart, each after its own GC.
parley_memory_kb() {
  local i samples=()
  for i in 1 2 3; do
    samples+=("$(( $(jvm_heap_used_kb) + $(native_other_kb) ))")
    sleep 1
  done
  printf '%s\n' "${samples[@]}" | sort -n | sed -n 2p
}
native_other_kb() {
  "$(dirname "$(readlink -f "/proc/$SERVER_PID/exe")")/jcmd" "$SERVER_PID" VM.native_memory summary 2>/dev/null \
    | sed -n 's/^-  *Other (reserved=[0-9]*KB, committed=\([0-9]*\)KB)/\1/p' | head -n1 | grep . || echo 0
}
# kamailio_memory_kb: proportional set size of Kamailio's processes, the median of three samples
kamailio_memory_kb() {
  local i samples=()
  for i in 1 2 3; do samples+=("$(kamailio_pss_kb)"); sleep 1; done
  printf '%s\n' "${samples[@]}" | sort -n | sed -n 2p
}

field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }

# idle_memory NAME PORT MEASURE_CMD: opens IDLE_SESSIONS sessions, measures before and after (KiB)
idle_memory() {
  local name=$1 port=$2 before after fifo
  before="$(eval "$3")"
  fifo="$WORK/idle-$name.fifo"; mkfifo "$fifo"
  load idle 127.0.0.1 "$port" "$USER_NAME" "$PASSWORD" "$IDLE_SESSIONS" <"$fifo" >"$WORK/idle-$name.out" 2>&1 &
  local pid=$!
  exec 9>"$fifo"
  local deadline=$((SECONDS + 300))
  until grep -q ready "$WORK/idle-$name.out" 2>/dev/null || [[ $SECONDS -ge $deadline ]]; do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  sleep 2
  after="$(eval "$3")"
  exec 9>&-
  wait "$pid" 2>/dev/null || true
  echo "$name $before $after $(grep -o 'sessions=[0-9]*' "$WORK/idle-$name.out" || echo 'sessions=0')" >>"$WORK/idle.txt"
  log "$name idle: $before KiB before, $after KiB with $(cat "$WORK/idle-$name.out" | tail -n1)"
}

# ---- Parley ----------------------------------------------------------------------------------------
export PARLEY_MSRP_TCP_PORT=$RELAY_PORT PARLEY_MSRP_TLS_PORT=$((RELAY_PORT + 1)) PARLEY_MSRP_WSS_PORT=$((RELAY_PORT + 2))
export PARLEY_MSRP_ENDPOINT_TCP_PORT=$ENDPOINT_PORT PARLEY_MSRP_ENDPOINT_TLS_PORT=$((ENDPOINT_PORT + 1))
export PARLEY_MSRP_ENDPOINT_WSS_PORT=$((ENDPOINT_PORT + 2))
export PARLEY_MESSAGING_OFFLINE_MAX_MESSAGES=1000000 PARLEY_MESSAGING_OFFLINE_MAX_BYTES=10000000000
# the library raises the per-address limits out of the way; the per-source one must not be below them
export PARLEY_AUTH_SOURCE_FAILURES_BEFORE_BLOCK=1000000000 PARLEY_AUTH_ACCOUNT_FAILURES_BEFORE_SLOW=1000000000
log "starting Parley"
# native memory tracking: the memory figure counts Netty's direct buffers too (NMT "Other")
JAVA_TOOL_OPTIONS="-XX:NativeMemoryTracking=summary" bench_start_server "$WORK/parley-data" "$WORK/parley.log" "$SIP_PORT"
bench_note_java
curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$USER_NAME\",\"password\":\"$PASSWORD\"}" "http://127.0.0.1:$HTTP_PORT/admin/v1/users" >/dev/null
bench_create_users "$SETUP_TARGETS" tgt "$WORK/targets.csv"
: >"$WORK/throughput.tsv"; : >"$WORK/idle.txt"

throughput_steps parley "$RELAY_PORT" 'echo $SERVER_PID' full
idle_memory parley "$RELAY_PORT" 'parley_memory_kb'
SETUP_LINE="$(load setup "$SIP_PORT" "$USER_NAME" "$PASSWORD" tgt "$SETUP_TARGETS" "$SETUP_SESSIONS" \
              "$SETUP_CONCURRENCY" 2>"$WORK/setup.err" || echo failed)"
log "setup: $SETUP_LINE"
# after the deferred sessions: the callees register here, and would then no longer be offline
RELAY_SETUP_LINE="$(load relay-setup "$SIP_PORT" "$RELAY_PORT" "$USER_NAME" "$PASSWORD" tgt "$SETUP_TARGETS" \
                    "$SETUP_SESSIONS" "$SETUP_CONCURRENCY" 2>"$WORK/relay-setup.err" || echo failed)"
log "relay setup: $RELAY_SETUP_LINE"
bench_stop_server

# ---- Kamailio ----------------------------------------------------------------------------------------
KAM_NOTE="not run (--no-kamailio)"
if [[ "$KAMAILIO" != no ]]; then
  if ! command -v kamailio >/dev/null 2>&1; then
    KAM_NOTE="not installed (Debian package kamailio)"
  else
    sed -e "s/LISTEN_PORT/$KAM_PORT/g; s/CHILDREN/$KAMAILIO_CHILDREN/g; s/AUTH_SECRET/$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')/" \
      "$BENCH_DIR/kamailio-msrp.cfg" >"$WORK/kamailio-msrp.cfg"
    if bench_kamailio_start "$WORK/kamailio-msrp.cfg" "$KAM_PORT" "$WORK/kamailio.log" 512; then
      KAM_NOTE="$KAM_VERSION, $KAMAILIO_CHILDREN TCP workers"
      throughput_steps kamailio "$KAM_PORT" 'kamailio_pids' short
      idle_memory kamailio "$KAM_PORT" 'kamailio_memory_kb'
      bench_kamailio_stop
    else
      KAM_NOTE="failed to start (see the log with --keep)"
    fi
  fi
fi

# ---- report -----------------------------------------------------------------------------------------
{
  echo "MSRP benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(bench_commit)"
  echo "host: $NPROC CPUs, load average before: $LOAD_BEFORE; Parley on ${BENCH_JAVA_VERSION:-?}; Kamailio: $KAM_NOTE"
  echo "TCP on loopback, MD5 digest AUTH; chunks of at most $CHUNK bytes (Kamailio 5.6's msrp module refuses"
  echo "larger frames: 16 KiB chunks get 501, 32 KiB ones overrun its TCP read buffer); ${WARMUP_SECONDS} s warm-up (twice that from 100 sessions) + ${STEP_SECONDS} s measured"
  echo "all sessions of a step AUTH before its warm-up, which runs on (up to 4x) until every one has delivered a message"
  echo "To-Path: Parley gets RFC 4976 section 6.1's (sender's relay URI, receiver's, receiver), which it insists on;"
  echo "Kamailio the receiver's relay URI and the receiver (its msrp module finds the receiver by the first URI)"
  echo
  echo "1. Relay throughput (received whole by the far end; cpu = the relay's processes, host = whole machine, 100 % = one CPU)"
  echo "   (flowed = sessions that delivered a message in the measured part / sessions established before the warm-up)"
  echo "   (latency: a message flushed by its sender to received whole, ms: p50 and p99 over every message of the"
  echo "   measured part, and the median of the session whose median is worst; errors = window stalls + refusals;"
  echo "   client = the load client's own CPU over the measured part, and per message received)"
  printf '%-9s %8s %8s | %11s %7s | %10s %9s %7s | %8s %8s %8s | %5s %5s | %6s %9s\n' relay sessions size flowed \
    warm-up msg/s MiB/s errors p50 p99 worst cpu host client 'client/msg'
  while IFS=$'\t' read -r name n size line cpu host; do
    printf '%-9s %8s %8s | %11s %6ss | %10s %9s %7s | %8s %8s %8s | %4s%% %4s%% | %5s%% %7s us\n' "$name" "$n" "$size" \
      "$(field flowed "$line")/$(field established "$line")" "$(field warmup_s "$line")" "$(field msg_per_s "$line")" \
      "$(field mib_per_s "$line")" "$(field errors "$line")" "$(field lat_p50_ms "$line")" "$(field lat_p99_ms "$line")" \
      "$(field worst_session_p50_ms "$line")" "$cpu" "$host" "$(field client_cpu_pct "$line")" \
      "$(field client_us_per_msg "$line")"
  done <"$WORK/throughput.tsv"
  echo
  echo "   Parley / Kamailio (messages/s):"
  for n in $SESSIONS; do
    for size in $SIZES; do
      p="$(awk -F'\t' -v n="$n" -v s="$size" '$1 == "parley" && $2 == n && $3 == s {print $4}' "$WORK/throughput.tsv")"
      k="$(awk -F'\t' -v n="$n" -v s="$size" '$1 == "kamailio" && $2 == n && $3 == s {print $4}' "$WORK/throughput.tsv")"
      pr="$(field msg_per_s "$p")"; kr="$(field msg_per_s "$k")"
      printf '   %5s sessions %6s bytes: %s\n' "$n" "$size" \
        "$(awk -v p="${pr:-0}" -v k="${kr:-0}" 'BEGIN {if (k > 0) printf "%.2fx", p / k; else print "n/a"}')"
    done
  done
  echo
  echo "2. Memory per open idle session (two authenticated relay connections)"
  while read -r name before after sessions; do
    n="${sessions#sessions=}"
    echo "   $name: $before KiB before, $after KiB with $n sessions: $(awk -v b="$before" -v a="$after" -v n="$n" \
      'BEGIN {if (n > 0 && b ~ /^[0-9]+$/ && a ~ /^[0-9]+$/) printf "%.1f KiB per session", (a - b) / n; else print "n/a"}')"
  done <"$WORK/idle.txt"
  echo "   (Parley: Java heap in use after a full GC + memory the JVM malloc'd outside it (NMT Other: Netty's direct"
  echo "   buffers); Kamailio: proportional set size of its processes; each the median of three samples)"
  echo
  echo "3. Session set-up, Parley as the MSRP end (deferred delivery; H2 store, each first message committed)"
  echo "   $SETUP_LINE"
  echo "   Session set-up between two clients through the proxy and the relay (caller and callee each AUTH to the"
  echo "   relay; INVITE 407/200/ACK; first SEND through the relay, answered by the relay and received by the callee; BYE)"
  echo "   $RELAY_SETUP_LINE"
} >"$REPORT"
bench_show_report msrp
