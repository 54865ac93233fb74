#!/usr/bin/env bash
# REGISTER-with-digest load benchmark for Parley: starts a throw-away server on loopback, creates users
# through the admin REST API, then drives SIPp (bench/register-digest.xml) at increasing call rates and
# reports the highest rate with < 0.1 % failed calls, its p50/p99 response times and the JVM's RSS;
# then the same ramp against Kamailio (bench/kamailio-bench.cfg) when it is installed, and the ratio.
# It reports; it never asserts. Run with --help for the options.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
BENCH_NAME=register-bench
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

# ---- defaults --------------------------------------------------------------------------------------
RATES="100 200 300 400 600 800 1000 1200 1600 2000 2400 3200"
STEP_SECONDS=10
# The warm-up gives the JIT its profile before the first measured step: 200/s for 10 s left C2 still
# compiling into the first step at 4,000/s and a cold JVM behind at once (bench/README.md, session 11)
WARMUP_RATE=1000
WARMUP_SECONDS=30
USERS=10000
PORT_BASE=35060
MAX_FAIL_PERMILLE=1          # a step passes with failed calls < 1 per mille (0.1 %)
MIN_ACHIEVED_PERCENT=95      # ... and an achieved call rate >= 95 % of the target
RECV_TIMEOUT_MS=5000
TRANSPORT=u1                 # SIPp transport: u1 = UDP, one socket
KEEP=0
JFR=0
RESULTS_DIR="$BENCH_DIR/results"
NO_BUILD=0
START_TIMEOUT=300            # seconds to wait for the server (includes a build when sources changed)
KAMAILIO=auto                # auto: when installed; no: skip
KAMAILIO_CHILDREN="$BENCH_KAMAILIO_CHILDREN"   # one per CPU (lib.sh)
KAMAILIO_SHM=1024
SIPP_PROCESSES=1

usage() {
  cat <<EOF
Usage: bench/register-bench.sh [options]

Starts Parley on 127.0.0.1 with a temporary data directory, creates N users over the admin API, runs a
warm-up step, then one SIPp run per rate (REGISTER -> 401 -> REGISTER with MD5 digest -> 200, one
distinct user per call). Stops at the first step with >= 0.1 % failed calls or whose achieved rate is
below ${MIN_ACHIEVED_PERCENT} % of the target (SIPp or the server cannot keep up). Prints a table and a
summary and writes them to bench/results/register-<date>-<time>.txt. Then, when kamailio is installed,
the same warm-up and ramp against Kamailio 5.6 (bench/kamailio-bench.cfg: usrloc in memory, digest with
the password computed from the user name, so no credential look-up) and the ratio of the highest
passing rates, Parley / Kamailio.

Options (defaults in brackets):
  --rates "R1 R2 ..."     call rates to try, calls/s, ascending     [$RATES]
  --step-seconds S        length of each step                       [$STEP_SECONDS]
  --warmup-rate R         rate of the unreported warm-up step       [$WARMUP_RATE]
  --warmup-seconds S      length of the warm-up step at least (it lasts until every user registered
                          once), 0 = none                           [$WARMUP_SECONDS]
  --users N               users created and cycled through          [$USERS]
  --port-base P           SIP UDP/TCP port P, TLS P+1, WS P+6, HTTP P+20, HTTPS P+21, WSS P+22,
                          Kamailio P+60, SIPp P+90 (P+90+N-1 with --sipp-processes N)  [$PORT_BASE]
  --transport T           SIPp transport: u1 (UDP) or t1 (one TCP connection)  [$TRANSPORT]
  --sipp-processes N      SIPp processes per step, 1 to 8: one sends at most ~12,000 calls/s here, so a
                          server faster than that needs more. Process I binds port P+90+I, cycles its own
                          slice of the users and sends its share of the step's rate (every rate and the
                          warm-up rate must be >= N); the table sums their calls, failures,
                          retransmissions, achieved rates and CPU (sipp) and takes p50/p99 over all their
                          answers; the verdict judges the sum              [$SIPP_PROCESSES]
  --kamailio-children N   Kamailio's UDP worker processes, one per CPU [$KAMAILIO_CHILDREN]
  --kamailio-shm MIB      Kamailio's shared memory                  [$KAMAILIO_SHM]
  --no-kamailio           Parley alone
  --results-dir DIR       where the result file goes                [bench/results]
  --no-results            do not write a result file
  --keep                  keep the temporary directory (server log, SIPp traces)
  --jfr                   record each measured step of Parley with JFR (settings=profile; not the start-up,
                          user creation or warm-up) and write the summaries (bench/jfr-summary.py) next to
                          the result as register-<date>-<time>.jfr.txt
  --no-build              run the last build (server/target) directly instead of ./parley start, which
                          rebuilds when sources changed; for a shared tree whose sources are mid-edit
  -h, --help              this text

