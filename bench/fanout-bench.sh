#!/usr/bin/env bash
# Room fan-out benchmark (issue 11): one chat room of --members members, Parley's conference focus beside
# Kamailio 5.6's imc module (pager-mode rooms, bench/kamailio-imc.cfg) in the same run.
#   1. memory per idle room (--idle-rooms one-member rooms) and per room member;
#   2. fan-out: the members register over UDP with their contacts on the load client, one member sends
#      MESSAGEs to the room (407, then with digest) at rising rates; every other member's copy is answered
#      200 at once and counted; per step: copies arrived, time from a message to its last copy (p50/p99),
#      copies/s and server CPU per copy; the ramp stops at the first step that fails.
# The load comes from bench/fanout/FanoutLoad.java (run from source). Loopback only; it reports, never asserts.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_NAME=fanout-bench
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

MEMBERS=1000
RATES="1 2 4 8 16 32 64"
WARMUP_SECONDS=3
STEP_SECONDS=10
DRAIN_SECONDS=5
IDLE_ROOMS=200
PORT_BASE=27060
KAMAILIO_CHILDREN="$BENCH_KAMAILIO_CHILDREN"   # one per CPU (lib.sh)
KAMAILIO=auto
KEEP=0
NO_BUILD=0
WRITE_RESULTS=1
RESULTS_DIR="$BENCH_DIR/results"
START_TIMEOUT=300

usage() {
  cat <<EOF
Usage: bench/fanout-bench.sh [options]

Chat room fan-out on 127.0.0.1 over UDP, Parley's rooms (sip:room_bench@groups.localhost) and Kamailio's
imc module (sip:bench@conf.localhost), each pushed up the same rate ramp:
 memory   heap after a full GC (Parley) / shared memory in use (Kamailio) before and after --idle-rooms
          one-member rooms (#create), then before and after --members members #join the bench room (not
          registered yet, so the join notices find no device): KiB per idle room and per member.
 fan-out  the members but the sender register (digest) with contacts on the load client; the sender sends
          "fanout-seq=N" to the room at each of --rates messages/s for --warmup-seconds + --step-seconds,
          each MESSAGE challenged 407 and sent again with credentials; --drain-seconds later the measured
          messages are checked: copies arrived (each member once), time to the last copy p50/p99, copies/s,
          the server's CPU per copy. A step fails when a message is refused, under 99.9 % of the copies
          arrive, or the p99 exceeds 2 s; the ramp stops there.
Prints a report and writes it to bench/results/fanout-<date>-<time>.txt.

Options (defaults in brackets):
  --members N              members of the bench room             [$MEMBERS]
  --rates "R ..."          messages/s into the room, a step each  [$RATES]
  --warmup-seconds S       unreported start of each step          [$WARMUP_SECONDS]
  --step-seconds S         measured part of each step             [$STEP_SECONDS]
  --drain-seconds S        wait for late copies after each step   [$DRAIN_SECONDS]
  --idle-rooms N           one-member rooms for the memory figure [$IDLE_ROOMS]
  --port-base P            Parley SIP P (HTTP P+20, MSRP P+30 ...), Kamailio P+60 [$PORT_BASE]
  --kamailio-children N    Kamailio's UDP worker processes, one per CPU [$KAMAILIO_CHILDREN]
  --no-kamailio            skip Kamailio
  --results-dir DIR        where the result file goes             [bench/results]
  --no-results             do not write a result file
  --keep                   keep the temporary directory (logs, Kamailio config)
  --no-build               run the last build (server/target) instead of ./parley start
  -h, --help               this text

Needs: a JDK 21+ (java runs FanoutLoad.java from source), curl, ss, python3, and what ./parley needs;
optional: kamailio with its imc and db_text modules (Debian package kamailio).
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --members) MEMBERS="$2"; shift 2 ;;
    --rates) RATES="$2"; shift 2 ;;
    --warmup-seconds) WARMUP_SECONDS="$2"; shift 2 ;;
    --step-seconds) STEP_SECONDS="$2"; shift 2 ;;
    --drain-seconds) DRAIN_SECONDS="$2"; shift 2 ;;
    --idle-rooms) IDLE_ROOMS="$2"; shift 2 ;;
    --port-base) PORT_BASE="$2"; shift 2 ;;
    --kamailio-children) KAMAILIO_CHILDREN="$2"; shift 2 ;;
    --no-kamailio) KAMAILIO=no; shift ;;
    --results-dir) RESULTS_DIR="$2"; shift 2 ;;
    --no-results) WRITE_RESULTS=0; shift ;;
    --keep) KEEP=1; shift ;;
    --no-build) NO_BUILD=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "fanout-bench: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for v in "$MEMBERS" $RATES "$WARMUP_SECONDS" "$STEP_SECONDS" "$DRAIN_SECONDS" "$IDLE_ROOMS" "$PORT_BASE" \
         "$KAMAILIO_CHILDREN"; do
  is_int "$v" || die "not a whole number: '$v'"
