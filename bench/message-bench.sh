#!/usr/bin/env bash
# Pager-mode MESSAGE benchmark for Parley (and, where installed, Kamailio 5.6 on the same scenarios):
#   1. relay: SIPp UAC -> server -> SIPp UAS between registered users, MESSAGE -> 407 -> MESSAGE with
#      digest -> 200, ramped to the highest rate with < 0.1 % failed calls; p50/p99 and the server's RSS;
#   2. the same ramp against Kamailio as a plain registrar and relay, and the ratio Parley / Kamailio;
#   3. store-then-deliver: M messages to unregistered recipients (202, stored durably), then the
#      recipients register and every message is delivered; stored/s and delivered/s on H2 and PostgreSQL.
# Loopback only. It reports; it never asserts. Run with --help for the options.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_NAME=message-bench
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

# ---- defaults --------------------------------------------------------------------------------------
RATES="100 200 300 400 600 800 1000 1200 1600 2000 2400 3200 4000"
STEP_SECONDS=10
# The warm-up gives the JIT its profile before the first measured step: 200/s for 10 s left C2 still
# compiling into the first step at 4,000/s and a cold JVM behind at once (bench/README.md, session 11)
WARMUP_RATE=1000
WARMUP_SECONDS=30
SENDERS=1000
RECIPIENTS=100
STORE_MESSAGES=5000
STORE_CONCURRENCY=50
DELIVER_TIMEOUT=300
PORT_BASE=35060
MAX_FAIL_PERMILLE=1
MIN_ACHIEVED_PERCENT=95
RECV_TIMEOUT_MS=5000
KAMAILIO_CHILDREN="$BENCH_KAMAILIO_CHILDREN"   # one per CPU (lib.sh)
KAMAILIO_SHM=1024
SIPP_PROCESSES=1
KAMAILIO=auto                # auto: when installed; no: skip; install: apt-get install when missing (root)
POSTGRES=auto                # auto: when pg_ctl/initdb are found; no: skip
DO_RELAY=1
DO_STORE=1
KEEP=0
JFR=0
NO_BUILD=0
WRITE_RESULTS=1
RESULTS_DIR="$BENCH_DIR/results"
START_TIMEOUT=300

usage() {
  cat <<EOF
Usage: bench/message-bench.sh [options]

Pager-mode MESSAGE (RFC 3428) benchmark on 127.0.0.1, UDP:
 relay    A SIPp UAS registers --recipients users (all contacts on its one port) and answers every MESSAGE
          with 200; a SIPp UAC sends MESSAGE -> 407 -> MESSAGE with MD5 digest -> 200 from --senders
          users to those recipients, one message per call, at each rate of --rates after a warm-up,
          until a step has >= 0.1 % failed calls or reaches < ${MIN_ACHIEVED_PERCENT} % of its rate.
          Against Parley (embedded H2), then, where Kamailio is installed, against Kamailio 5.6
          (bench/kamailio-bench.cfg: registrar + usrloc in memory + digest, relay with tm).
 store    --store-messages MESSAGEs to other recipients that are not registered (202, stored), sent
          closed-loop with --store-concurrency in flight; then those recipients register and the time
          until the UAS has all of them gives delivered/s. On H2, and on a throw-away PostgreSQL
          cluster when pg_ctl and initdb are found.
Prints tables and a summary and writes them to bench/results/message-<date>-<time>.txt.

Options (defaults in brackets):
  --rates "R1 R2 ..."       relay rates to try, messages/s, ascending  [$RATES]
  --step-seconds S          length of each relay step                  [$STEP_SECONDS]
  --warmup-rate R           rate of the unreported warm-up step        [$WARMUP_RATE]
  --warmup-seconds S        length of the warm-up step, 0 = none       [$WARMUP_SECONDS]
  --senders N               sending users, cycled                      [$SENDERS]
  --recipients K            receiving users (relay; as many again for the store phase) [$RECIPIENTS]
  --store-messages M        messages stored then delivered, per database [$STORE_MESSAGES]
  --store-concurrency C     MESSAGEs in flight while storing           [$STORE_CONCURRENCY]
  --deliver-timeout S       longest wait for the deliveries            [$DELIVER_TIMEOUT]
  --port-base P             Parley SIP P (TLS P+1, WS P+6, HTTP P+20, HTTPS P+21, WSS P+22), UAS P+50,
                            Kamailio P+60, PostgreSQL P+70, relay UACs P+90.. [$PORT_BASE]
  --sipp-processes N        relay: sending SIPp processes per step, 1 to 8 (one sends at most ~12,000
                            REGISTER calls/s here): process I binds port P+90+I, cycles its own slice of
                            the senders and sends its share of the step's rate (every rate and the
                            warm-up rate must be >= N); the table sums their calls, failures,
                            retransmissions, achieved rates and CPU (sipp) and takes p50/p99 over all
                            their answers. The one UAS answers them all    [$SIPP_PROCESSES]
  --kamailio-children N     Kamailio's UDP/TCP worker processes, one per CPU [$KAMAILIO_CHILDREN]
  --kamailio-shm MIB        Kamailio's shared memory                   [$KAMAILIO_SHM]
  --no-kamailio             skip Kamailio
  --install-kamailio        apt-get install -y kamailio when it is missing (needs root)
  --no-postgres             skip the PostgreSQL store phase
  --no-relay | --no-store   skip a part
  --results-dir DIR         where the result file goes                 [bench/results]
  --no-results              do not write a result file
  --keep                    keep the temporary directory (logs, SIPp traces, Kamailio config)
  --jfr                     record each measured relay step of Parley with JFR (settings=profile; not the
                            start-up, user creation or warm-up) and write the summaries (bench/jfr-summary.py)
                            next to the result as message-<date>-<time>.jfr.txt
  --no-build                run the last build (server/target) instead of ./parley start
  -h, --help                this text