$BENCH_JVM_HELP

Needs: sipp (Debian package sip-tester), python3, curl, and what ./parley needs (JDK 21+, Maven on
first build). Everything listens on and talks to 127.0.0.1 only.
EOF
}

WRITE_RESULTS=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rates) RATES="$2"; shift 2 ;;
    --step-seconds) STEP_SECONDS="$2"; shift 2 ;;
    --warmup-rate) WARMUP_RATE="$2"; shift 2 ;;
    --warmup-seconds) WARMUP_SECONDS="$2"; shift 2 ;;
    --users) USERS="$2"; shift 2 ;;
    --port-base) PORT_BASE="$2"; shift 2 ;;
    --transport) TRANSPORT="$2"; shift 2 ;;
    --sipp-processes) SIPP_PROCESSES="$2"; shift 2 ;;
    --kamailio-children) KAMAILIO_CHILDREN="$2"; shift 2 ;;
    --kamailio-shm) KAMAILIO_SHM="$2"; shift 2 ;;
    --no-kamailio) KAMAILIO=no; shift ;;
    --results-dir) RESULTS_DIR="$2"; shift 2 ;;
    --no-results) WRITE_RESULTS=0; shift ;;
    --keep) KEEP=1; shift ;;
    --jfr) JFR=1; shift ;;
    --no-build) NO_BUILD=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "register-bench: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

for v in "$STEP_SECONDS" "$WARMUP_RATE" "$WARMUP_SECONDS" "$USERS" "$PORT_BASE" "$KAMAILIO_CHILDREN" "$KAMAILIO_SHM" \
         "$SIPP_PROCESSES"; do
  is_int "$v" || die "not a whole number: '$v'"
done
[[ "$SIPP_PROCESSES" -ge 1 && "$SIPP_PROCESSES" -le 8 ]] || die "--sipp-processes must be between 1 and 8"
for r in $RATES; do is_int "$r" && [[ "$r" -gt 0 ]] || die "not a positive rate: '$r'"; done
for r in $RATES $WARMUP_RATE; do
  [[ "$r" -ge "$SIPP_PROCESSES" ]] || die "rate $r is below one call/s for each of the $SIPP_PROCESSES SIPp processes"
done
[[ "$USERS" -ge "$SIPP_PROCESSES" ]] || die "--users must be at least --sipp-processes (each process needs its own users)"
[[ "$USERS" -ge 1 && "$USERS" -le 99999 ]] || die "--users must be between 1 and 99999"
[[ "$STEP_SECONDS" -ge 1 && "$STEP_SECONDS" -le 600 ]] || die "--step-seconds must be between 1 and 600"
[[ "$TRANSPORT" == u1 || "$TRANSPORT" == t1 ]] || die "--transport must be u1 or t1"
bench_need_tools sipp python3 curl ss
bench_server_jvm   # Parley's JVM as in production (lib.sh, BENCH_SERVER_JAVA_OPTS) unless PARLEY_JAVA_OPTS says otherwise

SIP_PORT=$PORT_BASE
TLS_PORT=$((PORT_BASE + 1))
WS_PORT=$((PORT_BASE + 6))
HTTP_PORT=$((PORT_BASE + 20))
HTTPS_PORT=$((PORT_BASE + 21))
WSS_PORT=$((PORT_BASE + 22))
KAM_PORT=$((PORT_BASE + 60))
# SIPp's own port: without -p it takes 5060, which SIPp binds with SO_REUSEADDR, so two benches
# running at once on one machine share it and receive each other's answers as failures; process I of
# --sipp-processes takes SIPP_PORT + I
SIPP_PORT=$((PORT_BASE + 90))
bench_check_ports $SIP_PORT $TLS_PORT $WS_PORT $HTTP_PORT $HTTPS_PORT $WSS_PORT $KAM_PORT \
  $(seq "$SIPP_PORT" $((SIPP_PORT + SIPP_PROCESSES - 1)))