done
[[ "$MEMBERS" -ge 2 ]] || die "--members must be at least 2"
[[ "$IDLE_ROOMS" -le "$MEMBERS" ]] || die "--idle-rooms may not exceed --members (one creator each)"
bench_need_tools curl ss python3

SIP_PORT=$PORT_BASE
KAM_PORT=$((PORT_BASE + 60))
bench_check_ports $SIP_PORT $((SIP_PORT + 1)) $((SIP_PORT + 6)) $((SIP_PORT + 20)) $((SIP_PORT + 21)) \
  $((SIP_PORT + 22)) $((SIP_PORT + 30)) $((SIP_PORT + 31)) $((SIP_PORT + 32)) $((SIP_PORT + 33)) \
  $((SIP_PORT + 34)) $((SIP_PORT + 35)) $KAM_PORT

JAVA=""
bench_find_load_java
if [[ "$NO_BUILD" -eq 1 ]]; then bench_find_java; fi

bench_init parley-fanout-bench
REPORT="$WORK/report.txt"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
PREFIX=fan
export CLK_TCK

load() { "$LOAD_JAVA" -cp "$WORK/load" FanoutLoad "$@"; }
"$(dirname "$LOAD_JAVA")/javac" -d "$WORK/load" "$BENCH_DIR/fanout/FanoutLoad.java"

# Kamailio's shared memory in use (KiB), where imc keeps rooms and members (its ctl module's RPC)
kamailio_shm_kb() {
  kamcmd -s "unix:$WORK/kamailio-ctl.sock" core.shmmem 2>/dev/null | awk '/real_used:/ {printf "%d", $2 / 1024; f = 1} END {if (!f) print "?"}'
}

field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }

# one_server NAME PORT ROOM IDLE_TEMPLATE CREATE_COMMAND MEMORY_CMD PIDS_CMD : memory, then the ramp
one_server() {
  local name=$1 port=$2 room=$3 idle=$4 create=$5 mem=$6 pids=$7 m0 m1 m2 rooms members
  m0="$(eval "$mem")"
  rooms="$(load rooms "$port" localhost "$idle" "$PREFIX" "$IDLE_ROOMS" "$create" 2>>"$WORK/$name.err")"
  log "$name idle rooms: $rooms"
  # the creations' requests settle: Kamailio frees a transaction 5 s after its final answer, Parley keeps a
  # UDP server transaction for Timer J (64*T1 = 32 s, RFC 3261 §17.2.2) to absorb retransmissions
  sleep 35
  m1="$(eval "$mem")"
  [[ "$name" != parley ]] || jvm_histogram "$WORK/parley-histogram-before.txt"
  members="$(load join "$port" localhost "$room" "$PREFIX" "$MEMBERS" "$create" 2>>"$WORK/$name.err")"
  log "$name members: $members"
  sleep 35   # the joins' transactions end, as above (their notices found no device)
  m2="$(eval "$mem")"
  if [[ "$name" == parley ]]; then
    jvm_histogram "$WORK/parley-histogram-after.txt"
    python3 "$BENCH_DIR/bench_tools.py" histo-diff "$WORK/parley-histogram-before.txt" \
      "$WORK/parley-histogram-after.txt" "$MEMBERS" 12 >"$WORK/parley-histogram.txt" 2>/dev/null || true
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$m0" "$m1" "$m2" "$rooms" "$members" >>"$WORK/memory.tsv"
  load run "$port" localhost "$room" "$PREFIX" "$MEMBERS" "$RATES" "$WARMUP_SECONDS" "$STEP_SECONDS" \
    "$DRAIN_SECONDS" "$(eval "$pids" | tr -s ' \n' ',')" 2>>"$WORK/$name.err" \
    | while read -r line; do log "$name: $line"; printf '%s\t%s\n' "$name" "$line" >>"$WORK/steps.tsv"; done
}

