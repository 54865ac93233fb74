#!/usr/bin/env bash
# REGISTER-with-digest load benchmark for Parley: starts a throw-away server on loopback, creates users
# through the admin REST API, then drives SIPp (bench/register-digest.xml) at increasing call rates and
# reports the highest rate with < 0.1 % failed calls, its p50/p99 response times and the JVM's RSS.
# It reports; it never asserts. Run with --help for the options.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"

# ---- defaults --------------------------------------------------------------------------------------
RATES="100 200 300 400 600 800 1000 1200 1600 2000 2400 3200"
STEP_SECONDS=10
WARMUP_RATE=200
WARMUP_SECONDS=10
USERS=10000
PORT_BASE=35060
MAX_FAIL_PERMILLE=1          # a step passes with failed calls < 1 per mille (0.1 %)
MIN_ACHIEVED_PERCENT=95      # ... and an achieved call rate >= 95 % of the target
RECV_TIMEOUT_MS=5000
TRANSPORT=u1                 # SIPp transport: u1 = UDP, one socket
KEEP=0
RESULTS_DIR="$BENCH_DIR/results"
NO_BUILD=0
START_TIMEOUT=300            # seconds to wait for the server (includes a build when sources changed)

usage() {
  cat <<EOF
Usage: bench/register-bench.sh [options]

Starts Parley on 127.0.0.1 with a temporary data directory, creates N users over the admin API, runs a
warm-up step, then one SIPp run per rate (REGISTER -> 401 -> REGISTER with MD5 digest -> 200, one
distinct user per call). Stops at the first step with >= 0.1 % failed calls or whose achieved rate is
below ${MIN_ACHIEVED_PERCENT} % of the target (SIPp or the server cannot keep up). Prints a table and a
summary and writes them to bench/results/register-<date>-<time>.txt.

Options (defaults in brackets):
  --rates "R1 R2 ..."     call rates to try, calls/s, ascending     [$RATES]
  --step-seconds S        length of each step                       [$STEP_SECONDS]
  --warmup-rate R         rate of the unreported warm-up step       [$WARMUP_RATE]
  --warmup-seconds S      length of the warm-up step, 0 = none      [$WARMUP_SECONDS]
  --users N               users created and cycled through          [$USERS]
  --port-base P           SIP UDP/TCP port P, TLS P+1, WS P+6, HTTP P+20, HTTPS P+21, WSS P+22 [$PORT_BASE]
  --transport T           SIPp transport: u1 (UDP) or t1 (one TCP connection)  [$TRANSPORT]
  --results-dir DIR       where the result file goes                [bench/results]
  --no-results            do not write a result file
  --keep                  keep the temporary directory (server log, SIPp traces)
  --no-build              run the last build (server/target) directly instead of ./parley start, which
                          rebuilds when sources changed; for a shared tree whose sources are mid-edit
  -h, --help              this text

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
    --results-dir) RESULTS_DIR="$2"; shift 2 ;;
    --no-results) WRITE_RESULTS=0; shift ;;
    --keep) KEEP=1; shift ;;
    --no-build) NO_BUILD=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "register-bench: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "register-bench: $*" >&2; exit 1; }
log() { echo "register-bench: $*" >&2; }
is_int() { [[ "$1" =~ ^[0-9]+$ ]]; }

for v in "$STEP_SECONDS" "$WARMUP_RATE" "$WARMUP_SECONDS" "$USERS" "$PORT_BASE"; do
  is_int "$v" || die "not a whole number: '$v'"
done
for r in $RATES; do is_int "$r" && [[ "$r" -gt 0 ]] || die "not a positive rate: '$r'"; done
[[ "$USERS" -ge 1 && "$USERS" -le 99999 ]] || die "--users must be between 1 and 99999"
[[ "$STEP_SECONDS" -ge 1 && "$STEP_SECONDS" -le 600 ]] || die "--step-seconds must be between 1 and 600"
[[ "$TRANSPORT" == u1 || "$TRANSPORT" == t1 ]] || die "--transport must be u1 or t1"
for tool in sipp python3 curl ss; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is needed (sipp: sudo apt-get install sip-tester)"
done