$BENCH_JVM_HELP

Needs: sipp (Debian package sip-tester, written against SIPp 3.6.1), python3, curl, ss, and what ./parley
needs. Optional: kamailio (Debian package kamailio), PostgreSQL server binaries (Debian package
postgresql). Everything listens on and talks to 127.0.0.1 only; everything started is stopped on exit.
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rates) RATES="$2"; shift 2 ;;
    --step-seconds) STEP_SECONDS="$2"; shift 2 ;;
    --warmup-rate) WARMUP_RATE="$2"; shift 2 ;;
    --warmup-seconds) WARMUP_SECONDS="$2"; shift 2 ;;
    --senders) SENDERS="$2"; shift 2 ;;
    --recipients) RECIPIENTS="$2"; shift 2 ;;
    --store-messages) STORE_MESSAGES="$2"; shift 2 ;;
    --store-concurrency) STORE_CONCURRENCY="$2"; shift 2 ;;
    --deliver-timeout) DELIVER_TIMEOUT="$2"; shift 2 ;;
    --port-base) PORT_BASE="$2"; shift 2 ;;
    --sipp-processes) SIPP_PROCESSES="$2"; shift 2 ;;
    --kamailio-children) KAMAILIO_CHILDREN="$2"; shift 2 ;;
    --kamailio-shm) KAMAILIO_SHM="$2"; shift 2 ;;
    --no-kamailio) KAMAILIO=no; shift ;;
    --install-kamailio) KAMAILIO=install; shift ;;
    --no-postgres) POSTGRES=no; shift ;;
    --no-relay) DO_RELAY=0; shift ;;
    --no-store) DO_STORE=0; shift ;;
    --results-dir) RESULTS_DIR="$2"; shift 2 ;;
    --no-results) WRITE_RESULTS=0; shift ;;
    --keep) KEEP=1; shift ;;
    --jfr) JFR=1; shift ;;
    --no-build) NO_BUILD=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "message-bench: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

for v in "$STEP_SECONDS" "$WARMUP_RATE" "$WARMUP_SECONDS" "$SENDERS" "$RECIPIENTS" "$STORE_MESSAGES" \
         "$STORE_CONCURRENCY" "$DELIVER_TIMEOUT" "$PORT_BASE" "$KAMAILIO_CHILDREN" "$KAMAILIO_SHM" "$SIPP_PROCESSES"; do
  is_int "$v" || die "not a whole number: '$v'"
done
[[ "$SIPP_PROCESSES" -ge 1 && "$SIPP_PROCESSES" -le 8 ]] || die "--sipp-processes must be between 1 and 8"
for r in $RATES; do is_int "$r" && [[ "$r" -gt 0 ]] || die "not a positive rate: '$r'"; done
for r in $RATES $WARMUP_RATE; do
  [[ "$r" -ge "$SIPP_PROCESSES" ]] || die "rate $r is below one message/s for each of the $SIPP_PROCESSES SIPp processes"
done
[[ "$SENDERS" -ge 1 && "$SENDERS" -le 99999 ]] || die "--senders must be between 1 and 99999"
[[ "$RECIPIENTS" -ge 1 && "$RECIPIENTS" -le 99999 ]] || die "--recipients must be between 1 and 99999"
[[ "$STEP_SECONDS" -ge 1 && "$STEP_SECONDS" -le 600 ]] || die "--step-seconds must be between 1 and 600"
[[ "$STORE_MESSAGES" -ge 1 && "$STORE_CONCURRENCY" -ge 1 ]] || die "--store-messages and --store-concurrency must be positive"
[[ "$DELIVER_TIMEOUT" -le 3600 ]] || die "--deliver-timeout must be at most 3600"
bench_need_tools sipp python3 curl ss
bench_server_jvm   # Parley's JVM as in production (lib.sh, BENCH_SERVER_JAVA_OPTS) unless PARLEY_JAVA_OPTS says otherwise

SIP_PORT=$PORT_BASE
UAS_PORT=$((PORT_BASE + 50))
KAM_PORT=$((PORT_BASE + 60))
PG_PORT=$((PORT_BASE + 70))
UAC_PORT=$((PORT_BASE + 90))   # relay sender I of --sipp-processes binds UAC_PORT + I
bench_check_ports $SIP_PORT $((SIP_PORT + 1)) $((SIP_PORT + 6)) $((SIP_PORT + 20)) $((SIP_PORT + 21)) \
  $((SIP_PORT + 22)) $UAS_PORT $KAM_PORT $PG_PORT $(seq "$UAC_PORT" $((UAC_PORT + SIPP_PROCESSES - 1)))