: >"$WORK/memory.tsv"; : >"$WORK/steps.tsv"

# ---- Parley ----------------------------------------------------------------------------------------
export PARLEY_MESSAGING_MESSAGES_PER_MINUTE=0 PARLEY_MESSAGING_MESSAGES_PER_DAY=0
export PARLEY_MESSAGING_BYTES_PER_DAY=0 PARLEY_MESSAGING_SYSTEM_RATE_PER_SECOND=0
export PARLEY_CONFERENCE_ROOM_MAX_MEMBERS=$((MEMBERS + 10))
# MSRP is not used here; its listeners move off the defaults so that another Parley on this host does not matter
export PARLEY_MSRP_TCP_PORT=$((SIP_PORT + 30)) PARLEY_MSRP_TLS_PORT=$((SIP_PORT + 31)) PARLEY_MSRP_WSS_PORT=$((SIP_PORT + 32))
export PARLEY_MSRP_ENDPOINT_TCP_PORT=$((SIP_PORT + 33)) PARLEY_MSRP_ENDPOINT_TLS_PORT=$((SIP_PORT + 34))
export PARLEY_MSRP_ENDPOINT_WSS_PORT=$((SIP_PORT + 35)) PARLEY_MSRP_ENDPOINT_WS_PORT=
log "starting Parley"
bench_start_server "$WORK/parley-data" "$WORK/parley.log" "$SIP_PORT"
bench_note_java
bench_create_users "$MEMBERS" "$PREFIX" "$WORK/users.csv"
one_server parley "$SIP_PORT" sip:room_bench@groups.localhost 'sip:room_idle%d@groups.localhost' '#create' \
  'jvm_heap_used_kb' 'echo $SERVER_PID'
bench_stop_server

# ---- Kamailio ----------------------------------------------------------------------------------------
KAM_NOTE="not run (--no-kamailio)"
if [[ "$KAMAILIO" != no ]]; then
  if ! command -v kamailio >/dev/null 2>&1; then
    KAM_NOTE="not installed (Debian package kamailio)"
  else
    # imc's db_text tables (as in /usr/share/kamailio/dbtext/kamailio), empty: read at start, written at stop
    mkdir -p "$WORK/imc-db"
    printf 'id(int,auto) table_name(string) table_version(int) \n0:imc_rooms:1\n0:imc_members:1\n' >"$WORK/imc-db/version"
    printf 'id(int,auto) name(string) domain(string) flag(int) \n' >"$WORK/imc-db/imc_rooms"
    printf 'id(int,auto) username(string) domain(string) room(string) flag(int) \n' >"$WORK/imc-db/imc_members"
    sed -e "s/LISTEN_PORT/$KAM_PORT/g; s/CHILDREN/$KAMAILIO_CHILDREN/g; s#DB_DIR#$WORK/imc-db#;
            s#CTL_SOCKET#$WORK/kamailio-ctl.sock#; s/AUTH_SECRET/$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')/" \
      "$BENCH_DIR/kamailio-imc.cfg" >"$WORK/kamailio-imc.cfg"
    if bench_kamailio_start "$WORK/kamailio-imc.cfg" "$KAM_PORT" "$WORK/kamailio.log" 1024; then
      KAM_NOTE="$KAM_VERSION, $KAMAILIO_CHILDREN UDP workers, 1 GiB shared memory"
      one_server kamailio "$KAM_PORT" sip:bench@conf.localhost 'sip:idle%d@conf.localhost' '#create' \
        'kamailio_shm_kb' 'kamailio_pids'
      bench_kamailio_stop
    else
      KAM_NOTE="failed to start (see the log with --keep)"
    fi
  fi
fi

