#!/usr/bin/env bash
# Presence benchmark for Parley and, where installed, Kamailio 5.6 with its presence modules, on the same
# SIPp scenarios in the same run (UDP, loopback):
#   1. PUBLISH: a publication's life per call (initial with digest, modify, refresh, remove), ramped to the
#      highest rate with < 0.1 % failed calls; p50/p99 of each PUBLISH;
#   2. SUBSCRIBE cycles: SUBSCRIBE with digest -> 200 -> NOTIFY, unSUBSCRIBE -> 200 -> final NOTIFY, ramped;
#   3. NOTIFY fan-out: one presentity, N watchers (SIPp) subscribed first, then PUBLISH changes: NOTIFYs
#      delivered per second and the time from a PUBLISH to its last NOTIFY; and mass subscriptions
#      (presentities x watchers), with the server's memory per subscription and PUBLISHes made while they
#      are in place.
# Prints the ratios Parley / Kamailio per scenario. Loopback only. It reports; it never asserts.
# Run with --help for the options.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_NAME=presence-bench
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

# ---- defaults --------------------------------------------------------------------------------------
PUB_RATES="25 50 100 200 300 400 600 800 1000 1200 1600 2000 2400 3200"
SUB_RATES="25 50 100 200 300 400 600 800 1000 1200 1600 2000 2400 3200"
STEP_SECONDS=10
WARMUP_RATE=50
WARMUP_SECONDS=10
USERS=0                      # 0: as many as the phases need
SEED_CONCURRENCY=20
FANOUT_WATCHERS=1000
FANOUT_SUBSCRIBE_RATE=200
FANOUT_SPACED=10
FANOUT_INTERVAL_MS=2000
FANOUT_BURST=20
FANOUT_TIMEOUT=60
MASS_PRESENTITIES=10000
MASS_WATCHERS=20
MASS_CONCURRENCY=20
MASS_TIMEOUT=1800
LOADED_RATE=20
LOADED_SECONDS=10
SETTLE_SECONDS=40
NOTIFY_INTERVAL_MS=0
PORT_BASE=35060
MAX_FAIL_PERMILLE=1
MIN_ACHIEVED_PERCENT=95
RECV_TIMEOUT_MS=5000
SIPP_BUFFER=4194304          # SIPp's socket buffers (the kernel caps them at net.core.rmem_max / wmem_max)
KAMAILIO_CHILDREN="$BENCH_KAMAILIO_CHILDREN"   # one per CPU (lib.sh)
KAMAILIO_SHM=1024
KAMAILIO=auto                # auto: when installed; no: skip; install: apt-get install when missing (root)
DO_PUBLISH=1
DO_SUBSCRIBE=1
DO_FANOUT=1
DO_MASS=1
KEEP=0
NO_BUILD=0
JFR=0
WRITE_RESULTS=1
RESULTS_DIR="$BENCH_DIR/results"
START_TIMEOUT=300
KAMAILIO_PACKAGES="kamailio kamailio-presence-modules kamailio-sqlite-modules sqlite3"

usage() {
  cat <<EOF
Usage: bench/presence-bench.sh [options]

Presence (RFC 3903 PUBLISH, RFC 3856 SUBSCRIBE/NOTIFY) benchmark on 127.0.0.1, UDP, against Parley
(embedded H2) and then, where installed, Kamailio 5.6 with presence + presence_xml
(bench/kamailio-presence.cfg), on the same SIPp scenarios:
 publish    bench/presence-publish.xml: initial PUBLISH -> 407 -> PUBLISH with MD5 digest -> 200, then
            modify, refresh and remove (SIP-If-Match), one user per call in order; ramped over --pub-rates
            calls/s (4 PUBLISHes each) until a step has >= 0.1 % failed calls or reaches < ${MIN_ACHIEVED_PERCENT} % of its rate.
 subscribe  One lasting publication per user first (seed). bench/presence-subscribe.xml: SUBSCRIBE -> 407
            -> SUBSCRIBE with digest -> 200 -> NOTIFY, unSUBSCRIBE -> 200 -> NOTIFY (terminated), each
            user watching another; ramped over --sub-rates cycles/s.
 fanout     --fanout-watchers watchers subscribe to one presentity from one SIPp (bench/presence-watcher.xml),
            which then changes its state --fanout-spaced times every --fanout-interval-ms (time from a PUBLISH
            to its last NOTIFY) and --fanout-burst times back to back (NOTIFYs delivered per second).
 mass       --mass-presentities x --mass-watchers subscriptions (default 10,000 x 20 = 200,000), closed loop;
            the server's memory before and after, per subscription; then PUBLISHes at --loaded-rate for
            --loaded-seconds with the subscriptions in place.
Every user has a pres-rules document allowing the whole domain (bench/presence-rules.xml), stored over
XCAP in Parley and in the xcap table of Kamailio's SQLite database. Prints tables, the ratios Parley /
Kamailio per scenario, and writes them to bench/results/presence-<date>-<time>.txt.

Options (defaults in brackets):
  --pub-rates "R1 R2 ..."     PUBLISH calls/s to try, ascending           [$PUB_RATES]
  --sub-rates "R1 R2 ..."     SUBSCRIBE cycles/s to try, ascending        [$SUB_RATES]
  --step-seconds S            length of each ramp step                    [$STEP_SECONDS]
  --warmup-rate R             rate of the unreported warm-up steps        [$WARMUP_RATE]
  --warmup-seconds S          length of each warm-up step, 0 = none       [$WARMUP_SECONDS]
  --users N                   users (pres00001 ..); 0 = as many as needed [max of the phases' needs]
  --fanout-watchers N         watchers of the fan-out presentity          [$FANOUT_WATCHERS]
  --fanout-subscribe-rate R   rate at which they subscribe                [$FANOUT_SUBSCRIBE_RATE]
  --fanout-spaced K           changes one every --fanout-interval-ms      [$FANOUT_SPACED]
  --fanout-interval-ms MS                                                 [$FANOUT_INTERVAL_MS]
  --fanout-burst K            changes back to back (each after the previous one's 200) [$FANOUT_BURST]
  --fanout-timeout S          longest wait for a run's NOTIFYs            [$FANOUT_TIMEOUT]
  --mass-presentities N       presentities of the mass phase              [$MASS_PRESENTITIES]
  --mass-watchers W           watchers of each                            [$MASS_WATCHERS]
  --mass-concurrency "C1 .."  SUBSCRIBE calls in flight: one mass run per value, each with watchers
                              of its own (fresh subscriptions); each server's best run is compared,
                              memory is read around the first run        [$MASS_CONCURRENCY]
  --mass-timeout S            longest time for the mass subscriptions     [$MASS_TIMEOUT]
  --loaded-rate R             PUBLISH calls/s with the subscriptions in place, 0 = skip [$LOADED_RATE]
  --loaded-seconds S                                                      [$LOADED_SECONDS]
  --notify-interval-ms MS     Parley's presence.notify.min-interval-ms; 0 = a NOTIFY for every change,
                              as Kamailio sends them (like for like); Parley's default 1000 folds
                              the changes of one interval into one NOTIFY of the latest state,
                              so fewer NOTIFYs and the fan-out's 'lost' counts states replaced
                              before they were sent                       [$NOTIFY_INTERVAL_MS]
  --settle-seconds S          wait before each memory reading (finished transactions are kept
                              32 s over UDP)                              [$SETTLE_SECONDS]
  --quick                     a short run: rates up to 400/s, 5 s steps, 200 fan-out watchers,
                              1000 x 10 mass subscriptions
  --port-base P               Parley SIP P (TLS P+1, WS P+6, HTTP P+20, HTTPS P+21, WSS P+22); SIPp:
                              watchers P+50, mass watchers P+51, UAC P+52, fan-out publisher P+53;
                              Kamailio P+60                               [$PORT_BASE]
  --kamailio-children N       Kamailio's UDP worker processes, one per CPU [$KAMAILIO_CHILDREN]
  --kamailio-shm MIB          Kamailio's shared memory                    [$KAMAILIO_SHM]
  --no-kamailio               skip Kamailio
  --install-kamailio          apt-get install -y $KAMAILIO_PACKAGES when missing (root)
  --no-publish | --no-subscribe | --no-fanout | --no-mass   skip a phase
  --results-dir DIR           where the result file goes                  [bench/results]
  --no-results                do not write a result file
  --keep                      keep the temporary directory (logs, SIPp traces, Kamailio config and database)
  --no-build                  run the last build (server/target) instead of ./parley start
  --jfr                       record each measured step of Parley (ramp steps, the mass subscriptions) with
                              JFR (settings=profile; not the start-up, users, seed or warm-up) and write the
                              summaries (bench/jfr-summary.py) next to the result as presence-<date>-<time>.jfr.txt
  -h, --help                  this text

$BENCH_JVM_HELP

Needs: sipp (Debian package sip-tester, written against SIPp 3.6.1), python3, curl, ss, and what ./parley
needs. Optional: Kamailio 5.6 with Debian packages kamailio, kamailio-presence-modules and
kamailio-sqlite-modules, and sqlite3 (to fill its database). Everything listens on and talks to 127.0.0.1
only; everything started is stopped on exit.
EOF
}

QUICK=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --pub-rates) PUB_RATES="$2"; shift 2 ;;
    --sub-rates) SUB_RATES="$2"; shift 2 ;;
    --step-seconds) STEP_SECONDS="$2"; shift 2 ;;
    --warmup-rate) WARMUP_RATE="$2"; shift 2 ;;
    --warmup-seconds) WARMUP_SECONDS="$2"; shift 2 ;;
    --users) USERS="$2"; shift 2 ;;
    --fanout-watchers) FANOUT_WATCHERS="$2"; shift 2 ;;
    --fanout-subscribe-rate) FANOUT_SUBSCRIBE_RATE="$2"; shift 2 ;;
    --fanout-spaced) FANOUT_SPACED="$2"; shift 2 ;;
    --fanout-interval-ms) FANOUT_INTERVAL_MS="$2"; shift 2 ;;
    --fanout-burst) FANOUT_BURST="$2"; shift 2 ;;
    --fanout-timeout) FANOUT_TIMEOUT="$2"; shift 2 ;;
    --mass-presentities) MASS_PRESENTITIES="$2"; shift 2 ;;
    --mass-watchers) MASS_WATCHERS="$2"; shift 2 ;;
    --mass-concurrency) MASS_CONCURRENCY="$2"; shift 2 ;;
    --mass-timeout) MASS_TIMEOUT="$2"; shift 2 ;;
    --loaded-rate) LOADED_RATE="$2"; shift 2 ;;
    --loaded-seconds) LOADED_SECONDS="$2"; shift 2 ;;
    --settle-seconds) SETTLE_SECONDS="$2"; shift 2 ;;
    --notify-interval-ms) NOTIFY_INTERVAL_MS="$2"; shift 2 ;;
    --quick)
      QUICK=1; PUB_RATES="50 100 200 400"; SUB_RATES="50 100 200 400"; STEP_SECONDS=5; WARMUP_SECONDS=5
      FANOUT_WATCHERS=200; FANOUT_SPACED=5; FANOUT_INTERVAL_MS=1000; FANOUT_BURST=10
      MASS_PRESENTITIES=1000; MASS_WATCHERS=10; LOADED_SECONDS=5; shift ;;
    --port-base) PORT_BASE="$2"; shift 2 ;;
    --kamailio-children) KAMAILIO_CHILDREN="$2"; shift 2 ;;
    --kamailio-shm) KAMAILIO_SHM="$2"; shift 2 ;;
    --no-kamailio) KAMAILIO=no; shift ;;
    --install-kamailio) KAMAILIO=install; shift ;;
    --no-publish) DO_PUBLISH=0; shift ;;
    --no-subscribe) DO_SUBSCRIBE=0; shift ;;
    --no-fanout) DO_FANOUT=0; shift ;;
    --no-mass) DO_MASS=0; shift ;;
    --results-dir) RESULTS_DIR="$2"; shift 2 ;;
    --no-results) WRITE_RESULTS=0; shift ;;
    --keep) KEEP=1; shift ;;
    --no-build) NO_BUILD=1; shift ;;
    --jfr) JFR=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "presence-bench: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