JAVA=""
if [[ "$NO_BUILD" -eq 1 ]]; then bench_find_java; fi

bench_init parley-msg-bench
chmod 711 "$WORK"   # PostgreSQL runs as another user and needs to reach its directory in here
NOTES="$WORK/notes.txt"; : >"$NOTES"
note() { log "$*"; echo "$*" >>"$NOTES"; }
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# What Parley gets besides bench_start_server's settings: no messaging limits in the way, and an offline
# store quota that the store phase cannot hit.
export PARLEY_MESSAGING_MESSAGES_PER_MINUTE=0 PARLEY_MESSAGING_MESSAGES_PER_DAY=0
export PARLEY_MESSAGING_BYTES_PER_DAY=0 PARLEY_MESSAGING_SYSTEM_RATE_PER_SECOND=0
export PARLEY_MESSAGING_OFFLINE_MAX_MESSAGES=1000000000 PARLEY_MESSAGING_OFFLINE_MAX_BYTES=1000000000000

# ---- scenarios derived from the checked-in ones ----------------------------------------------------
# The recipients' device: register-digest.xml with the call then kept open (so SIPp stays up and keeps
# its port), and message-uas.xml answering the relayed MESSAGEs on that same port. Every REGISTER comes
# from the UAS's port, so Parley (which sends to the flow a UDP device registered from) and Kamailio
# (which sends to the Contact) both deliver there.
sed 's#<ResponseTimeRepartition#<nop><action><log message="registered [field0]"/></action></nop>\n  <pause milliseconds="86400000"/>\n  &#' \
  "$BENCH_DIR/register-digest.xml" >"$WORK/register-uas.xml"
grep -q 'pause milliseconds' "$WORK/register-uas.xml" || die "cannot derive the UAS scenario from register-digest.xml"
# Store phase: the same MESSAGE, answered 202 (stored) instead of 200 (relayed).
sed 's/<recv response="200" rtd="message"\/>/<recv response="202" rtd="message"\/>/' \
  "$BENCH_DIR/message-digest.xml" >"$WORK/message-store.xml"
grep -q 'response="202"' "$WORK/message-store.xml" || die "cannot derive the store scenario from message-digest.xml"

# mk_message_inf SENDERS_CSV RECIPIENTS_CSV OUT: sender;password;recipient;domain, senders in order and
# recipients round robin (SEQUENTIAL; SIPp wraps around at the end)
mk_message_inf() {
  python3 - "$1" "$2" "$3" <<'EOF'
import sys
def rows(path):
    return [l.strip().split(";") for l in open(path) if ";" in l]
s, r = rows(sys.argv[1]), rows(sys.argv[2])
n = max(len(s), len(r))
with open(sys.argv[3], "w") as f:
    f.write("SEQUENTIAL\n")
    for i in range(n):
        a, b = s[i % len(s)], r[i % len(r)]
        f.write(f"{a[0]};{a[1]};{b[0]};{a[2]}\n")
EOF
}

# ---- the recipients' UAS ---------------------------------------------------------------------------
UAS_PID=""
# start_uas NAME REGISTRAR_PORT RECIPIENTS_CSV COUNT [WAIT]: registers COUNT recipients from UAS_PORT and
# answers MESSAGEs; with WAIT=1 returns once all registered (dies after 30 s otherwise). Sets UAS_DIR.
start_uas() {
  local name=$1 port=$2 inf=$3 count=$4 wait=${5:-1} dir="$WORK/uas-$1"
  mkdir -p "$dir"
  (cd "$dir" && exec setsid timeout 7200 sipp -sf "$WORK/register-uas.xml" -oocsf "$BENCH_DIR/message-uas.xml" \
      -inf "$inf" -t u1 -i 127.0.0.1 -p "$UAS_PORT" "127.0.0.1:$port" -m "$count" -r 100 -l $((count + 10)) \
      -buff_size "$BENCH_SIPP_BUFFER" -recv_timeout "$RECV_TIMEOUT_MS" -deadcall_wait 0 -trace_logs -trace_err -nostdin >sipp.out 2>sipp.err) &
  UAS_PID=$!
  disown "$UAS_PID"
  bench_track_group "$UAS_PID"
  UAS_DIR="$dir"   # SIPp writes its log there as register-uas_<pid>_logs.log
  [[ "$wait" -eq 1 ]] || return 0
  local deadline=$((SECONDS + 30))
  while [[ "$(uas_count registered)" -lt "$count" ]]; do
    kill -0 "$UAS_PID" 2>/dev/null || { cat "$dir/sipp.err" >&2; die "the UAS (SIPp) exited; see $dir"; }
    [[ $SECONDS -lt $deadline ]] || die "only $(uas_count registered) of $count recipients registered within 30 s ($name)"
    sleep 0.2
  done
}
# uas_count registered|messages|received|summaries: in the UAS's log so far, recipients registered,
# distinct messages (by Call-ID), messages including retransmissions, waiting notices
uas_count() {
  local f; f="$(compgen -G "$UAS_DIR/register-uas_*_logs.log" | head -n1 || true)"
  [[ -n "$f" ]] || { echo 0; return; }
  case "$1" in
    registered) grep -c '^registered ' "$f" || true ;;
    messages) { grep '^got msg  ' "$f" || true; } | sort -u | wc -l ;;
    received) grep -c '^got msg  ' "$f" || true ;;
    summaries) grep -c '^got msg .*waiting' "$f" || true ;;
  esac
}
stop_uas() {
  [[ -n "$UAS_PID" ]] || return 0
  stop_group "$UAS_PID"
  bench_untrack_group "$UAS_PID"
  UAS_PID=""
}