# ---- report -----------------------------------------------------------------------------------------
best() {   # best NAME: the line of the highest passing rate
  awk -F'\t' -v n="$1" '$1 == n && $2 ~ /verdict=pass/ {line = $2} END {print line}' "$WORK/steps.tsv"
}
{
  echo "Room fan-out benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(bench_commit)"
  echo "host: $NPROC CPUs, load average before: $LOAD_BEFORE; Parley on ${BENCH_JAVA_VERSION:-?}; Kamailio: $KAM_NOTE"
  echo "UDP on loopback; one room of $MEMBERS members ($((MEMBERS - 1)) registered receivers: the sender gets no copy);"
  echo "each message MESSAGE -> 407 -> MESSAGE with MD5 digest; ${WARMUP_SECONDS} s warm-up + ${STEP_SECONDS} s measured per step,"
  echo "${DRAIN_SECONDS} s for late copies; a step fails on a refusal, < 99.9 % of copies, or last-copy p99 > 2 s"
  echo
  echo "1. Memory (KiB; Parley: heap in use after a full GC; Kamailio: shared memory in use, kamcmd core.shmmem real_used)"
  while IFS=$'\t' read -r name m0 m1 m2 rooms members; do
    echo "   $name: $m0 -> $m1 with $IDLE_ROOMS idle rooms ($rooms) -> $m2 with the $MEMBERS-member room ($members)"
    echo "      $(awk -v a="$m0" -v b="$m1" -v c="$m2" -v r="$IDLE_ROOMS" -v m="$MEMBERS" 'BEGIN {
            if (a ~ /^[0-9]+$/ && b ~ /^[0-9]+$/ && c ~ /^[0-9]+$/) printf "%.2f KiB per idle room, %.2f KiB per member", (b - a) / r, (c - b) / m;
            else print "n/a"}')"
  done <"$WORK/memory.tsv"
  if [[ -s "$WORK/parley-histogram.txt" ]]; then
    echo "   Where Parley's bytes per member are (jcmd GC.class_histogram after the joins minus before, the largest;"
    echo "   the heap figure above also holds the database's page cache, which the joins' writes grew):"
    sed 's/^/   /' "$WORK/parley-histogram.txt"
  fi
  echo
  echo "2. Fan-out steps (rate = messages/s into the room; last = message sent -> its last copy received)"
  printf '   %-9s %6s %9s %10s %10s %8s %8s %7s %8s %s\n' server rate accepted complete copies/s p50_ms p99_ms cpu_s us/copy verdict
  while IFS=$'\t' read -r name line; do
    [[ "$line" == rate=* ]] || continue
    printf '   %-9s %6s %9s %10s %10s %8s %8s %7s %8s %s\n' "$name" "$(field rate "$line")" \
      "$(field accepted "$line")" "$(field complete "$line")/$(field messages "$line")" "$(field copies_per_s "$line")" \
      "$(field last_p50_ms "$line")" "$(field last_p99_ms "$line")" "$(field cpu_s "$line")" \
      "$(field cpu_us_per_copy "$line")" "$(field verdict "$line")"
  done <"$WORK/steps.tsv"
  echo
  pb="$(best parley)"; kb="$(best kamailio)"
  echo "3. Highest passing rate: Parley $(field rate "$pb")/s ($(field copies_per_s "$pb") copies/s, $(field cpu_us_per_copy "$pb") us CPU per copy),"
  echo "   Kamailio $(field rate "$kb")/s ($(field copies_per_s "$kb") copies/s, $(field cpu_us_per_copy "$kb") us CPU per copy)"
  echo "   Parley / Kamailio (copies/s at the highest passing rate): $(awk -v p="$(field copies_per_s "$pb")" \
       -v k="$(field copies_per_s "$kb")" 'BEGIN {if (k > 0) printf "%.2fx", p / k; else print "n/a"}')"
  for name in parley kamailio; do
    if awk -F"\t" -v n="$name" '$1 == n' "$WORK/steps.tsv" | grep -q verdict= \
       && ! awk -F"\t" -v n="$name" '$1 == n' "$WORK/steps.tsv" | grep -q verdict=FAIL; then
      echo "   ($name passed every step: its limit was not reached; raise --rates for a ratio that means something)"
    fi
  done
} >"$REPORT"
bench_show_report fanout