for v in "$STEP_SECONDS" "$WARMUP_RATE" "$WARMUP_SECONDS" "$USERS" "$SEED_CONCURRENCY" "$FANOUT_WATCHERS" \
         "$FANOUT_SUBSCRIBE_RATE" "$FANOUT_SPACED" "$FANOUT_INTERVAL_MS" "$FANOUT_BURST" "$FANOUT_TIMEOUT" \
         "$MASS_PRESENTITIES" "$MASS_WATCHERS" "$MASS_TIMEOUT" "$LOADED_RATE" \
         "$LOADED_SECONDS" "$SETTLE_SECONDS" "$PORT_BASE" "$KAMAILIO_CHILDREN" "$KAMAILIO_SHM"; do
  is_int "$v" || die "not a whole number: '$v'"
done
for r in $PUB_RATES $SUB_RATES; do is_int "$r" && [[ "$r" -gt 0 ]] || die "not a positive rate: '$r'"; done
[[ "$STEP_SECONDS" -ge 1 && "$STEP_SECONDS" -le 600 ]] || die "--step-seconds must be between 1 and 600"
[[ "$FANOUT_WATCHERS" -ge 1 && "$FANOUT_SUBSCRIBE_RATE" -ge 1 ]] || die "--fanout-watchers and --fanout-subscribe-rate must be positive"
[[ "$FANOUT_SPACED" -ge 1 && "$FANOUT_BURST" -ge 1 ]] || die "--fanout-spaced and --fanout-burst must be positive"
[[ "$MASS_PRESENTITIES" -ge 1 && "$MASS_WATCHERS" -ge 1 ]] || die "the --mass-* counts must be positive"
for c in $MASS_CONCURRENCY; do is_int "$c" && [[ "$c" -gt 0 ]] || die "not a positive --mass-concurrency: '$c'"; done
read -r -a MASS_RUNS <<<"$MASS_CONCURRENCY"
[[ "${#MASS_RUNS[@]}" -ge 1 ]] || die "--mass-concurrency needs at least one value"
# each run subscribes watchers of its own: run r's are the W users after those of run r - 1
MASS_ALL_WATCHERS=$((MASS_WATCHERS * ${#MASS_RUNS[@]}))

# users: pres00001 .. (five digits, so at most 99999)
NEED=100
[[ "$DO_FANOUT" -eq 0 || $((FANOUT_WATCHERS + 1)) -le "$NEED" ]] || NEED=$((FANOUT_WATCHERS + 1))
if [[ "$DO_MASS" -eq 1 ]]; then
  [[ "$MASS_PRESENTITIES" -le "$NEED" ]] || NEED=$MASS_PRESENTITIES
  [[ $((MASS_ALL_WATCHERS + 1)) -le "$NEED" ]] || NEED=$((MASS_ALL_WATCHERS + 1))
fi
if [[ "$USERS" -eq 0 ]]; then USERS=$NEED; fi
[[ "$USERS" -ge "$NEED" ]] || die "--users $USERS is too few: the phases asked for need $NEED"
[[ "$USERS" -le 99999 ]] || die "at most 99999 users"
MASS_SUBS=$((MASS_PRESENTITIES * MASS_WATCHERS))
bench_need_tools sipp python3 curl ss
bench_server_jvm   # Parley's JVM as in production (lib.sh, BENCH_SERVER_JAVA_OPTS) unless PARLEY_JAVA_OPTS says otherwise

SIP_PORT=$PORT_BASE
WATCH_PORT=$((PORT_BASE + 50))
MASS_PORT=$((PORT_BASE + 51))
UAC_PORT=$((PORT_BASE + 52))
FANPUB_PORT=$((PORT_BASE + 53))
KAM_PORT=$((PORT_BASE + 60))
bench_check_ports $SIP_PORT $((SIP_PORT + 1)) $((SIP_PORT + 6)) $((SIP_PORT + 20)) $((SIP_PORT + 21)) \
  $((SIP_PORT + 22)) $WATCH_PORT $MASS_PORT $UAC_PORT $FANPUB_PORT $KAM_PORT

JAVA=""
if [[ "$NO_BUILD" -eq 1 ]]; then bench_find_java; fi

bench_init parley-presence-bench
NOTES="$WORK/notes.txt"; : >"$NOTES"
note() { log "$*"; echo "$*" >>"$NOTES"; }
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- injection files and scenarios derived from the checked-in ones ---------------------------------
# users.csv: user;password;domain;expires (what bench_create_users writes), here written for both servers
# subs.csv: watcher;password;presentity;domain, user i watching user i + USERS/2
# fan-watchers.csv: users 2 .. N+1 watching user 1; fan-pub.csv: user 1
# mass-R.csv: run R (0 ..) of the mass phase: presentity p (1 .. MASS_PRESENTITIES) watched by the W users
#           after it, from the (R * W + 1)th on (wrapping around), presentities round robin so that
#           consecutive calls go to different presentities
# loaded.csv: the users from 2 on (user 1's fan-out watchers are gone by then)
python3 - "$WORK" "$USERS" "$FANOUT_WATCHERS" "$MASS_PRESENTITIES" "$MASS_WATCHERS" "$DO_MASS" "${#MASS_RUNS[@]}" <<'EOF'
import sys
work, users, fan, mp, mw, do_mass, runs = sys.argv[1], *map(int, sys.argv[2:])
name = lambda i: f"pres{i:05d}"           # 1-based
def write(path, rows):
    with open(f"{work}/{path}", "w") as f:
        f.write("SEQUENTIAL\n")
        f.writelines(rows)
write("users.csv", (f"{name(i)};pw-{name(i)};localhost;3600\n" for i in range(1, users + 1)))
half = max(1, users // 2)
write("subs.csv", (f"{name(i)};pw-{name(i)};{name((i - 1 + half) % users + 1)};localhost\n" for i in range(1, users + 1)))
write("fan-watchers.csv", (f"{name(i)};pw-{name(i)};{name(1)};localhost\n" for i in range(2, min(users, fan + 1) + 1)))
write("fan-pub.csv", [f"{name(1)};pw-{name(1)};localhost\n"])
write("loaded.csv", (f"{name(i)};pw-{name(i)};localhost\n" for i in range(2, users + 1)))
if do_mass:
    def mass(run):
        for k in range(mp * mw):
            p, offset = k % mp, run * mw + k // mp + 1
            w = (p + offset) % users
            yield f"{name(w + 1)};pw-{name(w + 1)};{name(p + 1)};localhost\n"
    for run in range(runs):
        write(f"mass-{run}.csv", mass(run))
EOF
# Seed publications: the initial PUBLISH alone, lasting an hour, its tuple named "seed" so that a later
# publication of the presentity (tuple "bench" or "fanout") adds a tuple whatever the server's aggregation
# does with two publications of one tuple id (Kamailio's presence_xml keeps the older, Parley the newer).
# (the SIP-ETag is not needed then: SIPp refuses a variable that is set and never used)
sed -e '/<!-- modify: presence-bench.sh cuts/,/<ResponseTimeRepartition/{/<ResponseTimeRepartition/!d}' \
    -e '/<recv response="200" rtd="initial">/,/<\/recv>/c\  <recv response="200" rtd="initial"/>' \
    -e 's/^Expires: 600$/Expires: 3600/; s/<tuple id="bench">/<tuple id="seed">/' \
    "$BENCH_DIR/presence-publish.xml" >"$WORK/presence-seed.xml"
grep -q 'start_rtd="modify"' "$WORK/presence-seed.xml" && die "cannot derive the seed scenario from presence-publish.xml"
# Mass subscriptions: the SUBSCRIBE alone (the subscription stays), up to its first NOTIFY's 200.
sed -e '/<!-- unsubscribe: presence-bench.sh cuts/,/<ResponseTimeRepartition/{/<ResponseTimeRepartition/!d}' \
    "$BENCH_DIR/presence-subscribe.xml" >"$WORK/presence-hold.xml"
grep -q 'start_rtd="unsubscribe"' "$WORK/presence-hold.xml" && die "cannot derive the mass scenario from presence-subscribe.xml"
# Fan-out publishers: the template with the count and the pause filled in.
sed -e "s/FANOUT_COUNT/$FANOUT_SPACED/; s/FANOUT_PAUSE_MS/$FANOUT_INTERVAL_MS/" \
  "$BENCH_DIR/presence-fanout-publish.xml" >"$WORK/fanout-spaced.xml"
sed -e "s/FANOUT_COUNT/$FANOUT_BURST/; s/FANOUT_PAUSE_MS/0/" \
  "$BENCH_DIR/presence-fanout-publish.xml" >"$WORK/fanout-burst.xml"

# ---- SIPp runs ----------------------------------------------------------------------------------------
# run_step DIR SCENARIO INF RATE CALLS SECONDS PORT RTD... -> STEP_RESULT
# "created ok failed retrans achieved [p50 p99 per rtd] srv% sipp% host% rc" (or "NOSTATS rc").
# RATE 0 = closed loop: as fast as the server answers, SECONDS is then only the bound; CALLS_IN_FLIGHT
# (default: rate x 10, between 1000 and 10,000) caps the calls open at once.
run_step() {
  local dir=$1 scenario=$2 inf=$3 rate=$4 calls=$5 seconds=$6 port=$7; shift 7
  # calls open at once: ten seconds' worth, at least 1000, at most 10,000 (SIPp wants fewer than the open-files limit)
  local limit=${CALLS_IN_FLIGHT:-$((rate * 10 > 1000 ? (rate * 10 < 10000 ? rate * 10 : 10000) : 1000))} r=$rate
  [[ "$rate" -gt 0 ]] || r=100000
  bench_sipp "$dir" "$seconds" -sf "$scenario" -inf "$inf" -t u1 -i 127.0.0.1 -p "$UAC_PORT" "127.0.0.1:$port" \
      -r "$r" -m "$calls" -l "$limit" -recv_timeout "$RECV_TIMEOUT_MS" -timeout $((seconds + 30))s \
      -trace_stat -stf stat.csv -fd 1 -trace_rtt -rtt_freq "$(rtt_freq "$calls" $((r * 2 < calls ? r * 2 : calls)))" \
      -trace_err -nostdin
  [[ -s "$dir/stat.csv" ]] || { STEP_RESULT="NOSTATS $SIPP_RC"; return; }
  local rtt; rtt="$(compgen -G "$dir/*_rtt.csv" | head -n1 || true)"
  STEP_RESULT="$(python3 "$BENCH_DIR/bench_tools.py" step "$dir/stat.csv" "${rtt:-/nonexistent}" "$@") $SRV_CPU $SIPP_CPU $HOST_CPU $SIPP_RC"
}

# first_error DIR: the first event of SIPp's error log (one line), for the notes
first_error() {
  local f; f="$(compgen -G "$1/*_errors.log" | head -n1 || true)"
  [[ -n "$f" ]] || return 0
  # events start with the date (a message SIPp quotes follows on the next lines); what ended a call first
  { grep -m1 -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}.*(Aborting|unexpected|timeout|Timeout)' "$f" \
      || grep -m1 -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}' "$f"; } | cut -c1-300 || true
}

# ramp NAME PORT LABEL SCENARIO INF RATES "COLUMN ..." RTD... : warm-up and ramp; writes
# $WORK/ramp-NAME.txt, sets RAMP_BEST ("rate achieved p50 p99 ..." or empty) and RAMP_STOP
ramp() {
  local name=$1 port=$2 label=$3 scenario=$4 inf=$5 rates=$6 columns=$7; shift 7
  local table="$WORK/ramp-$name.txt" rate line verdict col n_rtd=$# header
  if [[ "$WARMUP_SECONDS" -gt 0 ]]; then
    log "$name: warm-up, $WARMUP_RATE calls/s for ${WARMUP_SECONDS}s (not reported)"
    run_step "$WORK/$name-warmup" "$scenario" "$inf" "$WARMUP_RATE" $((WARMUP_RATE * WARMUP_SECONDS)) \
      "$WARMUP_SECONDS" "$port" "$@"
  fi
  header="$(printf '%7s %8s %7s %6s %6s %7s |' target achieved calls failed fail% retrans)"
  for col in $columns; do header="$header$(printf ' %15s |' "$col p50/p99")"; done
  printf '%s %4s %4s %5s | %s\n' "$header" "$label" sipp host verdict >"$table"
  RAMP_BEST=""
  RAMP_STOP="all rates passed; try higher rates"
  for rate in $rates; do
    log "$name: step $rate calls/s for ${STEP_SECONDS}s"
    [[ "$name" == parley-* && "$JFR" -eq 1 ]] && bench_jfr_start
    run_step "$WORK/$name-r$rate" "$scenario" "$inf" "$rate" $((rate * STEP_SECONDS)) "$STEP_SECONDS" "$port" "$@"
    line="$STEP_RESULT"
    [[ "$name" == parley-* && "$JFR" -eq 1 ]] && bench_jfr_stop "Parley ${name#parley-}, $rate calls/s for ${STEP_SECONDS}s" "${line%% *}"
    if [[ "$line" == NOSTATS* ]]; then
      RAMP_STOP="SIPp produced no statistics at $rate/s (exit ${line#NOSTATS }); see --keep"
      printf '%7s %s\n' "$rate" "no statistics (SIPp exit ${line#NOSTATS })" >>"$table"
      break
    fi
    local -a f; read -r -a f <<<"$line"
    # f: created ok failed retrans achieved, then 2 per rtd, then srv sipp host rc
    local created=${f[0]} failed=${f[2]} retrans=${f[3]} achieved=${f[4]} i=5 cells=""
    for ((k = 0; k < n_rtd; k++)); do
      cells="$cells$(printf ' %6s / %6s |' "${f[i]}" "${f[i + 1]}")"; i=$((i + 2))
    done
    local srv=${f[i]} sipp_cpu=${f[i + 1]} host=${f[i + 2]} rc=${f[i + 3]}
    verdict="$(step_verdict "$rate" "$created" "$failed" "$achieved" "$rc")"
    printf '%7s %8s %7s %6s %6s %7s |%s %3s%% %3s%% %4s%% | %s\n' "$rate" "$achieved" "$created" "$failed" \
      "$(fail_pct "$failed" "$created")" "$retrans" "$cells" "$srv" "$sipp_cpu" "$host" "$verdict" >>"$table"
    tail -n1 "$table" >&2
    if [[ "$verdict" != pass ]]; then
      RAMP_STOP="stopped at $rate/s: ${verdict#FAIL }"
      local why; why="$(first_error "$WORK/$name-r$rate")"
      [[ -z "$why" ]] || note "$name at $rate/s, SIPp's first error: $why"
      break
    fi
    RAMP_BEST="$rate $achieved ${f[*]:5:$((2 * n_rtd))}"
    kill -0 "$SERVER_CHECK_PID" 2>/dev/null || { RAMP_STOP="the server died"; note "$name: the server died"; break; }
  done
}

# ---- watchers (fan-out) and the NOTIFY sink (mass) ---------------------------------------------------
WATCH_PID=""; WATCH_DIR=""; SINK_PID=""; SINK_DIR=""
start_watchers() {   # start_watchers NAME PORT: the fan-out watchers subscribe; sets WATCH_PID, WATCH_DIR
  WATCH_DIR="$WORK/watchers-$1"; mkdir -p "$WATCH_DIR"
  local count; count=$(($(wc -l <"$WORK/fan-watchers.csv") - 1))
  (cd "$WATCH_DIR" && exec setsid timeout 7200 sipp -sf "$BENCH_DIR/presence-watcher.xml" -inf "$WORK/fan-watchers.csv" \
      -t u1 -i 127.0.0.1 -p "$WATCH_PORT" "127.0.0.1:$2" -m "$count" -r "$FANOUT_SUBSCRIBE_RATE" -l $((count + 10)) \
      -buff_size "$SIPP_BUFFER" -trace_logs -trace_err -nostdin >sipp.out 2>sipp.err) &
  WATCH_PID=$!
  disown "$WATCH_PID"
  bench_track_group "$WATCH_PID"
}
watch_log() { compgen -G "$WATCH_DIR/presence-watcher_*_logs.log" | head -n1 || true; }
# watchers that have their first NOTIFY (distinct Call-IDs in the log)
watchers_up() {
  local f; f="$(watch_log)"; [[ -n "$f" ]] || { echo 0; return; }
  awk -F'|' '/^notify / {split($3, a, " "); print a[1]}' "$f" | sort -u | wc -l
}
stop_group_var() {   # stop_group_var VAR: stops the process group whose leader pid VAR holds, empties VAR
  local g=${!1}
  [[ -n "$g" ]] || return 0
  stop_group "$g"; bench_untrack_group "$g"; printf -v "$1" '%s' ""
}
start_sink() {   # start_sink NAME RUN: answers NOTIFYs on the mass watchers' port
  # a directory per sink: sink_count reads the one log file in it, and with two mass runs an earlier
  # sink's log beside it was read instead whenever its PID sorted first (0 NOTIFYs counted in results 075454, 104043 and 220645 of 2026-12-07)
  SINK_DIR="$WORK/sink-$1-$2"; mkdir -p "$SINK_DIR"
  (cd "$SINK_DIR" && exec setsid timeout 7200 sipp -sf "$BENCH_DIR/presence-notify-sink.xml" -t u1 -i 127.0.0.1 \
      -p "$MASS_PORT" -buff_size "$SIPP_BUFFER" -trace_logs -trace_err -nostdin >sipp.out 2>sipp.err) &
  SINK_PID=$!
  disown "$SINK_PID"
  bench_track_group "$SINK_PID"
  sleep 1
}
sink_count() {
  local f; f="$(compgen -G "$SINK_DIR/presence-notify-sink_*_logs.log" | head -n1 || true)"
  [[ -n "$f" ]] || { echo 0; return; }
  grep -c '^notify ' "$f" || true
}

# ---- the phases, the same for both servers -------------------------------------------------------------
# Each appends to $WORK/<phase>.txt one block or line per server; NAME is parley or kamailio, LABEL the
# CPU column's name (jvm, kam), PORT the server's SIP port.
declare -A BEST STOP FIG

phase_publish() {   # NAME LABEL PORT
  ramp "$1-publish" "$3" "$2" "$BENCH_DIR/presence-publish.xml" "$WORK/users.csv" "$PUB_RATES" \
    "initial modify refresh remove" initial modify refresh remove
  BEST[$1-publish]="$RAMP_BEST"; STOP[$1-publish]="$RAMP_STOP"
}

phase_seed() {   # NAME LABEL PORT: one lasting publication per user, closed loop
  log "$1: seeding one publication per user ($USERS, $SEED_CONCURRENCY in flight)"
  CALLS_IN_FLIGHT=$SEED_CONCURRENCY run_step "$WORK/$1-seed" "$WORK/presence-seed.xml" "$WORK/users.csv" 0 "$USERS" 600 "$3" initial
  local -a f; read -r -a f <<<"$STEP_RESULT"
  if [[ "${f[0]}" == NOSTATS ]]; then
    note "$1: seeding produced no SIPp statistics (exit ${f[1]})"
  else
    FIG[$1-seed]="${f[1]} of ${f[0]} publications at ${f[4]}/s, ${f[2]} failed"
    [[ "${f[2]}" -eq 0 ]] || note "$1: ${f[2]} seed publications failed: $(first_error "$WORK/$1-seed")"
  fi
}

phase_subscribe() {   # NAME LABEL PORT
  ramp "$1-subscribe" "$3" "$2" "$BENCH_DIR/presence-subscribe.xml" "$WORK/subs.csv" "$SUB_RATES" \
    "407 subscribe unsubscribe" challenge subscribe unsubscribe
  BEST[$1-subscribe]="$RAMP_BEST"; STOP[$1-subscribe]="$RAMP_STOP"
}

# fanout_run NAME KIND SCENARIO: one publisher run against the subscribed watchers; appends its line
fanout_run() {
  local name=$1 kind=$2 scenario=$3 port=$4 count=$5 dir="$WORK/$1-fanout-$2" wlog offset
  wlog="$(watch_log)"; offset=$(stat -c %s "$wlog")
  mkdir -p "$dir"
  local s0 s1 w0 w1 hb0 ht0 hb1 ht1 t0=$SECONDS u0 u1
  s0=$(proc_ticks $(server_pids)); w0=$(proc_ticks $(ps -o pid= -s "$WATCH_PID")); read -r hb0 ht0 < <(host_ticks)
  u0="$(udp_drops "$port") $(udp_drops "$WATCH_PORT")"
  log "$name: fan-out $kind, $((count + 1)) changes to $WATCHERS_UP watchers"
  (cd "$dir" && timeout $((count * (FANOUT_INTERVAL_MS / 1000 + 5) + 60)) sipp -sf "$scenario" -inf "$WORK/fan-pub.csv" \
     -t u1 -i 127.0.0.1 -p "$FANPUB_PORT" "127.0.0.1:$port" -m 1 -recv_timeout 30000 \
     -trace_logs -trace_err -trace_stat -stf stat.csv -fd 1 -nostdin >sipp.out 2>sipp.err) || true
  # wait for the NOTIFYs: until every watcher has the last change, or no new NOTIFY for 5 s, or --fanout-timeout
  local deadline=$((SECONDS + FANOUT_TIMEOUT)) size=-1 n quiet=0
  while [[ $SECONDS -lt $deadline ]]; do
    n=$(tail -c +$((offset + 1)) "$wlog" | awk -v last="|change $count|" '$2 " " $3 == last {print $4}' | sort -u | wc -l)
    [[ "$n" -lt "$WATCHERS_UP" ]] || break
    if [[ "$(stat -c %s "$wlog")" -eq "$size" ]]; then quiet=$((quiet + 1)); [[ $quiet -lt 10 ]] || break
    else quiet=0; size=$(stat -c %s "$wlog"); fi
    sleep 0.5
  done
  s1=$(proc_ticks $(server_pids)); w1=$(proc_ticks $(ps -o pid= -s "$WATCH_PID")); read -r hb1 ht1 < <(host_ticks)
  u1="$(udp_drops "$port") $(udp_drops "$WATCH_PORT")"
  local elapsed=$((SECONDS - t0)); [[ $elapsed -gt 0 ]] || elapsed=1
  local cpu
  cpu="$(awk -v d=$((s1 - s0)) -v w=$((w1 - w0)) -v hz="$CLK_TCK" -v e="$elapsed" -v b=$((hb1 - hb0)) -v t=$((ht1 - ht0)) -v n="$NPROC" \
    'BEGIN {printf "%.0f/%.0f/%.0f", d / hz * 100 / e, w / hz * 100 / e, t ? b * 100 * n / t : 0}')"
  local plog; plog="$(compgen -G "$dir/*_logs.log" | head -n1 || true)"
  if [[ -z "$plog" ]]; then
    printf '%-9s %-7s %s\n' "$name" "$kind" "the publisher logged nothing (see --keep: $dir)" >>"$WORK/fanout.txt"
    note "$name fan-out $kind: $(first_error "$dir")"
    return
  fi
  local r; r="$(python3 "$BENCH_DIR/bench_tools.py" fanout "$wlog" "$offset" "$plog" "$WATCHERS_UP")"
  local -A v; local kv
  for kv in $r; do v[${kv%%=*}]=${kv#*=}; done
  FIG[$name-fanout-$kind]="$r"
  printf '%-9s %-7s %8s %7s %8s %6s %5s %4s %7s | %5s / %5s | %5s / %5s | %5s / %5s | %8s %8s | %-13s %s\n' "$name" "$kind" \
    "$WATCHERS_UP" "${v[changes]}" "${v[notifies]}" "${v[unseen]}" "${v[stale]}" "${v[lost]}" "${v[repeated]}" "${v[ok_p50]}" "${v[ok_max]}" \
    "${v[first_p50]}" "${v[first_max]}" "${v[last_p50]}" "${v[last_max]}" "${v[seconds]}" "${v[rate]}" "$cpu" \
    "$(awk -v a="$u0" -v b="$u1" 'BEGIN {split(a, x, " "); split(b, y, " "); printf "%d/%d", y[1] - x[1], y[2] - x[2]}')" \
    >>"$WORK/fanout.txt"
  tail -n1 "$WORK/fanout.txt" >&2
  [[ "${v[lost]}" -eq 0 ]] || note "$name fan-out $kind: ${v[lost]} watchers got no NOTIFY of the last change within ${FANOUT_TIMEOUT}s (or 5 s without a new NOTIFY)"
  [[ "${v[stale]}" -eq 0 ]] || note "$name fan-out $kind: for ${v[stale]} watchers the NOTIFY with the highest CSeq carried an older change than the last one"
  [[ "${v[stray]}" -eq 0 ]] || note "$name fan-out $kind: ${v[stray]} NOTIFYs carried a change this run did not publish"
  grep -q 'Failed call *| *0 *| *0' "$dir/sipp.out" 2>/dev/null || note "$name fan-out $kind: the publisher's call failed: $(first_error "$dir")"
}

phase_fanout() {   # NAME LABEL PORT
  local name=$1 port=$3 count deadline t0
  count=$(($(wc -l <"$WORK/fan-watchers.csv") - 1))
  log "$name: $count fan-out watchers subscribe at $FANOUT_SUBSCRIBE_RATE/s"
  t0="$(date +%s.%N)"
  start_watchers "$name" "$port"
  deadline=$((SECONDS + 60 + count / FANOUT_SUBSCRIBE_RATE))
  while [[ "$(watchers_up)" -lt "$count" && $SECONDS -lt $deadline ]]; do
    kill -0 "$WATCH_PID" 2>/dev/null || break
    sleep 0.5
  done
  WATCHERS_UP="$(watchers_up)"
  FIG[$name-fanout-subscribed]="$WATCHERS_UP of $count watchers subscribed in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s"
  if [[ "$WATCHERS_UP" -lt "$count" ]]; then
    note "$name: only $WATCHERS_UP of $count fan-out watchers got their first NOTIFY: $(first_error "$WATCH_DIR")"
  fi
  if [[ "$WATCHERS_UP" -gt 0 ]]; then
    sleep 2
    fanout_run "$name" spaced "$WORK/fanout-spaced.xml" "$port" "$FANOUT_SPACED"
    fanout_run "$name" burst "$WORK/fanout-burst.xml" "$port" "$FANOUT_BURST"
  fi
  stop_group_var WATCH_PID
}

mibq() { if is_int "$1"; then mib "$1"; else echo "?"; fi; }
# mem_reading NAME WHEN: "heap_or_shm_kib rss_or_pss_kib" after settling; for Parley also the heap
# histogram into $WORK/parley-histogram-WHEN.txt
mem_reading() {
  log "$1: waiting ${SETTLE_SECONDS}s for finished transactions to go, then reading memory"
  sleep "$SETTLE_SECONDS"
  if [[ "$1" == parley ]]; then
    jvm_histogram "$WORK/parley-histogram-$2.txt"
    echo "$(jvm_heap_used_kb) $(rss_kb)"
  else
    local used
    used="$(kamcmd -s "unix:$WORK/kamailio.ctl" core.shmmem 2>/dev/null | awk '$1 == "used:" {print int($2 / 1024)}' || true)"
    echo "${used:-?} $(kamailio_pss_kb)"
  fi
}

phase_mass() {   # NAME LABEL PORT: one run per --mass-concurrency value, memory around the first
  local name=$1 port=$3 run
  for run in "${!MASS_RUNS[@]}"; do
    [[ "$run" -eq 0 ]] || stop_group_var SINK_PID   # the sink holds the mass watchers' port
    mass_run "$name" "$port" "$run"
  done
  mass_best "$name"
  if [[ "$LOADED_RATE" -gt 0 ]]; then
    local n0 u0 dir="$WORK/$name-loaded"
    local -a f
    n0="$(sink_count)"
    log "$name: PUBLISH at $LOADED_RATE calls/s for ${LOADED_SECONDS}s with the subscriptions in place"
    u0="$(udp_drops "$port") $(udp_drops "$MASS_PORT")"
    run_step "$dir" "$BENCH_DIR/presence-publish.xml" "$WORK/loaded.csv" "$LOADED_RATE" $((LOADED_RATE * LOADED_SECONDS)) \
      "$LOADED_SECONDS" "$port" initial modify refresh remove
    sleep 5   # NOTIFYs of the last calls
    FIG[$name-loaded-drops]="$(awk -v a="$u0" -v b="$(udp_drops "$port") $(udp_drops "$MASS_PORT")" \
      'BEGIN {split(a, x, " "); split(b, y, " "); printf "%d/%d", y[1] - x[1], y[2] - x[2]}')"
    read -r -a f <<<"$STEP_RESULT"
    if [[ "${f[0]}" == NOSTATS ]]; then
      printf '%-9s %s\n' "$name" "no statistics from SIPp (exit ${f[1]}); see --keep" >>"$WORK/loaded.txt"
    else
      local notifies=$(($(sink_count) - n0))
      FIG[$name-loaded-rate]="${f[4]}"
      printf '%-9s %6s %6s %8s | %5s / %5s | %5s / %5s | %5s / %5s | %5s / %5s | %8s %8s | %s\n' "$name" "${f[0]}" "${f[2]}" \
        "${f[4]}" "${f[5]}" "${f[6]}" "${f[7]}" "${f[8]}" "${f[9]}" "${f[10]}" "${f[11]}" "${f[12]}" \
        "$notifies" "$((f[1] * 3 * MASS_ALL_WATCHERS))" "${f[13]}/${f[14]}/${f[15]}" >>"$WORK/loaded.txt"
      tail -n1 "$WORK/loaded.txt" >&2
      [[ "${f[2]}" -eq 0 ]] || note "$name loaded PUBLISH: ${f[2]} calls failed: $(first_error "$dir")"
    fi
  fi
  stop_group_var SINK_PID
}
# mass_run NAME PORT RUN: run RUN of the mass phase at MASS_RUNS[RUN] in flight, a line in mass.txt; the
# memory is read before and after the first run only (later runs add as many subscriptions again)
mass_run() {
  local name=$1 port=$2 run=$3 before="" after="" c=${MASS_RUNS[$3]}
  [[ "$run" -gt 0 ]] || before="$(mem_reading "$name" before)"
  log "$name: $MASS_SUBS subscriptions ($MASS_PRESENTITIES presentities x $MASS_WATCHERS watchers, $c in flight)"
  local u0; u0=$(udp_drops "$port")
  [[ "$name" == parley && "$JFR" -eq 1 ]] && bench_jfr_start
  run_mass "$WORK/$name-mass-$run" "$port" "$c" "$WORK/mass-$run.csv"
  [[ "$name" == parley && "$JFR" -eq 1 ]] && bench_jfr_stop "Parley mass subscriptions, $MASS_SUBS closed loop, $c in flight" "${STEP_RESULT%% *}"
  FIG[$name-mass-drops]="${FIG[$name-mass-drops]:+${FIG[$name-mass-drops]}/}$(($(udp_drops "$port") - u0))"
  local -a f; read -r -a f <<<"$STEP_RESULT"
  if [[ "${f[0]}" == NOSTATS ]]; then
    printf '%-9s %4s %s\n' "$name" "$c" "no statistics from SIPp (exit ${f[1]}); see --keep" >>"$WORK/mass.txt"
    return
  fi
  start_sink "$name" "$run"
  local ok=${f[1]} b_mem="" b_rss="" a_mem="" a_rss="" per_mem="" per_rss=""
  if [[ "$run" -eq 0 ]]; then
    after="$(mem_reading "$name" after)"
    read -r b_mem b_rss <<<"$before"; read -r a_mem a_rss <<<"$after"
    per_mem="$(awk -v a="$a_mem" -v b="$b_mem" -v n="$ok" 'BEGIN {if (a == "?" || b == "?" || n == 0) print "?"; else printf "%.0f", (a - b) * 1024 / n}')"
    per_rss="$(awk -v a="$a_rss" -v b="$b_rss" -v n="$ok" 'BEGIN {if (n == 0) print "?"; else printf "%.0f", (a - b) * 1024 / n}')"
    FIG[$name-mass-per]="$per_mem"
    if [[ -s "$WORK/$name-histogram-before.txt" && -s "$WORK/$name-histogram-after.txt" && "$ok" -gt 0 ]]; then
      python3 "$BENCH_DIR/bench_tools.py" histo-diff "$WORK/$name-histogram-before.txt" "$WORK/$name-histogram-after.txt" \
        "$ok" 15 >"$WORK/$name-histogram.txt" || true
    fi
    b_mem="$(mibq "$b_mem")"; a_mem="$(mibq "$a_mem")"; b_rss="$(mibq "$b_rss")"; a_rss="$(mibq "$a_rss")"
  fi
  # only runs without failures compete for the best
  if [[ "${f[2]}" -eq 0 ]] && awk -v r="${f[4]}" -v b="${FIG[$name-mass-rate]:-0}" 'BEGIN {exit !(r + 0 > b + 0)}'; then
    FIG[$name-mass-rate]="${f[4]}"; FIG[$name-mass-best]="$c"
  fi
  printf '%-9s %4s %8s %6s %8s | %5s / %5s | %7s %7s %6s | %7s %7s %6s | %s\n' "$name" "$c" "$ok" "${f[2]}" "${f[4]}" \
    "${f[7]}" "${f[8]}" "${b_mem:--}" "${a_mem:--}" "${per_mem:--}" "${b_rss:--}" "${a_rss:--}" "${per_rss:--}" \
    "${f[9]}/${f[10]}/${f[11]}" >>"$WORK/mass.txt"
  tail -n1 "$WORK/mass.txt" >&2
  [[ "${f[2]}" -eq 0 ]] || note "$name mass at $c in flight: ${f[2]} subscriptions failed: $(first_error "$WORK/$name-mass-$run")"
}

# mass_best NAME: the line naming NAME's best run (highest subs/s without failures)
mass_best() {
  printf '%-9s best: %s subs/s at %s in flight\n' "$1" "${FIG[$1-mass-rate]:-n/a}" "${FIG[$1-mass-best]:-n/a}" >>"$WORK/mass-best.txt"
  tail -n1 "$WORK/mass-best.txt" >&2
}

# run_mass DIR PORT CONCURRENCY CSV: the mass subscriptions from the mass watchers' port, closed loop
run_mass() {
  local dir=$1 port=$2
  bench_sipp "$dir" "$MASS_TIMEOUT" -sf "$WORK/presence-hold.xml" -inf "$4" -t u1 -i 127.0.0.1 -p "$MASS_PORT" \
      "127.0.0.1:$port" -r 100000 -m "$MASS_SUBS" -l "$3" -recv_timeout "$RECV_TIMEOUT_MS" -buff_size "$SIPP_BUFFER" \
      -timeout "${MASS_TIMEOUT}s" -trace_stat -stf stat.csv -fd 1 -trace_rtt -rtt_freq "$(rtt_freq "$MASS_SUBS" 2000)" \
      -trace_err -nostdin
  [[ -s "$dir/stat.csv" ]] || { STEP_RESULT="NOSTATS $SIPP_RC"; return; }
  local rtt; rtt="$(compgen -G "$dir/*_rtt.csv" | head -n1 || true)"
  STEP_RESULT="$(python3 "$BENCH_DIR/bench_tools.py" step "$dir/stat.csv" "${rtt:-/nonexistent}" challenge subscribe) $SRV_CPU $SIPP_CPU $HOST_CPU $SIPP_RC"
}

run_phases() {   # NAME LABEL PORT
  local load; load="$(cut -d' ' -f1-3 /proc/loadavg)"
  FIG[$1-load]="$load"
  [[ "$DO_PUBLISH" -eq 0 ]] || phase_publish "$@"
  if [[ "$DO_SUBSCRIBE" -eq 1 || "$DO_FANOUT" -eq 1 || "$DO_MASS" -eq 1 ]]; then phase_seed "$@"; fi
  [[ "$DO_SUBSCRIBE" -eq 0 ]] || phase_subscribe "$@"
  [[ "$DO_FANOUT" -eq 0 ]] || phase_fanout "$@"
  [[ "$DO_MASS" -eq 0 ]] || phase_mass "$@"
}

printf '%-9s %-7s %8s %7s %8s %6s %5s %4s %7s | %13s | %13s | %13s | %8s %8s | %-13s %s\n' server run watchers changes NOTIFYs unseen \
  stale lost retrans "200 p50/max" "first p50/max" "last p50/max" seconds NOTIFY/s "srv/sipp/host" "drops srv/sipp" >"$WORK/fanout.txt"
printf '%-9s %4s %8s %6s %8s | %13s | %7s %7s %6s | %7s %7s %6s | %s\n' server "in f" subs failed subs/s "subscribe p50/p99" \
  "mem bef" after "B/sub" "rss bef" after "B/sub" "srv/sipp/host" >"$WORK/mass.txt"
: >"$WORK/mass-best.txt"
printf '%-9s %6s %6s %8s | %13s | %13s | %13s | %13s | %8s %8s | %s\n' server calls failed calls/s "initial p50/p99" \
  "modify p50/p99" "refresh p50/99" "remove p50/p99" NOTIFYs expected "srv/sipp/host" >"$WORK/loaded.txt"

# ---- Parley ----------------------------------------------------------------------------------------
log "starting Parley (SIP $SIP_PORT, HTTP $((SIP_PORT + 20))); log: $WORK/server-parley.log"
export PARLEY_PRESENCE_NOTIFY_MIN_INTERVAL_MS="$NOTIFY_INTERVAL_MS"
bench_start_server "$WORK/data-parley" "$WORK/server-parley.log" "$SIP_PORT"
bench_note_java
SERVER_CHECK_PID=$SERVER_PID
RSS_START=$(rss_kb)
log "creating $USERS users over the admin API and storing their pres-rules over XCAP"
bench_create_users "$USERS" pres "$WORK/parley-users.csv" || { tail -n 20 "$WORK/server-parley.log" >&2; die "could not create the users"; }
FIG[parley-users]="$(python3 "$BENCH_DIR/bench_tools.py" xcap-put "http://127.0.0.1:$HTTP_PORT" "$USERS" pres pres-rules \
  "$BENCH_DIR/presence-rules.xml" 8)" || { tail -n 20 "$WORK/server-parley.log" >&2; die "could not store the pres-rules"; }
RSS_USERS=$(rss_kb)
run_phases parley jvm "$SIP_PORT"
kill -0 "$SERVER_PID" 2>/dev/null || note "Parley's JVM was gone at the end (see --keep: server-parley.log)"
RSS_LINE="Parley JVM RSS: $(mib "$RSS_START") after start, $(mib "$RSS_USERS") after the users and their pres-rules, $(mib "$(rss_kb)") at the end (peak $(mib "$(hwm_kb)"))"
grep -E ' ERROR | SEVERE |Exception' "$WORK/server-parley.log" | head -n 5 >"$WORK/parley-errors.txt" || true
bench_stop_server

# ---- Kamailio --------------------------------------------------------------------------------------
KAM_STATUS=""
KAM_LINE=""
if [[ "$KAMAILIO" != no ]]; then
  if [[ "$KAMAILIO" == install ]] && ! { command -v kamailio && command -v sqlite3 \
       && compgen -G '/usr/lib/*/kamailio/modules/presence.so'; } >/dev/null 2>&1; then
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
      log "installing $KAMAILIO_PACKAGES with apt-get"
      # shellcheck disable=SC2086
      DEBIAN_FRONTEND=noninteractive apt-get install -y $KAMAILIO_PACKAGES >"$WORK/apt-kamailio.log" 2>&1 \
        || note "apt-get install $KAMAILIO_PACKAGES failed (see --keep: apt-kamailio.log)"
    else
      note "--install-kamailio needs root and apt-get"
    fi
  fi
  KAM_MODULES="$(compgen -G '/usr/lib/*/kamailio/modules' | head -n1 || true)"
  if ! command -v kamailio >/dev/null 2>&1; then
    KAM_STATUS="Kamailio: not installed (Debian packages $KAMAILIO_PACKAGES; --install-kamailio installs them as root); Parley figures alone."
  elif [[ -z "$KAM_MODULES" || ! -e "$KAM_MODULES/presence.so" || ! -e "$KAM_MODULES/db_sqlite.so" ]] || ! command -v sqlite3 >/dev/null 2>&1; then
    KAM_STATUS="Kamailio: the presence or SQLite modules or sqlite3 are missing (Debian packages kamailio-presence-modules, kamailio-sqlite-modules, sqlite3); Parley figures alone."
  else
    # the database: Kamailio's own schema, and one pres-rules document per user (doc_type 2 = pres-rules)
    KAM_DB="$WORK/kamailio.sqlite"
    KAM_SQL="$(compgen -G '/usr/share/kamailio/db_sqlite' | head -n1 || true)"
    if [[ -z "$KAM_SQL" ]] || ! cat "$KAM_SQL/standard-create.sql" "$KAM_SQL/presence-create.sql" | sqlite3 "$KAM_DB" 2>"$WORK/kamailio-db.log" \
        || ! python3 - "$KAM_DB" "$BENCH_DIR/presence-rules.xml" "$USERS" 2>>"$WORK/kamailio-db.log" <<'EOF'
import sqlite3, sys
db, rules, users = sys.argv[1], sys.argv[2], int(sys.argv[3])
template = open(rules, encoding="utf-8").read()
c = sqlite3.connect(db)
rows = []
for i in range(1, users + 1):
    user = f"pres{i:05d}"
    aor = f"sip:{user}@localhost"
    rows.append((user, "localhost", template.replace("{aor}", aor).encode("utf-8"), 2, f"bench-{i}", 0,
                 f"/xcap-root/pres-rules/users/{aor}/index", 0))
c.executemany("INSERT INTO xcap (username, domain, doc, doc_type, etag, source, doc_uri, port) VALUES (?,?,?,?,?,?,?,?)", rows)
c.commit()
EOF
    then
      KAM_STATUS="Kamailio: could not create its SQLite database (see --keep: kamailio-db.log); Parley figures alone."
    else
      sed -e "s/LISTEN_PORT/$KAM_PORT/g; s/CHILDREN/$KAMAILIO_CHILDREN/g; s/AUTH_SECRET/$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')/" \
          -e "s#DB_URL#sqlite:///$KAM_DB#g; s#CTL_SOCKET#$WORK/kamailio.ctl#g" \
        "$BENCH_DIR/kamailio-presence.cfg" >"$WORK/kamailio.cfg"
      log "starting Kamailio on 127.0.0.1:$KAM_PORT ($KAMAILIO_CHILDREN children, $KAMAILIO_SHM MiB shared memory)"
      if ! bench_kamailio_start "$WORK/kamailio.cfg" "$KAM_PORT" "$WORK/kamailio.log" "$KAMAILIO_SHM"; then
        KAM_STATUS="Kamailio: failed to start (see --keep: kamailio.log); Parley figures alone."
      else
        SERVER_PIDS_CMD='kamailio_pids'
        SERVER_CHECK_PID=$KAM_PID
        PSS_START=$(kamailio_pss_kb)
        run_phases kamailio kam "$KAM_PORT"
        kill -0 "$KAM_PID" 2>/dev/null || note "Kamailio was gone at the end (see --keep: kamailio.log)"
        # what Kamailio logged as errors, most frequent first (e.g. NOTIFYs it could not send)
        grep -E ' (ERROR|CRITICAL|BUG): ' "$WORK/kamailio.log" | sed -E 's/^ *[0-9]+\([0-9]+\) //' | sort | uniq -c \
          | sort -rn | head -n 6 >"$WORK/kamailio-errors.txt" || true
        KAM_LINE="Kamailio memory: $(mib "$PSS_START") PSS after start, $(mib "$(kamailio_pss_kb)") at the end, summed over its $(kamailio_pids | wc -l) processes (-m $KAMAILIO_SHM MiB shared, -M 16 MiB private each)"
        SERVER_PIDS_CMD=""
        KAM_STATUS="Kamailio: $KAM_VERSION, $KAMAILIO_CHILDREN children, bench/kamailio-presence.cfg (presence + presence_xml, pres-rules from SQLite)"
        bench_kamailio_stop
      fi
    fi
  fi
else
  KAM_STATUS="Kamailio: skipped (--no-kamailio)"
fi
HAVE_KAM=0; [[ "$KAM_STATUS" == "Kamailio: kamailio"* ]] && HAVE_KAM=1

# ---- report ----------------------------------------------------------------------------------------
ratio() {   # ratio A B: A / B with two decimals, or n/a
  awk -v a="$1" -v b="$2" 'BEGIN {if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else printf "n/a"}'
}
fig() {   # fig KEY FIELD: a key=value field of a FIG entry
  local kv
  for kv in ${FIG[$1]:-}; do [[ "${kv%%=*}" != "$2" ]] || { echo "${kv#*=}"; return; }; done
  echo "n/a"
}
best_rate() { local b=${BEST[$1]:-}; echo "${b%% *}"; }
ramp_block() {   # ramp_block PHASE
  local srv
  for srv in parley kamailio; do
    [[ -f "$WORK/ramp-$srv-$1.txt" ]] || continue
    if [[ $srv == parley ]]; then echo "Parley (embedded H2), load average at start: ${FIG[parley-load]}"
    else echo "$KAM_STATUS, load average at start: ${FIG[kamailio-load]}"; fi
    cat "$WORK/ramp-$srv-$1.txt"
    echo "  highest passing: $(best_rate "$srv-$1" || true)${BEST[$srv-$1]:+/s} (${STOP[$srv-$1]})"
    echo
  done
}

REPORT="$WORK/report.txt"
{
  echo "Parley presence benchmark, $(date '+%Y-%m-%d %H:%M:%S %Z')"
  bench_header u1
  echo "           SIPp and the server share these CPUs; 'host' is the whole machine's busy share (100 % = one"
  echo "           CPU); busy beyond server + sipp is other work and makes the figures lower."
  echo "parley:    presence.notify.min-interval-ms=$NOTIFY_INTERVAL_MS (0: every change notified)"
  echo "users:     $USERS (pres00001 ..), each with one pres-rules document: a domain-wide allow rule"
  echo "           (bench/presence-rules.xml; over XCAP for Parley: ${FIG[parley-users]:-?})."
  [[ "$QUICK" -eq 0 ]] || echo "           --quick: a short run with small counts."
  echo "           $KAM_STATUS"
  echo
  if [[ "$DO_PUBLISH" -eq 1 ]]; then
    echo "== 1. PUBLISH (bench/presence-publish.xml, UDP) =="
    echo "   a call = initial PUBLISH -> 407 -> PUBLISH with MD5 digest -> 200, then modify (new body), refresh"
    echo "   (no body) and remove (Expires 0) with SIP-If-Match -> 200 each: 4 PUBLISHes answered 200 per call."
    echo "   ${STEP_SECONDS}s per step after a ${WARMUP_SECONDS}s warm-up at $WARMUP_RATE/s; a step passes with < 0.1 % failed calls"
    echo "   and >= $MIN_ACHIEVED_PERCENT % of its rate. ms at SIPp's 1 ms resolution ('<1' = under 1 ms), each PUBLISH -> its 200."
    echo
    ramp_block publish
  fi
  if [[ "$DO_SUBSCRIBE" -eq 1 ]]; then
    echo "== 2. SUBSCRIBE cycles (bench/presence-subscribe.xml, UDP) =="
    echo "   first one lasting publication per user (seed; Parley: ${FIG[parley-seed]:-?}; Kamailio: ${FIG[kamailio-seed]:-n/a})."
    echo "   a call = SUBSCRIBE -> 407 -> SUBSCRIBE with digest -> 200 -> NOTIFY (PIDF) -> 200, unSUBSCRIBE (Expires 0)"
    echo "   -> 200 -> NOTIFY (terminated) -> 200; watcher user i, presentity user i + $((USERS / 2)). '407' = first"
    echo "   SUBSCRIBE -> 407, 'subscribe' = authenticated SUBSCRIBE -> initial NOTIFY, 'unsubscribe' = unSUBSCRIBE ->"
    echo "   final NOTIFY (ms). Steps as in 1."
    echo
    ramp_block subscribe
  fi
  if [[ "$DO_FANOUT" -eq 1 ]]; then
    echo "== 3a. NOTIFY fan-out: one presentity (pres00001), $FANOUT_WATCHERS watchers =="
    echo "   the watchers subscribe from one SIPp (bench/presence-watcher.xml, $FANOUT_SUBSCRIBE_RATE/s) and stay; then one call"
    echo "   (bench/presence-fanout-publish.xml) publishes 'change 0' and changes it K times: 'spaced' one change"
    echo "   every ${FANOUT_INTERVAL_MS} ms (K = $FANOUT_SPACED), 'burst' back to back, each PUBLISH sent when the previous one's 200"
    echo "   is in (K = $FANOUT_BURST). 'NOTIFYs' = distinct NOTIFYs (Call-ID, CSeq) that carried one of the run's changes;"
    echo "   'unseen' = (watcher, change) pairs that no NOTIFY carried: a notifier may skip a state that another"
    echo "   change replaced before it built the NOTIFY, so that is no loss by itself; 'stale' = watchers whose"
    echo "   NOTIFY with the highest CSeq does not carry the last change (left with an older state: NOTIFYs"
    echo "   built in another order than the changes); 'lost' = watchers that no NOTIFY of the last change"
    echo "   reached; 'retrans' = NOTIFYs received again."
    echo "   ms from each PUBLISH sent: to its 200, to its first and to its last NOTIFY at any watcher (p50 and max"
    echo "   over the changes; wall clock, microseconds, across two SIPp processes). 'seconds' = first PUBLISH sent"
    echo "   -> last NOTIFY received; NOTIFY/s = NOTIFYs / seconds. CPU over the publisher's run and the wait"
    echo "   for its NOTIFYs; 'sipp' is the watchers' SIPp. 'drops' = UDP datagrams the kernel dropped meanwhile"
    echo "   because the server's socket / the watchers' SIPp's socket had a full receive buffer (/proc/net/udp):"
    echo "   a dropped NOTIFY or 200 costs a retransmission (500 ms), seen in 'last' and 'retrans'. SIPp's"
    echo "   buffers are $SIPP_BUFFER bytes (capped by net.core.rmem_max)."
    echo "   watchers subscribed: Parley ${FIG[parley-fanout-subscribed]:-?}; Kamailio ${FIG[kamailio-fanout-subscribed]:-n/a}"
    cat "$WORK/fanout.txt"
    echo
  fi
  if [[ "$DO_MASS" -eq 1 ]]; then
    echo "== 3b. Mass subscriptions: $MASS_PRESENTITIES presentities x $MASS_WATCHERS watchers = $MASS_SUBS subscriptions =="
    [[ "$MASS_SUBS" -ge 200000 ]] || echo "   (scaled down from 10,000 x 20 = 200,000 with --mass-presentities / --mass-watchers)"
    echo "   SUBSCRIBE -> 407 -> SUBSCRIBE with digest -> 200 -> NOTIFY -> 200 per call, the subscription then stays"
    echo "   (Expires 3600); closed loop, one run per number of calls in flight ('in f': $MASS_CONCURRENCY), all from"
    echo "   one SIPp port; in run r (0 ..) presentity p is watched by the $MASS_WATCHERS users after the first r x $MASS_WATCHERS"
    echo "   after it, so that each run makes subscriptions of its own. 'subscribe' = authenticated SUBSCRIBE ->"
    echo "   initial NOTIFY (ms). Memory around the first run only: ${SETTLE_SECONDS}s after the previous phase and after"
    echo "   its last subscription (so that finished transactions are gone), per subscription = (after - before) /"
    echo "   subscriptions, bytes:"
    echo "   Parley: 'mem' = Java heap in use after a full GC (jcmd GC.run, GC.heap_info), 'rss' = the JVM's RSS."
    echo "   Kamailio: 'mem' = shared memory in use (kamcmd core.shmmem), 'rss' = PSS summed over its processes."
    cat "$WORK/mass.txt"
    sed 's/^/   /' "$WORK/mass-best.txt"
    echo "   UDP datagrams dropped at the server's socket (full receive buffer) during each run: Parley"
    echo "   ${FIG[parley-mass-drops]:-?}, Kamailio ${FIG[kamailio-mass-drops]:-n/a}"
    if [[ -s "$WORK/parley-histogram.txt" ]]; then
      echo "   Where Parley's bytes per subscription are (jcmd GC.class_histogram after minus before, the largest):"
      cat "$WORK/parley-histogram.txt"
    fi
    if [[ "$LOADED_RATE" -gt 0 ]]; then
      echo
      echo "   PUBLISH with those subscriptions in place: bench/presence-publish.xml at $LOADED_RATE calls/s for ${LOADED_SECONDS}s,"
      echo "   presentities pres00002 .. in order; NOTIFYs received by a SIPp answering on the watchers' port;"
      echo "   expected = 3 x $MASS_ALL_WATCHERS per call (initial, modify, remove change the state; refresh does not)."
      cat "$WORK/loaded.txt"
      echo "   UDP datagrams dropped meanwhile at the server's / the answering SIPp's socket: Parley"
      echo "   ${FIG[parley-loaded-drops]:-?}, Kamailio ${FIG[kamailio-loaded-drops]:-n/a}"
    fi
    echo
  fi
  echo "== Ratios Parley / Kamailio (target in the issue: >= 1.2; reported, not asserted) =="
  if [[ "$HAVE_KAM" -eq 1 ]]; then
    printf '   %-44s %10s %10s %8s\n' scenario Parley Kamailio ratio
    if [[ "$DO_PUBLISH" -eq 1 ]]; then
      printf '   %-44s %10s %10s %8s\n' "PUBLISH calls/s (x4 PUBLISH), highest passing" "$(best_rate parley-publish)" \
        "$(best_rate kamailio-publish)" "$(ratio "$(best_rate parley-publish)" "$(best_rate kamailio-publish)")"
    fi
    if [[ "$DO_SUBSCRIBE" -eq 1 ]]; then
      printf '   %-44s %10s %10s %8s\n' "SUBSCRIBE cycles/s, highest passing" "$(best_rate parley-subscribe)" \
        "$(best_rate kamailio-subscribe)" "$(ratio "$(best_rate parley-subscribe)" "$(best_rate kamailio-subscribe)")"
    fi
    if [[ "$DO_FANOUT" -eq 1 ]]; then
      local_p="$(fig parley-fanout-burst rate)"; local_k="$(fig kamailio-fanout-burst rate)"
      printf '   %-44s %10s %10s %8s\n' "fan-out NOTIFY/s (burst)" "$local_p" "$local_k" "$(ratio "$local_p" "$local_k")"
      local_p="$(fig parley-fanout-spaced last_p50)"; local_k="$(fig kamailio-fanout-spaced last_p50)"
      printf '   %-44s %10s %10s %8s\n' "fan-out PUBLISH -> last NOTIFY p50 ms (spaced)*" "$local_p" "$local_k" "$(ratio "$local_k" "$local_p")"
    fi
    if [[ "$DO_MASS" -eq 1 ]]; then
      printf '   %-44s %10s %10s %8s\n' "mass SUBSCRIBE calls/s (closed loop), best run" "${FIG[parley-mass-rate]:-n/a}" \
        "${FIG[kamailio-mass-rate]:-n/a}" "$(ratio "${FIG[parley-mass-rate]:-}" "${FIG[kamailio-mass-rate]:-}")"
      printf '   %-44s %10s %10s %8s\n' "memory per subscription, bytes*" "${FIG[parley-mass-per]:-n/a}" \
        "${FIG[kamailio-mass-per]:-n/a}" "$(ratio "${FIG[kamailio-mass-per]:-}" "${FIG[parley-mass-per]:-}")"
    fi
    if [[ "$DO_MASS" -eq 1 && "$LOADED_RATE" -gt 0 ]]; then
      printf '   %-44s %10s %10s %8s\n' "PUBLISH calls/s with the subscriptions (of $LOADED_RATE)" "${FIG[parley-loaded-rate]:-n/a}" \
        "${FIG[kamailio-loaded-rate]:-n/a}" "$(ratio "${FIG[parley-loaded-rate]:-}" "${FIG[kamailio-loaded-rate]:-}")"
    fi
    echo "   * lower is better: the ratio is Kamailio / Parley, so > 1 means Parley is better there too."
    echo "   Where a ramp stopped at the last rate tried ('all rates passed'), or with sipp or host near its limit,"
    echo "   the ratio is the bench's limit, not the servers'."
  else
    echo "   none: $KAM_STATUS"
  fi
  echo
  echo "$RSS_LINE"
  [[ -z "$KAM_LINE" ]] || echo "$KAM_LINE"
  echo "  (JVM options in the header ('jvm opts'); a heap faulted in at start (AlwaysPreTouch) is in the RSS from the start.)"
  if [[ -s "$WORK/parley-errors.txt" ]]; then
    echo; echo "first errors in Parley's log:"; sed 's/^/  /' "$WORK/parley-errors.txt" | cut -c1-300
  fi
  if [[ -s "$WORK/kamailio-errors.txt" ]]; then
    echo; echo "errors in Kamailio's log (count, message; the most frequent):"; sed 's/^/  /' "$WORK/kamailio-errors.txt" | cut -c1-300
  fi
  if [[ -s "$NOTES" ]]; then echo; echo "notes:"; sed 's/^/  /' "$NOTES"; fi
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$REPORT"

bench_show_report presence