# ---- one relay ramp --------------------------------------------------------------------------------
# run_relay_step DIR RATE SECONDS PORT -> STEP_RESULT "created ok failed retrans achieved p50c p99c p50m p99m srv% sipp% host% rc"
RELAY_RATE=0; RELAY_SECONDS=0; RELAY_PORT=0
# relay_sipp_args I: sender I's arguments (bench_sipps): its port, its slice of the senders, its share of the rate
relay_sipp_args() {
  local rate; rate=$(bench_split_rate "$RELAY_RATE" "$SIPP_PROCESSES" "$1")
  SIPP_ARGS=(-sf "$BENCH_DIR/message-digest.xml" -inf "$RELAY_INF.$1" -t u1
    -i 127.0.0.1 -p $((UAC_PORT + $1)) "127.0.0.1:$RELAY_PORT" -r "$rate" -m $((rate * RELAY_SECONDS))
    -l $((rate * 10 > 1000 ? rate * 10 : 1000)) -recv_timeout "$RECV_TIMEOUT_MS" -timeout $((RELAY_SECONDS + 30))s
    -trace_stat -stf stat.csv -fd 1 -trace_rtt -rtt_freq "$(rtt_freq $((rate * RELAY_SECONDS)) $((rate * 2)))"
    -trace_err -nostdin)
}
run_relay_step() {
  local dir=$1
  RELAY_RATE=$2; RELAY_SECONDS=$3; RELAY_PORT=$4
  bench_sipps "$dir" "$RELAY_SECONDS" "$SIPP_PROCESSES" relay_sipp_args
  local figures; figures="$(python3 "$BENCH_DIR/bench_tools.py" steps "challenge message" "$dir"/sipp-*)"
  [[ "$figures" != NOSTATS ]] || { STEP_RESULT="NOSTATS $SIPP_RC"; return; }
  STEP_RESULT="$figures $SRV_CPU $SIPP_CPU $HOST_CPU $SIPP_RC"
}

# relay_ramp NAME PORT SERVER_LABEL: warm-up and ramp; writes $WORK/relay-NAME.txt, sets RAMP_BEST
# ("rate achieved p50c p99c p50m p99m" or empty) and RAMP_STOP
relay_ramp() {
  local name=$1 port=$2 label=$3 table="$WORK/relay-$1.txt" rate line verdict drops sdrops
  if [[ "$WARMUP_SECONDS" -gt 0 ]]; then
    log "$name: warm-up, $WARMUP_RATE messages/s for ${WARMUP_SECONDS}s (not reported)"
    run_relay_step "$WORK/$name-warmup" "$WARMUP_RATE" "$WARMUP_SECONDS" "$port"
  fi
  printf '%7s %8s %7s %6s %6s %7s | %13s | %13s | %4s %4s %5s | %6s %15s | %s\n' target achieved calls failed fail% \
    retrans "407 p50/p99" "200 p50/p99" "$label" sipp host ms/msg "drops srv/all" verdict >"$table"
  RAMP_BEST=""
  RAMP_STOP="all rates passed; try higher --rates"
  for rate in $RATES; do
    log "$name: step $rate messages/s for ${STEP_SECONDS}s"
    drops=$(udp_rcvbuf_errors); sdrops=$(udp_drops "$port")
    [[ "$name" == parley && "$JFR" -eq 1 ]] && bench_jfr_start
    run_relay_step "$WORK/$name-r$rate" "$rate" "$STEP_SECONDS" "$port"
    drops=$(( $(udp_rcvbuf_errors) - drops )); sdrops=$(( $(udp_drops "$port") - sdrops ))
    line="$STEP_RESULT"
    [[ "$name" == parley && "$JFR" -eq 1 ]] && bench_jfr_stop "Parley relay, $rate messages/s for ${STEP_SECONDS}s" "${line%% *}"
    if [[ "$line" == NOSTATS* ]]; then
      RAMP_STOP="SIPp produced no statistics at $rate/s (exit ${line#NOSTATS }); see --keep"
      printf '%7s %s\n' "$rate" "no statistics (SIPp exit ${line#NOSTATS })" >>"$table"
      break
    fi
    read -r created ok failed retrans achieved p50c p99c p50m p99m srv sipp_cpu host rc <<<"$line"
    verdict="$(step_verdict "$rate" "$created" "$failed" "$achieved" "$rc")"
    printf '%7s %8s %7s %6s %6s %7s | %5s / %5s | %5s / %5s | %3s%% %3s%% %4s%% | %6s %15s | %s\n' \
      "$rate" "$achieved" "$created" "$failed" "$(fail_pct "$failed" "$created")" "$retrans" "$p50c" "$p99c" \
      "$p50m" "$p99m" "$srv" "$sipp_cpu" "$host" "$(cpu_per_op "$srv" "$achieved")" "$sdrops/$drops" "$verdict" >>"$table"
    tail -n1 "$table" >&2
    if [[ "$verdict" != pass ]]; then RAMP_STOP="stopped at $rate/s: ${verdict#FAIL }"; break; fi
    RAMP_BEST="$rate $achieved $p50c $p99c $p50m $p99m"
    kill -0 "$SERVER_CHECK_PID" 2>/dev/null || { RAMP_STOP="the server died"; break; }
  done
}