SIP_PORT=$PORT_BASE
TLS_PORT=$((PORT_BASE + 1))
WS_PORT=$((PORT_BASE + 6))
HTTP_PORT=$((PORT_BASE + 20))
HTTPS_PORT=$((PORT_BASE + 21))
WSS_PORT=$((PORT_BASE + 22))
for p in $SIP_PORT $TLS_PORT $WS_PORT $HTTP_PORT $HTTPS_PORT $WSS_PORT; do
  if ss -Htuln "sport = :$p" | grep -q .; then die "port $p is in use; pick another --port-base"; fi
done

JAVA=""
if [[ "$NO_BUILD" -eq 1 ]]; then
  [[ -d "$ROOT/server/target/classes" && -d "$ROOT/server/target/lib" ]] \
    || die "--no-build needs a previous build in server/target (run ./parley once)"
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    [[ -x "$candidate" ]] || continue
    major="$("$candidate" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1)"
    if [[ -n "$major" && "$major" -ge 21 ]]; then JAVA="$candidate"; break; fi
  done
  [[ -n "$JAVA" ]] || die "--no-build needs a Java 21+ runtime (JAVA_HOME, PATH or /usr/lib/jvm)"
fi

# ---- temporary state and cleanup -------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/parley-bench.XXXXXX")"
SERVER_PID=""
LAUNCHER_PID=""
STEP_PID=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  local pid
  if [[ -n "$STEP_PID" ]]; then kill -- "-$STEP_PID" 2>/dev/null || true; fi
  for pid in $SERVER_PID $LAUNCHER_PID; do   # the JVM, then the launcher if it is another process
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done   # 30 s to stop
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    fi
  done
  if [[ -n "$LAUNCHER_PID" ]]; then
    kill -- "-$LAUNCHER_PID" 2>/dev/null || true   # anything left in the launcher's own process group
  fi
  if [[ "$KEEP" -eq 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0; }
mib() { awk -v k="$1" 'BEGIN {printf "%.0f MiB", k / 1024}'; }
# CPU time of the server in clock ticks (utime + stime; the comm field has no spaces: "java")
jvm_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat" 2>/dev/null || echo 0; }
# whole machine: busy and total ticks from /proc/stat
host_ticks() { awk '/^cpu / {idle = $5 + $6; total = 0; for (i = 2; i <= NF; i++) total += $i; print total - idle, total}' /proc/stat; }
CLK_TCK="$(getconf CLK_TCK)"
NPROC="$(nproc)"

# ---- start the server ------------------------------------------------------------------------------
TOKEN="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
SERVER_LOG="$WORK/server.log"
log "starting Parley (SIP $SIP_PORT, HTTP $HTTP_PORT) with data in $WORK/data; log: $SERVER_LOG"
(
  cd "$ROOT"
  export PARLEY_ADMIN_TOKEN="$TOKEN"
  export PARLEY_PARLEY_DOMAIN=localhost
  export PARLEY_DB_URL=""
  export PARLEY_SIP_BIND_ADDRESS=127.0.0.1
  export PARLEY_HTTP_BIND_ADDRESS=127.0.0.1
  export PARLEY_SIP_TLS_PORT=$TLS_PORT PARLEY_SIP_WS_PORT=$WS_PORT PARLEY_SIP_WSS_PORT=$WSS_PORT
  export PARLEY_HTTPS_PORT=$HTTPS_PORT
  # SIPp 3.6.1 answers only MD5 challenges and uses the first one it gets.
  export PARLEY_AUTH_ALGORITHMS=MD5,SHA-256
  # Every request comes from 127.0.0.1; a correct run has no failures, but never let the brute-force
  # protection shape the numbers.
  export PARLEY_AUTH_FAILURES_BEFORE_DELAY=1000000000 PARLEY_AUTH_FAILURES_BEFORE_BLOCK=1000000000
  # own session and process group, so that cleanup also reaches a Maven build the launcher may run
  if [[ "$NO_BUILD" -eq 1 ]]; then
    # what ./parley runs after its build step
    exec setsid "$JAVA" -cp "server/target/classes:server/target/lib/*" org.parley.server.Main \
      start --data-dir "$WORK/data" --sip-port "$SIP_PORT" --http-port "$HTTP_PORT"
  fi
  exec setsid ./parley start --data-dir "$WORK/data" --sip-port "$SIP_PORT" --http-port "$HTTP_PORT"
) >"$SERVER_LOG" 2>&1 &
LAUNCHER_PID=$!
disown "$LAUNCHER_PID"   # no job-status noise from bash when it is stopped
SERVER_PID=$LAUNCHER_PID

deadline=$((SECONDS + START_TIMEOUT))
until grep -q "Parley is up" "$SERVER_LOG" 2>/dev/null; do
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 30 "$SERVER_LOG" >&2; die "the server exited during start-up"; }
  if grep -q '^Exception in thread "main"' "$SERVER_LOG" 2>/dev/null; then
    tail -n 30 "$SERVER_LOG" >&2; die "the server failed to start"
  fi
  [[ $SECONDS -lt $deadline ]] || { tail -n 30 "$SERVER_LOG" >&2; die "the server did not start within ${START_TIMEOUT}s"; }
  sleep 0.5