JAVA=""
if [[ "$NO_BUILD" -eq 1 ]]; then bench_find_java; fi

# ---- temporary state (removed on exit, see bench/lib.sh) ---------------------------------------------
bench_init parley-bench

# ---- start the server ------------------------------------------------------------------------------
SERVER_LOG="$WORK/server.log"
log "starting Parley (SIP $SIP_PORT, HTTP $HTTP_PORT) with data in $WORK/data; log: $SERVER_LOG"
bench_start_server "$WORK/data" "$SERVER_LOG" "$SIP_PORT"
bench_note_java
RSS_START=$(rss_kb)
log "server up (pid $SERVER_PID, RSS $(mib "$RSS_START"))"

# ---- users -----------------------------------------------------------------------------------------
INF="$WORK/users.csv"
log "creating $USERS users over the admin API"
bench_create_users "$USERS" bench "$INF" \
  || { tail -n 20 "$SERVER_LOG" >&2; die "could not create the users"; }
RSS_USERS=$(rss_kb)
bench_split_inf "$INF" "$SIPP_PROCESSES"   # $INF.I: the users of SIPp process I

# ---- one step: SIPP_PROCESSES SIPp runs side by side -------------------------------------------------
# run_step NAME RATE SECONDS -> sets STEP_RESULT to "created ok failed retrans achieved p50c p99c p50r p99r jvm% sipp% host% rc"
TARGET_PORT=$SIP_PORT
STEP_RATE=0; STEP_SECONDS_NOW=0
# sipp_args I: SIPp process I's arguments (bench_sipps): its port, its users, its share of the rate
sipp_args() {
  local rate; rate=$(bench_split_rate "$STEP_RATE" "$SIPP_PROCESSES" "$1")
  SIPP_ARGS=(-sf "$BENCH_DIR/register-digest.xml" -inf "$INF.$1" -t "$TRANSPORT"
    -i 127.0.0.1 -p $((SIPP_PORT + $1)) "127.0.0.1:$TARGET_PORT" -r "$rate" -m $((rate * STEP_SECONDS_NOW))
    -l $((rate * 10 > 1000 ? rate * 10 : 1000)) -recv_timeout "$RECV_TIMEOUT_MS" -timeout $((STEP_SECONDS_NOW + 30))s
    -trace_stat -stf stat.csv -fd 1 -trace_rtt -rtt_freq "$(rtt_freq $((rate * STEP_SECONDS_NOW)) $((rate * 2)))"
    -trace_err -nostdin)
}
run_step() {
  local name=$1 dir="$WORK/$1"
  STEP_RATE=$2; STEP_SECONDS_NOW=$3
  bench_sipps "$dir" "$STEP_SECONDS_NOW" "$SIPP_PROCESSES" sipp_args
  local figures; figures="$(python3 "$BENCH_DIR/bench_tools.py" steps "challenge register" "$dir"/sipp-*)"
  [[ "$figures" != NOSTATS ]] || { STEP_RESULT="NOSTATS $SIPP_RC"; return; }
  STEP_RESULT="$figures $SRV_CPU $SIPP_CPU $HOST_CPU $SIPP_RC"
}