# ---- store then deliver ----------------------------------------------------------------------------
# store_deliver NAME REGISTRAR_PORT STORE_RECIPIENTS_CSV: appends a line to $WORK/store.txt
store_deliver() {
  local name=$1 port=$2 rcpt_csv=$3 dir="$WORK/store-$1" inf="$WORK/store-$1.csv"
  mk_message_inf "$SENDERS_CSV" "$rcpt_csv" "$inf"
  log "$name: storing $STORE_MESSAGES messages for $RECIPIENTS unregistered recipients ($STORE_CONCURRENCY in flight)"
  local load; load="$(cut -d' ' -f1 /proc/loadavg)"
  # closed loop: a rate far above what anything reaches, capped by the calls in flight
  bench_sipp "$dir" 600 -sf "$WORK/message-store.xml" -inf "$inf" -t u1 -i 127.0.0.1 "127.0.0.1:$port" \
      -r 100000 -m "$STORE_MESSAGES" -l "$STORE_CONCURRENCY" -recv_timeout "$RECV_TIMEOUT_MS" -timeout 600s \
      -trace_stat -stf stat.csv -fd 1 -trace_rtt -rtt_freq "$(rtt_freq "$STORE_MESSAGES" 1000)" -trace_err -nostdin
  if [[ ! -s "$dir/stat.csv" ]]; then
    printf '%-11s %s\n' "$name" "no statistics from SIPp (exit $SIPP_RC); see --keep" >>"$WORK/store.txt"
    return
  fi
  local rtt; rtt="$(compgen -G "$dir/*_rtt.csv" | head -n1 || true)"
  local created ok failed retrans achieved p50 p99
  read -r created ok failed retrans achieved p50 p99 < <(python3 "$BENCH_DIR/bench_tools.py" step "$dir/stat.csv" "${rtt:-/nonexistent}" message)
  local store_cpu="$SRV_CPU/$SIPP_CPU/$HOST_CPU"
  log "$name: stored $ok ($failed failed) at $achieved/s; registering the recipients"
  # deliver: the recipients register from the UAS; count what reaches it
  local t0 t1 got=0 summaries deadline=$((SECONDS + DELIVER_TIMEOUT)) s0 s1 hb0 ht0 hb1 ht1
  s0=$(proc_ticks $(server_pids)); read -r hb0 ht0 < <(host_ticks)
  t0="$(date +%s.%N)"
  start_uas "deliver-$name" "$port" "$rcpt_csv" "$RECIPIENTS" 0
  t1="$t0"
  while [[ "$got" -lt "$ok" ]]; do
    kill -0 "$UAS_PID" 2>/dev/null || break
    [[ $SECONDS -lt $deadline ]] || break
    sleep 0.1
    local n; n="$(uas_count messages)"
    if [[ "$n" -ne "$got" ]]; then got=$n; t1="$(date +%s.%N)"; fi
  done
  s1=$(proc_ticks $(server_pids)); read -r hb1 ht1 < <(host_ticks)
  summaries="$(uas_count summaries)"
  local registered received; registered="$(uas_count registered)"; received="$(uas_count received)"
  stop_uas
  local secs; secs="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')"
  local rate; rate="$(awk -v n="$got" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", (b > a ? n / (b - a) : 0)}')"
  local deliver_cpu
  deliver_cpu="$(awk -v d=$((s1 - s0)) -v hz="$CLK_TCK" -v e="$secs" 'BEGIN {printf "%.0f", (e > 0 ? d / hz * 100 / e : 0)}')"
  deliver_cpu="$deliver_cpu/$(awk -v b=$((hb1 - hb0)) -v t=$((ht1 - ht0)) -v n="$NPROC" 'BEGIN {printf "%.0f", t ? b * 100 * n / t : 0}')"
  local status=complete
  [[ "$got" -ge "$ok" ]] || status="INCOMPLETE after ${DELIVER_TIMEOUT}s"
  printf '%-11s %6s %6s %8s %5s / %5s %13s | %6s %7s %9s %8s %9s | %s\n' "$name" "$ok" "$failed" "$achieved" "$p50" "$p99" \
    "$store_cpu" "$got" "$summaries" "$secs" "$rate" "$deliver_cpu" "$status; $((received - got)) retransmitted; $registered/$RECIPIENTS registered; load $load" >>"$WORK/store.txt"
  tail -n1 "$WORK/store.txt" >&2
}

# ---- Parley ----------------------------------------------------------------------------------------
PARLEY_BEST=""; PARLEY_STOP=""; KAM_BEST=""; KAM_STOP=""; KAM_STATUS=""; PG_STATUS=""
RSS_LINES="$WORK/rss.txt"; : >"$RSS_LINES"
printf '%-11s %6s %6s %8s %13s %13s | %6s %7s %9s %8s %9s | %s\n' database stored failed "stored/s" "202 p50/p99" \
  "srv/sipp/host" delivered summary seconds "deliv./s" "srv/host" notes >"$WORK/store.txt"

start_parley() {   # start_parley NAME: server with data in $WORK/data-NAME; users created
  local name=$1
  log "starting Parley ($name; SIP $SIP_PORT, HTTP $((SIP_PORT + 20))); log: $WORK/server-$name.log"
  bench_start_server "$WORK/data-$name" "$WORK/server-$name.log" "$SIP_PORT"
  bench_note_java
  SERVER_CHECK_PID=$SERVER_PID
  RSS_START=$(rss_kb)
  SENDERS_CSV="$WORK/senders.csv"; RELAY_RCPT_CSV="$WORK/recipients.csv"; STORE_RCPT_CSV="$WORK/offline.csv"
  log "creating $SENDERS senders and 2 x $RECIPIENTS recipients over the admin API"
  { bench_create_users "$SENDERS" snd "$SENDERS_CSV" && bench_create_users "$RECIPIENTS" rcp "$RELAY_RCPT_CSV" \
      && bench_create_users "$RECIPIENTS" off "$STORE_RCPT_CSV"; } \
    || { tail -n 20 "$WORK/server-$name.log" >&2; die "could not create the users"; }
  RSS_USERS=$(rss_kb)
}

parley_rss_line() {   # parley_rss_line NAME
  echo "Parley JVM RSS ($1): $(mib "$RSS_START") after start, $(mib "$RSS_USERS") after creating users, $(mib "$(rss_kb)") at the end (peak $(mib "$(hwm_kb)"))" >>"$RSS_LINES"
}

start_parley h2
if [[ "$DO_RELAY" -eq 1 ]]; then
  RELAY_INF="$WORK/relay.csv"
  mk_message_inf "$SENDERS_CSV" "$RELAY_RCPT_CSV" "$RELAY_INF"
  bench_split_inf "$RELAY_INF" "$SIPP_PROCESSES"   # $RELAY_INF.I: the senders of SIPp process I
  log "parley: registering $RECIPIENTS recipients from the UAS (port $UAS_PORT)"
  start_uas relay-parley "$SIP_PORT" "$RELAY_RCPT_CSV" "$RECIPIENTS"
  PARLEY_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
  relay_ramp parley "$SIP_PORT" jvm
  PARLEY_BEST="$RAMP_BEST"; PARLEY_STOP="$RAMP_STOP"
  stop_uas
fi
if [[ "$DO_STORE" -eq 1 ]]; then store_deliver h2 "$SIP_PORT" "$STORE_RCPT_CSV"; fi
parley_rss_line "H2"
bench_stop_server

# ---- Kamailio --------------------------------------------------------------------------------------
KAM_PID=""
if [[ "$DO_RELAY" -eq 1 && "$KAMAILIO" != no ]]; then
  if ! command -v kamailio >/dev/null 2>&1 && [[ "$KAMAILIO" == install ]]; then
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
      log "installing kamailio with apt-get"
      DEBIAN_FRONTEND=noninteractive apt-get install -y kamailio >"$WORK/apt-kamailio.log" 2>&1 \
        || note "apt-get install kamailio failed (see --keep: apt-kamailio.log)"
    else
      note "--install-kamailio needs root and apt-get"
    fi
  fi
  if ! command -v kamailio >/dev/null 2>&1; then
    KAM_STATUS="Kamailio: not installed (Debian package kamailio; --install-kamailio installs it as root); Parley figures alone."
  else
    sed -e "s/LISTEN_PORT/$KAM_PORT/g; s/CHILDREN/$KAMAILIO_CHILDREN/g; s/AUTH_SECRET/$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')/" \
      "$BENCH_DIR/kamailio-bench.cfg" >"$WORK/kamailio.cfg"
    KAM_VERSION="$(kamailio -v 2>/dev/null | head -n1 | sed 's/^version: *//; s/ *$//')"
    log "starting $KAM_VERSION on 127.0.0.1:$KAM_PORT ($KAMAILIO_CHILDREN children)"
    # -DD: stays in the foreground with its children; own session, so the whole group is stopped on exit
    (cd "$WORK" && exec setsid kamailio -f "$WORK/kamailio.cfg" -DD -E -m "$KAMAILIO_SHM" -M 16 -w "$WORK" \
       >"$WORK/kamailio.log" 2>&1) &
    KAM_PID=$!
    disown "$KAM_PID"
    bench_track_group "$KAM_PID"
    deadline=$((SECONDS + 20))
    until ss -Hlun "sport = :$KAM_PORT" | grep -q . || [[ $SECONDS -ge $deadline ]]; do
      kill -0 "$KAM_PID" 2>/dev/null || break
      sleep 0.2
    done
    sleep 1
    if ! kill -0 "$KAM_PID" 2>/dev/null || ! ss -Hlun "sport = :$KAM_PORT" | grep -q .; then
      tail -n 20 "$WORK/kamailio.log" >&2
      KAM_STATUS="Kamailio: failed to start (see --keep: kamailio.log); Parley figures alone."
    else
      # every process of Kamailio's session counts as the server
      SERVER_PIDS_CMD='ps -o pid= -s "$KAM_PID"'
      SERVER_CHECK_PID=$KAM_PID
      start_uas relay-kamailio "$KAM_PORT" "$RELAY_RCPT_CSV" "$RECIPIENTS"
      KAM_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
      relay_ramp kamailio "$KAM_PORT" kam
      KAM_BEST="$RAMP_BEST"; KAM_STOP="$RAMP_STOP"
      stop_uas
      # proportional set size: shared memory split among the processes instead of counted in each
      pss=0; nproc_k=0
      for p in $(ps -o pid= -s "$KAM_PID"); do
        v="$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)"; pss=$((pss + ${v:-0})); nproc_k=$((nproc_k + 1))
      done
      echo "Kamailio memory: $(mib "$pss") PSS summed over its $nproc_k processes (-m $KAMAILIO_SHM MiB shared, -M 16 MiB private each)" >>"$RSS_LINES"
      SERVER_PIDS_CMD=""
      KAM_STATUS="Kamailio: $KAM_VERSION, $KAMAILIO_CHILDREN children, bench/kamailio-bench.cfg"
    fi
    stop_group "$KAM_PID"; bench_untrack_group "$KAM_PID"; KAM_PID=""
  fi
elif [[ "$DO_RELAY" -eq 1 ]]; then
  KAM_STATUS="Kamailio: skipped (--no-kamailio)"
fi

# ---- PostgreSQL ------------------------------------------------------------------------------------
if [[ "$DO_STORE" -eq 1 && "$POSTGRES" != no ]]; then
  PG_BIN=""
  for d in "$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/x)")" /usr/lib/postgresql/*/bin; do
    if [[ -x "$d/pg_ctl" && -x "$d/initdb" ]]; then PG_BIN="$(cd "$d" && pwd -P)"; break; fi
  done
  if [[ -z "$PG_BIN" ]]; then
    PG_STATUS="PostgreSQL: not found (Debian package postgresql); H2 figures alone."
  else
    # PostgreSQL refuses to run as root: run it as postgres (or nobody) when we are root
    PG_AS=()
    if [[ "$(id -u)" -eq 0 ]]; then
      pg_user=postgres; id "$pg_user" >/dev/null 2>&1 || pg_user=nobody
      PG_AS=(setpriv --reuid="$pg_user" --regid="$(id -g "$pg_user")" --clear-groups)
    fi
    mkdir -p "$WORK/pg"; [[ "$(id -u)" -eq 0 ]] && chown "${pg_user:-$(id -un)}" "$WORK/pg"
    if "${PG_AS[@]}" "$PG_BIN/initdb" -D "$WORK/pg/data" -U parley --auth=trust -E UTF8 >"$WORK/pg-initdb.log" 2>&1 \
       && "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w -t 60 \
            -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $WORK/pg" start >"$WORK/pg-start.log" 2>&1; then
      bench_on_exit '"${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1'
      if "${PG_AS[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U parley -d postgres -q -c 'CREATE DATABASE parley' >"$WORK/pg-db.log" 2>&1 \
         || psql -h 127.0.0.1 -p "$PG_PORT" -U parley -d postgres -q -c 'CREATE DATABASE parley' >>"$WORK/pg-db.log" 2>&1; then
        PG_VERSION="$("$PG_BIN/postgres" --version 2>/dev/null || echo PostgreSQL)"
        export PARLEY_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/parley" PARLEY_DB_USER=parley PARLEY_DB_PASSWORD=bench
        start_parley pg
        store_deliver postgresql "$SIP_PORT" "$STORE_RCPT_CSV"
        parley_rss_line "PostgreSQL"
        bench_stop_server
        unset PARLEY_DB_URL PARLEY_DB_USER PARLEY_DB_PASSWORD
        PG_STATUS="PostgreSQL: $PG_VERSION, throw-away cluster, default settings (fsync on, synchronous_commit on)"
      else
        PG_STATUS="PostgreSQL: could not create the database (see --keep: pg-db.log); H2 figures alone."
      fi
    else
      PG_STATUS="PostgreSQL: could not start a throw-away cluster (see --keep: pg-initdb.log, pg-start.log); H2 figures alone."
    fi
  fi