done
# ./parley execs java, so LAUNCHER_PID normally is the JVM; look it up by its unique data directory anyway.
JVM_PID=""
for proc in /proc/[0-9]*; do
  if [[ "$(cat "$proc/comm" 2>/dev/null)" == java ]] \
      && tr '\0' ' ' <"$proc/cmdline" 2>/dev/null | grep -qF -- "--data-dir $WORK/data "; then
    JVM_PID="${proc#/proc/}"; break
  fi
done
[[ -n "$JVM_PID" ]] || die "cannot find the server's JVM"
SERVER_PID=$JVM_PID
sleep 1
kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 30 "$SERVER_LOG" >&2; die "the server stopped right after start-up"; }
RSS_START=$(rss_kb)
log "server up (pid $SERVER_PID, RSS $(mib "$RSS_START"))"

# ---- users -----------------------------------------------------------------------------------------
INF="$WORK/users.csv"
log "creating $USERS users over the admin API"
python3 "$BENCH_DIR/bench_tools.py" users "http://127.0.0.1:$HTTP_PORT" "$TOKEN" "$USERS" bench "$INF" 8 >&2 \
  || { tail -n 20 "$SERVER_LOG" >&2; die "could not create the users"; }
RSS_USERS=$(rss_kb)

# ---- one SIPp run ----------------------------------------------------------------------------------
# run_step NAME RATE SECONDS -> sets STEP_RESULT to "created ok failed retrans achieved p50c p99c p50r p99r jvm% sipp% host% rc"
run_step() {
  local name=$1 rate=$2 seconds=$3 dir="$WORK/$1" calls=$(($2 * $3))
  mkdir -p "$dir"
  local j0 h0 h1 j1 rc=0
  j0=$(jvm_ticks); read -r hb0 ht0 < <(host_ticks)
  local t0=$SECONDS
  # In the background, in its own process group, so that a signal reaches cleanup at once and cleanup
  # can stop SIPp; bash's 'time' gives SIPp's CPU time.
  setsid bash -c 'cd "$1" && shift && TIMEFORMAT="%U %S" && { time "$@" >sipp.out 2>sipp.err; } 2>sipp.time' \
    step "$dir" timeout $((seconds + 60)) sipp -sf "$BENCH_DIR/register-digest.xml" -inf "$INF" -t "$TRANSPORT" \
        -i 127.0.0.1 "127.0.0.1:$SIP_PORT" -r "$rate" -m "$calls" -l $((rate * 10 > 1000 ? rate * 10 : 1000)) \
        -recv_timeout "$RECV_TIMEOUT_MS" -timeout $((seconds + 30))s \
        -trace_stat -stf stat.csv -fd 1 -trace_rtt -rtt_freq $((rate * 2)) -trace_err -nostdin &
  STEP_PID=$!
  wait "$STEP_PID" || rc=$?
  STEP_PID=""
  j1=$(jvm_ticks); read -r hb1 ht1 < <(host_ticks)
  local elapsed=$((SECONDS - t0)); [[ $elapsed -gt 0 ]] || elapsed=1
  [[ -s "$dir/stat.csv" ]] || { STEP_RESULT="NOSTATS $rc"; return; }
  local rtt; rtt="$(compgen -G "$dir/*_rtt.csv" | head -n1 || true)"
  local figures; figures="$(python3 "$BENCH_DIR/bench_tools.py" step "$dir/stat.csv" "${rtt:-/nonexistent}")"
  local sipp_cpu; sipp_cpu="$(awk -v e="$elapsed" '{printf "%.0f", ($1 + $2) * 100 / e}' "$dir/sipp.time" 2>/dev/null || echo "?")"
  local jvm_cpu; jvm_cpu="$(awk -v d=$((j1 - j0)) -v hz="$CLK_TCK" -v e="$elapsed" 'BEGIN {printf "%.0f", d / hz * 100 / e}')"
  local host_busy; host_busy="$(awk -v b=$((hb1 - hb0)) -v t=$((ht1 - ht0)) -v n="$NPROC" 'BEGIN {printf "%.0f", t ? b * 100 * n / t : 0}')"
  STEP_RESULT="$figures $jvm_cpu $sipp_cpu $host_busy $rc"
}

# ---- warm-up and ramp ------------------------------------------------------------------------------
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
if [[ "$WARMUP_SECONDS" -gt 0 ]]; then
  log "warm-up: $WARMUP_RATE calls/s for ${WARMUP_SECONDS}s (not reported)"
  run_step warmup "$WARMUP_RATE" "$WARMUP_SECONDS"
fi
RSS_BEFORE=$(rss_kb)

TABLE="$WORK/table.txt"
printf '%7s %8s %7s %6s %6s %7s | %13s | %13s | %4s %4s %5s | %s\n' \
  target achieved calls failed fail% retrans "401 p50/p99" "200 p50/p99" jvm sipp host verdict >"$TABLE"
BEST=""
STOP_REASON="all rates passed; try higher --rates"
for rate in $RATES; do
  log "step: $rate calls/s for ${STEP_SECONDS}s"
  run_step "r$rate" "$rate" "$STEP_SECONDS"   # not in $(...): a signal must reach the trap at once
  line="$STEP_RESULT"
  if [[ "$line" == NOSTATS* ]]; then
    STOP_REASON="SIPp produced no statistics at $rate calls/s (exit ${line#NOSTATS }); see --keep"
    printf '%7s %s\n' "$rate" "no statistics (SIPp exit ${line#NOSTATS })" >>"$TABLE"
    break
  fi
  read -r created ok failed retrans achieved p50c p99c p50r p99r jvm sipp_cpu host rc <<<"$line"
  fail_pct="$(awk -v f="$failed" -v c="$created" 'BEGIN {printf "%.2f", c ? f * 100 / c : 100}')"
  verdict=pass
  if ! awk -v f="$failed" -v c="$created" -v m="$MAX_FAIL_PERMILLE" 'BEGIN {exit !(c > 0 && f * 1000 < m * c)}'; then
    verdict="FAIL (failures)"
  elif ! awk -v a="$achieved" -v r="$rate" -v p="$MIN_ACHIEVED_PERCENT" 'BEGIN {exit !(a * 100 >= p * r)}'; then
    verdict="FAIL (rate not reached)"
  elif [[ "$rc" -ne 0 && "$rc" -ne 1 ]]; then
    verdict="FAIL (SIPp exit $rc)"
  fi
  printf '%7s %8s %7s %6s %6s %7s | %5s / %5s | %5s / %5s | %3s%% %3s%% %4s%% | %s\n' \
    "$rate" "$achieved" "$created" "$failed" "$fail_pct" "$retrans" "$p50c" "$p99c" "$p50r" "$p99r" \
    "$jvm" "$sipp_cpu" "$host" "$verdict" >>"$TABLE"
  tail -n1 "$TABLE" >&2
  if [[ "$verdict" != pass ]]; then STOP_REASON="stopped at $rate calls/s: ${verdict#FAIL }"; break; fi
  BEST="$rate $achieved $p50c $p99c $p50r $p99r"
  kill -0 "$SERVER_PID" 2>/dev/null || { STOP_REASON="the server died"; break; }
done
RSS_AFTER=$(rss_kb)
HWM=$(hwm_kb)

# ---- report ----------------------------------------------------------------------------------------
REPORT="$WORK/report.txt"
{
  echo "Parley REGISTER-with-digest benchmark, $(date '+%Y-%m-%d %H:%M:%S %Z')"
  if commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)"; then
    git -C "$ROOT" diff --quiet HEAD 2>/dev/null || commit="$commit (working tree has changes)"
  else
    commit="? (not a git checkout: $ROOT)"
  fi
  echo "commit:    $commit"
  echo "java:      $("/proc/$SERVER_PID/exe" -version 2>&1 | head -n1 || echo '?')"
  echo "sipp:      $(sipp -v 2>&1 | grep -o 'SIPp v[^ ]*' | head -n1)  transport $TRANSPORT, 127.0.0.1 only"
  echo "host:      $NPROC CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load average before: $LOAD_BEFORE"
  echo "           SIPp and the JVM share these CPUs; 'host' below is the whole machine's busy share"
  echo "           (100 % = one CPU); busy beyond jvm + sipp is other work and makes the figures lower."
  echo "scenario:  bench/register-digest.xml: REGISTER -> 401 -> REGISTER (MD5 digest) -> 200, one call each;"
  echo "           $USERS users cycled in order; ${STEP_SECONDS}s per step after a ${WARMUP_SECONDS}s warm-up at $WARMUP_RATE/s;"
  echo "           a step passes with < 0.1 % failed calls and >= $MIN_ACHIEVED_PERCENT % of the target rate."
  echo "times:     ms, SIPp's 1 ms resolution; '401' = REGISTER -> 401, '200' = authenticated REGISTER -> 200."
  echo
  cat "$TABLE"
  echo
  if [[ -n "$BEST" ]]; then
    read -r b_rate b_achieved b_p50c b_p99c b_p50r b_p99r <<<"$BEST"
    echo "highest passing rate: $b_rate calls/s (achieved $b_achieved/s)"
    echo "  authenticated REGISTER -> 200: p50 $b_p50r ms, p99 $b_p99r ms"
    echo "  REGISTER -> 401 challenge:     p50 $b_p50c ms, p99 $b_p99c ms"
  else
    echo "highest passing rate: none (even the first rate failed)"
  fi
  echo "  ($STOP_REASON)"
  echo "JVM RSS: $(mib "$RSS_START") after start, $(mib "$RSS_USERS") after creating users,"
  echo "         $(mib "$RSS_BEFORE") before the ramp, $(mib "$RSS_AFTER") after it (peak $(mib "$HWM"));"
  echo "         default heap sizing (max heap = 1/4 of RAM, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) here)."
} >"$REPORT"

echo
cat "$REPORT"
if [[ "$WRITE_RESULTS" -eq 1 ]]; then
  mkdir -p "$RESULTS_DIR"
  out="$RESULTS_DIR/register-$(date +%Y%m%d-%H%M%S).txt"
  cp "$REPORT" "$out"
  log "written to $out"
fi