# ---- warm-up and ramp ------------------------------------------------------------------------------
# ramp PREFIX TABLE CPU_LABEL: warm-up, then the rates until one fails; sets BEST and STOP_REASON
ramp() {
  local prefix=$1 table=$2 label=$3 rate line drops sdrops
  if [[ "$WARMUP_SECONDS" -gt 0 ]]; then
    # long enough for every user to register once: the steps then measure what a registrar does all
    # day, refreshes of users it knows, not the first look-up of each account
    local warm=$(( (USERS + WARMUP_RATE - 1) / WARMUP_RATE ))
    [[ "$warm" -lt "$WARMUP_SECONDS" ]] && warm=$WARMUP_SECONDS
    log "$prefix warm-up: $WARMUP_RATE calls/s for ${warm}s, every user once (not reported)"
    run_step "$prefix-warmup" "$WARMUP_RATE" "$warm"
  fi
  printf '%7s %8s %7s %6s %6s %7s | %13s | %13s | %4s %4s %5s | %6s %15s | %s\n' \
    target achieved calls failed fail% retrans "401 p50/p99" "200 p50/p99" "$label" sipp host ms/call "drops srv/all" verdict >"$table"
  BEST=""
  STOP_REASON="all rates passed; try higher --rates"
  for rate in $RATES; do
    log "$prefix step: $rate calls/s for ${STEP_SECONDS}s"
    drops=$(udp_rcvbuf_errors); sdrops=$(udp_drops "$TARGET_PORT")
    [[ "$prefix" == parley && "$JFR" -eq 1 ]] && bench_jfr_start
    run_step "$prefix-r$rate" "$rate" "$STEP_SECONDS"   # not in $(...): a signal must reach the trap at once
    drops=$(( $(udp_rcvbuf_errors) - drops )); sdrops=$(( $(udp_drops "$TARGET_PORT") - sdrops ))
    line="$STEP_RESULT"
    [[ "$prefix" == parley && "$JFR" -eq 1 ]] && bench_jfr_stop "Parley REGISTER, $rate calls/s for ${STEP_SECONDS}s" "${line%% *}"
    if [[ "$line" == NOSTATS* ]]; then
      STOP_REASON="SIPp produced no statistics at $rate calls/s (exit ${line#NOSTATS }); see --keep"
      printf '%7s %s\n' "$rate" "no statistics (SIPp exit ${line#NOSTATS })" >>"$table"
      break
    fi
    read -r created ok failed retrans achieved p50c p99c p50r p99r jvm sipp_cpu host rc <<<"$line"
    verdict="$(step_verdict "$rate" "$created" "$failed" "$achieved" "$rc")"
    printf '%7s %8s %7s %6s %6s %7s | %5s / %5s | %5s / %5s | %3s%% %3s%% %4s%% | %6s %15s | %s\n' \
      "$rate" "$achieved" "$created" "$failed" "$(fail_pct "$failed" "$created")" "$retrans" "$p50c" "$p99c" "$p50r" "$p99r" \
      "$jvm" "$sipp_cpu" "$host" "$(cpu_per_op "$jvm" "$achieved")" "$sdrops/$drops" "$verdict" >>"$table"
    tail -n1 "$table" >&2
    if [[ "$verdict" != pass ]]; then STOP_REASON="stopped at $rate calls/s: ${verdict#FAIL }"; break; fi
    BEST="$rate $achieved $p50c $p99c $p50r $p99r $jvm"
    kill -0 "${SERVER_CHECK_PID:-$SERVER_PID}" 2>/dev/null || { STOP_REASON="the server died"; break; }
  done
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
RSS_BEFORE=$(rss_kb)
TABLE="$WORK/table.txt"
ramp parley "$TABLE" jvm
RSS_AFTER=$(rss_kb)
HWM=$(hwm_kb)
PARLEY_BEST="$BEST"; PARLEY_STOP="$STOP_REASON"

# ---- Kamailio: the same ramp on the same machine, Parley stopped ----------------------------------------
KAM_STATUS="Kamailio: skipped (--no-kamailio)"; KAM_BEST=""; KAM_TABLE="$WORK/table-kamailio.txt"
if [[ "$KAMAILIO" != no ]]; then
  if ! command -v kamailio >/dev/null 2>&1; then
    KAM_STATUS="Kamailio: not installed (Debian package kamailio); Parley figures alone."
  else
    bench_stop_server
    sed -e "s/LISTEN_PORT/$KAM_PORT/g; s/CHILDREN/$KAMAILIO_CHILDREN/g; s/AUTH_SECRET/$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')/" \
      "$BENCH_DIR/kamailio-bench.cfg" >"$WORK/kamailio.cfg"
    if bench_kamailio_start "$WORK/kamailio.cfg" "$KAM_PORT" "$WORK/kamailio.log" "$KAMAILIO_SHM"; then
      log "Kamailio: $KAM_VERSION on 127.0.0.1:$KAM_PORT ($KAMAILIO_CHILDREN children, $KAMAILIO_SHM MiB shm)"
      SERVER_PIDS_CMD='kamailio_pids'; SERVER_CHECK_PID=$KAM_PID; TARGET_PORT=$KAM_PORT
      KAM_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
      ramp kamailio "$KAM_TABLE" kam
      KAM_BEST="$BEST"; KAM_STOP="$STOP_REASON"
      KAM_PSS=$(kamailio_pss_kb)
      KAM_STATUS="Kamailio: $KAM_VERSION, $KAMAILIO_CHILDREN children, $KAMAILIO_SHM MiB shm, bench/kamailio-bench.cfg, load average at start: $KAM_LOAD"
      bench_kamailio_stop
    else
      KAM_STATUS="Kamailio: failed to start (see --keep: kamailio.log); Parley figures alone."
    fi
  fi
fi

# ---- report ----------------------------------------------------------------------------------------
REPORT="$WORK/report.txt"
{
  echo "Parley REGISTER-with-digest benchmark, $(date '+%Y-%m-%d %H:%M:%S %Z')"
  bench_header "$TRANSPORT"
  echo "           SIPp and the JVM share these CPUs; 'host' below is the whole machine's busy share"
  echo "           (100 % = one CPU); busy beyond jvm + sipp is other work and makes the figures lower."
  echo "scenario:  bench/register-digest.xml: REGISTER -> 401 -> REGISTER (MD5 digest) -> 200, one call each;"
  echo "           $USERS users cycled in order; ${STEP_SECONDS}s per step after a ${WARMUP_SECONDS}s warm-up at $WARMUP_RATE/s;"
  echo "           $SIPP_PROCESSES SIPp process(es) per step, each with its own port, slice of the users and share of the"
  echo "           rate; calls, failures, retransmissions, achieved rate and sipp CPU are their sums;"
  echo "           a step passes with < 0.1 % failed calls and >= $MIN_ACHIEVED_PERCENT % of the target rate."
  echo "times:     ms, SIPp's 1 ms resolution; '401' = REGISTER -> 401, '200' = authenticated REGISTER -> 200."
  echo "           ms/call = the server's CPU per call (401 + 200); drops = UDP datagrams dropped for a full receive"
  echo "           buffer during the step: srv = at the server's SIP socket (/proc/net/udp), all = host-wide"
  echo "           (/proc/net/snmp RcvbufErrors); the difference fell at SIPp's sockets, the bench's own limit."
  echo
  echo "Parley (embedded H2), load average at start: $LOAD_BEFORE"
  cat "$TABLE"
  echo
  echo "$KAM_STATUS"
  [[ -f "$KAM_TABLE" ]] && cat "$KAM_TABLE"
  echo
  if [[ -n "$PARLEY_BEST" ]]; then
    read -r b_rate b_achieved b_p50c b_p99c b_p50r b_p99r b_cpu <<<"$PARLEY_BEST"
    echo "highest passing rate: $b_rate calls/s (achieved $b_achieved/s)"
    echo "  authenticated REGISTER -> 200: p50 $b_p50r ms, p99 $b_p99r ms"
    echo "  REGISTER -> 401 challenge:     p50 $b_p50c ms, p99 $b_p99c ms"
    awk -v r="$b_achieved" -v c="$b_cpu" 'BEGIN { if (r > 0) printf "  CPU per REGISTER call (401 + 200): %.2f ms\n", c * 10 / r }'
  else
    echo "highest passing rate: none (even the first rate failed)"
  fi
  echo "  ($PARLEY_STOP)"
  if [[ -n "$KAM_BEST" ]]; then
    read -r k_rate k_achieved k_p50c k_p99c k_p50r k_p99r k_cpu <<<"$KAM_BEST"
    echo "Kamailio highest passing rate: $k_rate calls/s (achieved $k_achieved/s); 200 p50 $k_p50r ms, p99 $k_p99r ms"
    awk -v r="$k_achieved" -v c="$k_cpu" 'BEGIN { if (r > 0) printf "  CPU per REGISTER call (401 + 200): %.2f ms\n", c * 10 / r }'
    echo "  ($KAM_STOP)"
    if [[ -n "$PARLEY_BEST" ]]; then
      awk -v p="$b_rate" -v k="$k_rate" 'BEGIN { printf "ratio Parley / Kamailio (highest passing rates): %.2f (target >= 1.2); a ramp that passed every rate measured the bench, not the server\n", p / k }'
    fi
    echo "Kamailio memory: $(mib "${KAM_PSS:-0}") PSS summed over its processes"
  fi
  echo "JVM RSS: $(mib "$RSS_START") after start, $(mib "$RSS_USERS") after creating users,"
  echo "         $(mib "$RSS_BEFORE") before the ramp, $(mib "$RSS_AFTER") after it (peak $(mib "$HWM"));"
  echo "         with the JVM options in the header ('jvm opts'); a heap faulted in at start (AlwaysPreTouch) is in the RSS from the start"
} >"$REPORT"

bench_show_report register