elif [[ "$DO_STORE" -eq 1 ]]; then
  PG_STATUS="PostgreSQL: skipped (--no-postgres)"
fi

# ---- report ----------------------------------------------------------------------------------------
best_line() {   # best_line NAME BEST STOP
  if [[ -n "$2" ]]; then
    read -r b_rate b_ach b_p50c b_p99c b_p50m b_p99m <<<"$2"
    printf '  %-9s %5s msg/s (achieved %s/s); authenticated MESSAGE -> 200 p50 %s ms, p99 %s ms; 407 p50 %s, p99 %s ms\n' \
      "$1" "$b_rate" "$b_ach" "$b_p50m" "$b_p99m" "$b_p50c" "$b_p99c"
  else
    printf '  %-9s none (even the first rate failed)\n' "$1"
  fi
  printf '  %-9s (%s)\n' "" "$3"
}

REPORT="$WORK/report.txt"
{
  echo "Parley pager-mode MESSAGE benchmark, $(date '+%Y-%m-%d %H:%M:%S %Z')"
  bench_header u1
  echo "           SIPp (UAC and UAS) and the server share these CPUs; 'host' is the whole machine's busy share"
  echo "           (100 % = one CPU); busy beyond server + sipp is other work and makes the figures lower."
  echo "users:     $SENDERS senders (snd*), $RECIPIENTS relay recipients (rcp*, registered from one SIPp UAS port),"
  echo "           $RECIPIENTS store recipients (off*); messaging limits off, offline quota raised."
  echo
  if [[ "$DO_RELAY" -eq 1 ]]; then
    echo "== Relay: UAC -> server -> UAS (bench/message-digest.xml, UDP) =="
    echo "   a call = MESSAGE -> 407 -> MESSAGE with MD5 digest -> relayed to the recipient's device -> 200;"
    echo "   $SIPP_PROCESSES sending SIPp process(es) per step, each with its own port, slice of the senders and share of"
    echo "   the rate; calls, failures, retransmissions, achieved rate and sipp CPU are their sums;"
    echo "   ${STEP_SECONDS}s per step after a ${WARMUP_SECONDS}s warm-up at $WARMUP_RATE/s; a step passes with < 0.1 % failed"
    echo "   calls and >= $MIN_ACHIEVED_PERCENT % of its rate. ms at SIPp's 1 ms resolution ('<1' = under 1 ms);"
    echo "   '407' = first MESSAGE -> 407, '200' = authenticated MESSAGE -> 200 (includes the UAS's answer)."
    echo "   ms/msg = the server's CPU per message; drops = UDP datagrams dropped for a full receive buffer during"
    echo "   the step: srv = at the server's SIP socket (/proc/net/udp), all = host-wide (/proc/net/snmp"
    echo "   RcvbufErrors); the difference fell at SIPp's sockets (client or UAS), the bench's own limit."
    echo
    echo "Parley (embedded H2), load average at start: ${PARLEY_LOAD:-?}"
    cat "$WORK/relay-parley.txt"
    echo
    if [[ -f "$WORK/relay-kamailio.txt" ]]; then
      echo "$KAM_STATUS, load average at start: ${KAM_LOAD:-?}"
      cat "$WORK/relay-kamailio.txt"
    else
      echo "$KAM_STATUS"
    fi
    echo
    echo "highest passing relay rates:"
    best_line Parley "$PARLEY_BEST" "$PARLEY_STOP"
    if [[ -f "$WORK/relay-kamailio.txt" ]]; then
      best_line Kamailio "$KAM_BEST" "$KAM_STOP"
      if [[ -n "$PARLEY_BEST" && -n "$KAM_BEST" ]]; then
        awk -v p="${PARLEY_BEST%% *}" -v k="${KAM_BEST%% *}" 'BEGIN {
          printf "  ratio Parley / Kamailio: %.2f (target >= 1.2)", p / k }'
        echo "; where a ramp stopped because SIPp could not keep up (sipp near 100 %), that ratio is SIPp's limit, not the servers'."
      fi
    fi
    echo
  fi
  if [[ "$DO_STORE" -eq 1 ]]; then
    echo "== Store then deliver (Parley) =="
    echo "   $STORE_MESSAGES MESSAGEs (407 + digest each) to $RECIPIENTS unregistered recipients, $STORE_CONCURRENCY in flight: 202 once"
    echo "   stored durably ('202 p50/p99' = authenticated MESSAGE -> 202, ms). Then the recipients register (from"
    echo "   the UAS) and 'seconds' runs from the start of their registration to the last message received;"
    echo "   'summary' = Parley's 'You have N messages waiting.' notices, not counted as messages. CPU % in"
    echo "   'srv/sipp/host' (storing) and 'srv/host' (delivering)."
    cat "$WORK/store.txt"
    echo "   $PG_STATUS"
    echo
  fi
  cat "$RSS_LINES"
  echo "  (JVM options in the header ('jvm opts'); a heap faulted in at start (AlwaysPreTouch) is in the RSS from the start.)"
  if [[ -s "$NOTES" ]]; then echo; echo "notes:"; sed 's/^/  /' "$NOTES"; fi
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$REPORT"

bench_show_report message
