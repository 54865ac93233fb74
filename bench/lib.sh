# Shared parts of the bench/*.sh drivers; sourced, not run. Bash, `set -euo pipefail` assumed.
#
# The caller sets BENCH_NAME (for messages) and KEEP (1 = keep the temporary directory), then calls
# bench_init, which creates $WORK and installs the exit trap. Everything started through the functions
# here (servers, SIPp steps, background helpers registered with bench_track_group) is stopped on exit,
# also on Ctrl-C; bench_on_exit adds a command of the caller's own to run after those are stopped.

BENCH_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_ROOT="$(cd "$BENCH_LIB_DIR/.." && pwd)"
CLK_TCK="$(getconf CLK_TCK)"
NPROC="$(nproc)"
# The JVM options config/README.md ("The JVM", "A server under load") gives a server in production: a fixed
# heap, faulted in at start, so that no request waits while the kernel supplies a page the heap grows into.
# The REGISTER, MESSAGE and presence benches run Parley with them unless PARLEY_JAVA_OPTS is set (set empty:
# no options, the JVM's own defaults), as Kamailio runs with its shared memory given at start (-m).
BENCH_SERVER_JAVA_OPTS="-Xms2g -Xmx2g -XX:+AlwaysPreTouch -XX:+ExitOnOutOfMemoryError"
# Kamailio's UDP workers (--kamailio-children) in the benches that run it: one per CPU. On this project's
# 2-CPU host 2 children passed higher rates than Kamailio's default 8 in the REGISTER, MESSAGE and presence
# benches (bench/README.md, "Session 15", "Kamailio on one worker per CPU").
BENCH_KAMAILIO_CHILDREN="$NPROC"
# the --help line about the server's JVM, for the benches that call bench_server_jvm
BENCH_JVM_HELP="Parley's JVM options: PARLEY_JAVA_OPTS when set (set empty: none), else
$BENCH_SERVER_JAVA_OPTS (BENCH_SERVER_JAVA_OPTS in bench/lib.sh;
config/README.md, \"A server under load\"). Reports print them ('jvm opts')."

die() { echo "$BENCH_NAME: $*" >&2; exit 1; }
log() { echo "$BENCH_NAME: $*" >&2; }
is_int() { [[ "$1" =~ ^[0-9]+$ ]]; }

bench_need_tools() {   # tool...
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' is needed (sipp: sudo apt-get install sip-tester)"
  done
}

bench_check_ports() {   # port... : dies when one is in use (TCP or UDP)
  local p
  for p in "$@"; do
    if ss -Htuln "sport = :$p" | grep -q .; then die "port $p is in use; pick another --port-base"; fi
  done
}

# Sets JAVA to a Java 21+ runtime, for --no-build (running server/target without the launcher).
bench_find_java() {
  [[ -d "$BENCH_ROOT/server/target/classes" && -d "$BENCH_ROOT/server/target/lib" ]] \
    || die "--no-build needs a previous build in server/target (run ./parley once)"
  local candidate major
  JAVA=""
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    [[ -x "$candidate" ]] || continue
    major="$("$candidate" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1)"
    if [[ -n "$major" && "$major" -ge 21 ]]; then JAVA="$candidate"; return; fi
  done
  die "--no-build needs a Java 21+ runtime (JAVA_HOME, PATH or /usr/lib/jvm)"
}

# bench_find_load_java: sets LOAD_JAVA to the java of a JDK 21+ (JAVA_HOME first, then /usr/lib/jvm), whose
# javac builds the load clients that run from source (msrp/MsrpLoad.java, fanout/FanoutLoad.java)
bench_find_load_java() {
  local candidate
  LOAD_JAVA=""
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin"} /usr/lib/jvm/*/bin; do
    if [[ -x "$candidate/java" && -x "$candidate/javac" ]] \
        && "$candidate/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
      LOAD_JAVA="$candidate/java"; return
    fi
  done
  die "no JDK 21+ found for the load client (JAVA_HOME or /usr/lib/jvm)"
}

# ---- temporary state and cleanup -------------------------------------------------------------------
SERVER_PID=""
LAUNCHER_PID=""
STEP_PID=""
STEP_PIDS=""             # the SIPp processes of a bench_sipps step (each a process group)
BENCH_GROUPS=""          # process groups (leader pids) to stop on exit
BENCH_EXIT_HOOKS=()

bench_on_exit() { BENCH_EXIT_HOOKS+=("$1"); }
bench_track_group() { BENCH_GROUPS="$BENCH_GROUPS $1"; }
bench_untrack_group() { BENCH_GROUPS="$(tr ' ' '\n' <<<"$BENCH_GROUPS" | grep -vx "$1" | tr '\n' ' ')"; }

# stop_pid PID [SECONDS]: TERM, wait, then KILL
stop_pid() {
  local pid=$1 limit=$(( ${2:-30} * 5 ))
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 "$limit"); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
}

# stop_group LEADER: TERM the process group, wait up to 10 s, then KILL it
stop_group() {
  local g=$1
  kill -- "-$g" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 -- "-$g" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 -- "-$g" 2>/dev/null || true
}

bench_stop_server() {
  local pid
  for pid in $SERVER_PID $LAUNCHER_PID; do   # the JVM, then the launcher if it is another process
    stop_pid "$pid" 30
  done
  if [[ -n "$LAUNCHER_PID" ]]; then
    kill -- "-$LAUNCHER_PID" 2>/dev/null || true   # anything left in the launcher's own process group
  fi
  SERVER_PID=""
  LAUNCHER_PID=""
}

bench_cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$STEP_PID" ]]; then kill -- "-$STEP_PID" 2>/dev/null || true; fi
  local hook g
  for g in $STEP_PIDS; do kill -- "-$g" 2>/dev/null || true; done
  for g in $BENCH_GROUPS; do stop_group "$g"; done
  bench_stop_server
  for hook in "${BENCH_EXIT_HOOKS[@]}"; do eval "$hook" || true; done
  if [[ "$KEEP" -eq 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$status"
}

# bench_init PREFIX: creates $WORK and installs the traps
bench_init() {
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# ---- Parley ----------------------------------------------------------------------------------------
# bench_start_server DATA_DIR LOG SIP_PORT : starts ./parley start (or, with NO_BUILD=1, the last
# build) on 127.0.0.1 with ports SIP_PORT (UDP/TCP), +1 TLS, +6 WS, +20 HTTP, +21 HTTPS, +22 WSS, a
# random admin token (TOKEN), MD5 offered first and the brute-force limits out of the way. Extra
# PARLEY_* variables exported by the caller reach the server too. Sets SERVER_PID (the JVM),
# HTTP_PORT and TOKEN. START_TIMEOUT seconds to come up (a build included).
bench_start_server() {
  local data=$1 logf=$2 sip=$3
  HTTP_PORT=$((sip + 20))
  TOKEN="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  (
    cd "$BENCH_ROOT"
    export PARLEY_ADMIN_TOKEN="$TOKEN"
    export PARLEY_PARLEY_DOMAIN=localhost
    export PARLEY_DB_URL="${PARLEY_DB_URL:-}"
    export PARLEY_SIP_BIND_ADDRESS=127.0.0.1
    export PARLEY_HTTP_BIND_ADDRESS=127.0.0.1
    export PARLEY_SIP_TLS_PORT=$((sip + 1)) PARLEY_SIP_WS_PORT=$((sip + 6)) PARLEY_SIP_WSS_PORT=$((sip + 22))
    export PARLEY_HTTPS_PORT=$((sip + 21))
    # MSRP listeners off unless the caller chose ports (msrp-bench.sh does): the defaults (2855...) may
    # be taken by another run on the machine, and only the MSRP bench needs them
    export PARLEY_MSRP_TLS_PORT="${PARLEY_MSRP_TLS_PORT-}" PARLEY_MSRP_WSS_PORT="${PARLEY_MSRP_WSS_PORT-}"
    export PARLEY_MSRP_ENDPOINT_TLS_PORT="${PARLEY_MSRP_ENDPOINT_TLS_PORT-}"
    export PARLEY_MSRP_ENDPOINT_WSS_PORT="${PARLEY_MSRP_ENDPOINT_WSS_PORT-}"
    export PARLEY_MSRP_WS_PORT="${PARLEY_MSRP_WS_PORT-}" PARLEY_MSRP_ENDPOINT_WS_PORT="${PARLEY_MSRP_ENDPOINT_WS_PORT-}"
    # auth.algorithms stays the server's default, MD5 alone: what SIPp 3.6.1 answers (MD5 only, the first
    # challenge) and what Kamailio's bench configurations challenge with. Until session 13 the benches
    # offered MD5,SHA-256, an override from before MD5 became the default: a second challenge per 401
    # that no bench client answered.
    # Every request comes from 127.0.0.1; a correct run has no failures, but never let the brute-force
    # protection shape the numbers.
    export PARLEY_AUTH_FAILURES_BEFORE_DELAY=1000000000 PARLEY_AUTH_FAILURES_BEFORE_BLOCK=1000000000
    export PARLEY_AUTH_SOURCE_FAILURES_BEFORE_BLOCK=1000000000 PARLEY_AUTH_ACCOUNT_FAILURES_BEFORE_SLOW=1000000000
    # own session and process group, so that cleanup also reaches a Maven build the launcher may run
    if [[ "${NO_BUILD:-0}" -eq 1 ]]; then
      # what ./parley runs after its build step
      # BENCH_SERVER_CP: another copy of that build (e.g. a snapshot, so a parallel build cannot change it mid-run)
      # the launcher's JVM options too: PARLEY_JAVA_OPTS or its defaults, and Unsafe for Netty on JDK 24+
      local jopts
      read -r -a jopts <<<"${PARLEY_JAVA_OPTS-$(sed -n 's/^DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' ./parley)}"
      if "$JAVA" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
        jopts+=(--sun-misc-unsafe-memory-access=allow)
      fi
      exec setsid "$JAVA" "${jopts[@]}" -cp "${BENCH_SERVER_CP:-server/target/classes:server/target/lib/*}" org.parley.server.Main \
        start --data-dir "$data" --sip-port "$sip" --http-port "$HTTP_PORT"
    fi
    exec setsid ./parley start --data-dir "$data" --sip-port "$sip" --http-port "$HTTP_PORT"
  ) >"$logf" 2>&1 &
  LAUNCHER_PID=$!
  disown "$LAUNCHER_PID"   # no job-status noise from bash when it is stopped
  SERVER_PID=$LAUNCHER_PID

  local deadline=$((SECONDS + ${START_TIMEOUT:-300}))
  until grep -q "Parley is up" "$logf" 2>/dev/null; do
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 30 "$logf" >&2; die "the server exited during start-up"; }
    if grep -q '^Exception in thread "main"' "$logf" 2>/dev/null; then
      tail -n 30 "$logf" >&2; die "the server failed to start"
    fi
    [[ $SECONDS -lt $deadline ]] || { tail -n 30 "$logf" >&2; die "the server did not start within ${START_TIMEOUT:-300}s"; }
    sleep 0.5
  done
  # ./parley execs java, so LAUNCHER_PID normally is the JVM; look it up by its unique data directory anyway.
  local proc jvm=""
  for proc in /proc/[0-9]*; do
    if [[ "$(cat "$proc/comm" 2>/dev/null)" == java ]] \
        && tr '\0' ' ' <"$proc/cmdline" 2>/dev/null | grep -qF -- "--data-dir $data "; then
      jvm="${proc#/proc/}"; break
    fi
  done
  [[ -n "$jvm" ]] || die "cannot find the server's JVM"
  SERVER_PID=$jvm
  sleep 1
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 30 "$logf" >&2; die "the server stopped right after start-up"; }
}

# bench_create_users COUNT PREFIX INJECTION_FILE : users PREFIX00001.. with password pw-<name>
bench_create_users() {
  python3 "$BENCH_LIB_DIR/bench_tools.py" users "http://127.0.0.1:$HTTP_PORT" "$TOKEN" "$1" "$2" "$3" 8 >&2
}

# ---- measurements ----------------------------------------------------------------------------------
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/${1:-$SERVER_PID}/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/${1:-$SERVER_PID}/status" 2>/dev/null || echo 0; }
mib() { awk -v k="$1" 'BEGIN {printf "%.0f MiB", k / 1024}'; }
# CPU time (utime + stime, clock ticks) of the given pids; the comm field must have no spaces
proc_ticks() {
  local pid sum=0 t
  for pid in "$@"; do
    t="$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)"
    sum=$((sum + t))
  done
  echo "$sum"
}
# whole machine: busy and total ticks from /proc/stat
host_ticks() { awk '/^cpu / {idle = $5 + $6; total = 0; for (i = 2; i <= NF; i++) total += $i; print total - idle, total}' /proc/stat; }

# udp_drops PORT... : datagrams the kernel dropped because a socket's receive buffer was full, summed over the
# UDP sockets bound to those local ports (the "drops" column of /proc/net/udp; IPv4). Over loopback, a growing
# count means that receiver fell behind; a socket closed in between takes its count with it.
udp_drops() {
  local ports; ports="$(printf '%04X ' "$@")"
  awk -v ports="$ports" 'NR > 1 { split($2, a, ":"); if (index(ports, a[2] " ")) sum += $NF } END { print sum + 0 }' /proc/net/udp
}

# SERVER_PIDS_CMD: a command printing the pids whose CPU counts as "server" (default: the JVM)
server_pids() { if [[ -n "${SERVER_PIDS_CMD:-}" ]]; then eval "$SERVER_PIDS_CMD"; else echo "$SERVER_PID"; fi; }

# bench_server_jvm : the server's JVM options are BENCH_SERVER_JAVA_OPTS unless PARLEY_JAVA_OPTS is set
bench_server_jvm() {
  export PARLEY_JAVA_OPTS="${PARLEY_JAVA_OPTS-$BENCH_SERVER_JAVA_OPTS}"
}

# bench_sipp DIR SECONDS sipp-args... : runs SIPp in DIR, in the background in its own process group
# (so that a signal reaches the trap at once and cleanup can stop it), bounded by SECONDS + 60.
# Sets SIPP_RC and the CPU figures SRV_CPU, SIPP_CPU, HOST_CPU (percent of one CPU) over the run.
# SIPp's sockets get BENCH_SIPP_BUFFER bytes of kernel buffer (4 MiB; the kernel caps it at
# net.core.rmem_max / wmem_max): one SIPp socket stands for thousands of user agents, and with the
# default ~200 KiB it overflowed within ~30 ms of a server answering a backlog at once (after a pause),
# so the host's receive-buffer drops were SIPp's and the retransmissions they caused the bench's own.
BENCH_SIPP_BUFFER=${BENCH_SIPP_BUFFER:-4194304}

bench_sipp() {
  local dir=$1 seconds=$2; shift 2
  mkdir -p "$dir"
  local s0 s1 hb0 ht0 hb1 ht1 t0=$SECONDS
  s0=$(proc_ticks $(server_pids)); read -r hb0 ht0 < <(host_ticks)
  SIPP_RC=0
  # bash's 'time' gives SIPp's CPU time
  setsid bash -c 'cd "$1" && shift && TIMEFORMAT="%U %S" && { time "$@" >sipp.out 2>sipp.err; } 2>sipp.time' \
    step "$dir" timeout $((seconds + 60)) sipp -buff_size "$BENCH_SIPP_BUFFER" "$@" &
  STEP_PID=$!
  wait "$STEP_PID" || SIPP_RC=$?
  STEP_PID=""
  s1=$(proc_ticks $(server_pids)); read -r hb1 ht1 < <(host_ticks)
  local elapsed=$((SECONDS - t0)); [[ $elapsed -gt 0 ]] || elapsed=1
  SIPP_CPU="$(awk -v e="$elapsed" '{printf "%.0f", ($1 + $2) * 100 / e}' "$dir/sipp.time" 2>/dev/null || echo "?")"
  SRV_CPU="$(awk -v d=$((s1 - s0)) -v hz="$CLK_TCK" -v e="$elapsed" 'BEGIN {printf "%.0f", d / hz * 100 / e}')"
  HOST_CPU="$(awk -v b=$((hb1 - hb0)) -v t=$((ht1 - ht0)) -v n="$NPROC" 'BEGIN {printf "%.0f", t ? b * 100 * n / t : 0}')"
}

# ---- several SIPp processes per step --------------------------------------------------------------------
# One SIPp process (one thread, one socket) sends at most ~12,000 REGISTER calls/s on this host, so a
# server that goes faster is measured against SIPp's limit, not its own. A step of bench_sipps runs N of
# them side by side, each on a port of its own with its own slice of the users (bench_split_inf) and its
# share of the step's rate (bench_split_rate); bench_tools.py steps merges their figures.

# bench_split_rate RATE N I : process I's share of RATE calls/s (0 <= I < N; the remainder goes to the first)
bench_split_rate() { echo $(( $1 / $2 + ($3 < $1 % $2 ? 1 : 0) )); }

# bench_split_inf FILE N : deals the rows of the SIPp injection file FILE (after its first line, SEQUENTIAL
# or RANDOM, which every slice keeps) into N consecutive slices FILE.0 .. FILE.<N-1>; dies when FILE has
# fewer than N rows. With N = 1, FILE.0 is a copy of FILE.
bench_split_inf() {
  local file=$1 n=$2 rows
  rows=$(( $(wc -l <"$file") - 1 ))
  [[ "$rows" -ge "$n" ]] || die "$file has $rows rows, fewer than the $n SIPp processes that should share them"
  awk -v n="$n" -v rows="$rows" -v out="$file" '
    NR == 1 { for (i = 0; i < n; i++) print > (out "." i); next }
    { print > (out "." int((NR - 2) * n / rows)) }' "$file"
}

# bench_sipps DIR SECONDS N ARGS_FUNCTION : like bench_sipp, with N SIPp processes at once, process I in
# DIR/sipp-I with the arguments ARGS_FUNCTION I puts into the array SIPP_ARGS (its port, its injection
# file, its share of the rate...). Each runs in its own process group (STEP_PIDS, stopped on exit). Sets
# SIPP_RC (an exit status other than 0 or 1 of any process, else the highest), SRV_CPU and HOST_CPU over
# the step, and SIPP_CPU summed over the processes (percent of one CPU).
bench_sipps() {
  local dir=$1 seconds=$2 n=$3 args_fn=$4 i pid rc
  local s0 s1 hb0 ht0 hb1 ht1 t0=$SECONDS pids=()
  s0=$(proc_ticks $(server_pids)); read -r hb0 ht0 < <(host_ticks)
  SIPP_RC=0
  for ((i = 0; i < n; i++)); do
    mkdir -p "$dir/sipp-$i"
    SIPP_ARGS=()
    "$args_fn" "$i"
    setsid bash -c 'cd "$1" && shift && TIMEFORMAT="%U %S" && { time "$@" >sipp.out 2>sipp.err; } 2>sipp.time' \
      step "$dir/sipp-$i" timeout $((seconds + 60)) sipp -buff_size "$BENCH_SIPP_BUFFER" "${SIPP_ARGS[@]}" &
    pids+=("$!")
    STEP_PIDS="$STEP_PIDS $!"
  done
  for pid in "${pids[@]}"; do
    rc=0
    wait "$pid" || rc=$?
    if [[ "$SIPP_RC" -gt 1 ]]; then :
    elif [[ "$rc" -gt 1 || "$rc" -gt "$SIPP_RC" ]]; then SIPP_RC=$rc
    fi
  done
  STEP_PIDS=""
  s1=$(proc_ticks $(server_pids)); read -r hb1 ht1 < <(host_ticks)
  local elapsed=$((SECONDS - t0)); [[ $elapsed -gt 0 ]] || elapsed=1
  SIPP_CPU="$(cat "$dir"/sipp-*/sipp.time 2>/dev/null | awk -v e="$elapsed" '{s += $1 + $2} END {printf "%.0f", s * 100 / e}')"
  SRV_CPU="$(awk -v d=$((s1 - s0)) -v hz="$CLK_TCK" -v e="$elapsed" 'BEGIN {printf "%.0f", d / hz * 100 / e}')"
  HOST_CPU="$(awk -v b=$((hb1 - hb0)) -v t=$((ht1 - ht0)) -v n="$NPROC" 'BEGIN {printf "%.0f", t ? b * 100 * n / t : 0}')"
}

# step_verdict RATE CREATED FAILED ACHIEVED RC : prints pass or "FAIL (why)"
# (MAX_FAIL_PERMILLE and MIN_ACHIEVED_PERCENT from the caller)
step_verdict() {
  local rate=$1 created=$2 failed=$3 achieved=$4 rc=$5
  if ! awk -v f="$failed" -v c="$created" -v m="$MAX_FAIL_PERMILLE" 'BEGIN {exit !(c > 0 && f * 1000 < m * c)}'; then
    echo "FAIL (failures)"
  elif ! awk -v a="$achieved" -v r="$rate" -v p="$MIN_ACHIEVED_PERCENT" 'BEGIN {exit !(a * 100 >= p * r)}'; then
    echo "FAIL (rate not reached)"
  elif [[ "$rc" -ne 0 && "$rc" -ne 1 ]]; then
    echo "FAIL (SIPp exit $rc)"
  else
    echo pass
  fi
}

# rtt_freq CALLS WANTED: how often SIPp should write its -trace_rtt file; it writes the rest at exit, but only
# when the file exists already, i.e. after at least one periodic dump
rtt_freq() { local f=$2; [[ $f -le $(($1 / 2)) ]] || f=$(($1 / 2)); [[ $f -ge 1 ]] || f=1; echo "$f"; }

fail_pct() { awk -v f="$1" -v c="$2" 'BEGIN {printf "%.2f", c ? f * 100 / c : 100}'; }

# the report's common header lines: commit, java, sipp, host
bench_header() {
  local commit
  if [[ -n "${BENCH_COMMIT:-}" ]]; then
    commit="$BENCH_COMMIT"   # e.g. when run from an exported copy: say which commit it is
  elif commit="$(git -C "$BENCH_ROOT" rev-parse --short HEAD 2>/dev/null)"; then
    git -C "$BENCH_ROOT" diff --quiet HEAD 2>/dev/null || commit="$commit (working tree has changes)"
  else
    commit="? (not a git checkout: $BENCH_ROOT)"
  fi
  echo "commit:    $commit"
  echo "java:      ${BENCH_JAVA_VERSION:-?}"
  local launcher
  launcher="$(sed -n 's/^DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' "$BENCH_ROOT/parley")"
  if [[ -z "${PARLEY_JAVA_OPTS+set}" ]]; then
    echo "jvm opts:  $launcher (the defaults of ./parley)"
  else
    echo "jvm opts:  ${PARLEY_JAVA_OPTS:-none (PARLEY_JAVA_OPTS set empty: the JVM defaults)}"
  fi
  echo "sipp:      $(sipp -v 2>&1 | grep -o 'SIPp v[^ ]*' | head -n1)  transport $1, 127.0.0.1 only"
  echo "host:      $NPROC CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load average before: $LOAD_BEFORE"
}

# remember the server's java version while it runs (for bench_header)
bench_note_java() { BENCH_JAVA_VERSION="$("/proc/$SERVER_PID/exe" -version 2>&1 | head -n1 || echo '?')"; }

# ---- PostgreSQL (throw-away cluster) ----------------------------------------------------------------
# bench_pg_start DIR PORT : initdb a cluster in DIR (which must not exist; its parent must be reachable by
# other users, e.g. chmod 711 $WORK) and start it on 127.0.0.1:PORT with default settings, as the
# postgres user (or nobody) when we are root; creates database parley (user parley, trust auth) and
# registers its stop with bench_on_exit. Returns 0 and sets PG_BIN, PG_PSQL, PG_VERSION and PG_URL
# (jdbc:postgresql://127.0.0.1:PORT/parley), or returns 1 with PG_STATUS saying why (logs in DIR.*.log).
bench_pg_start() {
  local dir=$1 port=$2 d pg_user
  PG_BIN=""; PG_STATUS=""; PG_URL=""; PG_VERSION=""
  # the directory of the real pg_ctl (Debian links it into /usr/local/bin or /usr/bin without psql next to it)
  for d in "$(dirname "$(readlink -f "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/x)")")" /usr/lib/postgresql/*/bin; do
    if [[ -x "$d/pg_ctl" && -x "$d/initdb" && -x "$d/postgres" ]]; then PG_BIN="$(cd "$d" && pwd -P)"; break; fi
  done
  [[ -n "$PG_BIN" ]] || { PG_STATUS="PostgreSQL: not found (Debian package postgresql)"; return 1; }
  PG_PSQL="$PG_BIN/psql"; [[ -x "$PG_PSQL" ]] || PG_PSQL="$(command -v psql || echo "$PG_BIN/psql")"
  PG_AS=()
  pg_user="$(id -un)"
  if [[ "$(id -u)" -eq 0 ]]; then   # PostgreSQL refuses to run as root
    pg_user=postgres; id "$pg_user" >/dev/null 2>&1 || pg_user=nobody
    PG_AS=(setpriv --reuid="$pg_user" --regid="$(id -g "$pg_user")" --clear-groups)
  fi
  mkdir -p "$dir"; chown "$pg_user" "$dir"
  if ! "${PG_AS[@]}" "$PG_BIN/initdb" -D "$dir/data" -U parley --auth=trust -E UTF8 >"$dir.initdb.log" 2>&1; then
    PG_STATUS="PostgreSQL: initdb failed (see --keep: $(basename "$dir").initdb.log)"; return 1
  fi
  if ! "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
         -o "-p $port -c listen_addresses=127.0.0.1 -k $dir" start >"$dir.start.log" 2>&1; then
    PG_STATUS="PostgreSQL: the cluster did not start (see --keep: $(basename "$dir").start.log)"; return 1
  fi
  BENCH_PG_STOP_DIR="$dir"
  bench_on_exit '"${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$BENCH_PG_STOP_DIR/data" -m fast -w stop >/dev/null 2>&1'
  if ! "${PG_AS[@]}" "$PG_PSQL" -h 127.0.0.1 -p "$port" -U parley -d postgres -q -c 'CREATE DATABASE parley' \
         >"$dir.db.log" 2>&1; then
    PG_STATUS="PostgreSQL: could not create the database (see --keep: $(basename "$dir").db.log)"; return 1
  fi
  PG_VERSION="$("$PG_BIN/postgres" --version 2>/dev/null || echo PostgreSQL)"
  PG_URL="jdbc:postgresql://127.0.0.1:$port/parley"
  return 0
}

# bench_commit : the commit line of a report (BENCH_COMMIT overrides it)
bench_commit() {
  local commit
  if [[ -n "${BENCH_COMMIT:-}" ]]; then
    commit="$BENCH_COMMIT"
  elif commit="$(git -C "$BENCH_ROOT" rev-parse --short HEAD 2>/dev/null)"; then
    git -C "$BENCH_ROOT" diff --quiet HEAD 2>/dev/null || commit="$commit (working tree has changes)"
  else
    commit="? (not a git checkout: $BENCH_ROOT)"
  fi
  echo "$commit"
}

# ---- JVM heap -----------------------------------------------------------------------------------------
# jvm_heap_used_kb [PID]: runs a full GC in the server's JVM (jcmd GC.run, from the JDK the JVM runs on)
# and prints the heap in use afterwards in KiB (jcmd GC.heap_info), or "?" when jcmd is missing.
jvm_heap_used_kb() {
  local pid=${1:-$SERVER_PID} jcmd
  jcmd="$(dirname "$(readlink -f "/proc/$pid/exe")")/jcmd"
  [[ -x "$jcmd" ]] || { echo "?"; return; }
  "$jcmd" "$pid" GC.run >/dev/null 2>&1 || { echo "?"; return; }
  sleep 1
  "$jcmd" "$pid" GC.heap_info 2>/dev/null | grep -m1 -o 'used [0-9]*K' | tr -dc '0-9' || echo "?"
}

# jvm_histogram FILE [PID]: the server JVM's live objects by class (jcmd GC.class_histogram, which runs a
# full GC first) into FILE; nothing when jcmd is missing.
jvm_histogram() {
  local pid=${2:-$SERVER_PID} jcmd
  jcmd="$(dirname "$(readlink -f "/proc/$pid/exe")")/jcmd"
  [[ -x "$jcmd" ]] || return 0
  "$jcmd" "$pid" GC.class_histogram >"$1" 2>/dev/null || true
}

# ---- Kamailio ---------------------------------------------------------------------------------------
KAM_PID=""
# bench_kamailio_start CFG PORT LOG [SHM_MIB] : starts kamailio -DD (foreground with its children, own
# session, tracked for cleanup) with CFG, waits up to 20 s for it to listen on UDP PORT. Sets KAM_PID and
# KAM_VERSION; returns 1 (process stopped, last lines of LOG shown) when it did not come up.
bench_kamailio_start() {
  local cfg=$1 port=$2 logf=$3 shm=${4:-256} deadline
  KAM_VERSION="$(kamailio -v 2>/dev/null | head -n1 | sed 's/^version: *//; s/ *$//')"
  (cd "$(dirname "$cfg")" && exec setsid kamailio -f "$cfg" -DD -E -m "$shm" -M 16 -w "$(dirname "$cfg")" \
     >"$logf" 2>&1) &
  KAM_PID=$!
  disown "$KAM_PID"
  bench_track_group "$KAM_PID"
  deadline=$((SECONDS + 20))
  until ss -Hlun "sport = :$port" | grep -q . || [[ $SECONDS -ge $deadline ]]; do
    kill -0 "$KAM_PID" 2>/dev/null || break
    sleep 0.2
  done
  sleep 1
  if ! kill -0 "$KAM_PID" 2>/dev/null || ! ss -Hlun "sport = :$port" | grep -q .; then
    tail -n 20 "$logf" >&2
    bench_kamailio_stop
    return 1
  fi
}
bench_kamailio_stop() {
  [[ -n "$KAM_PID" ]] || return 0
  stop_group "$KAM_PID"; bench_untrack_group "$KAM_PID"; KAM_PID=""
}
# Kamailio's processes (its session)
kamailio_pids() { ps -o pid= -s "$KAM_PID"; }
# proportional set size summed over Kamailio's processes, KiB: its shared memory is split among the processes
# instead of being counted in each, as RSS would
kamailio_pss_kb() {
  local p v pss=0
  for p in $(kamailio_pids); do
    v="$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)"; pss=$((pss + ${v:-0}))
  done
  echo "$pss"
}

# ---- JFR profiles of measured steps -------------------------------------------------------------------
# A recording made with JAVA_TOOL_OPTIONS from the JVM's start also holds the start-up and the user
# creation (HTTP, the database, TLS key making), which swamp the request path; these record only what
# the caller brackets, e.g. one measured step, and append each step's summary (jfr-summary.py) to
# $WORK/jfr.txt, which bench_show_report then writes next to the result as NAME-<date>-<time>.jfr.txt.
BENCH_JCMD=""
# bench_jfr_start: starts a recording (settings=profile) in the server's JVM ($SERVER_PID)
bench_jfr_start() {
  BENCH_JCMD="$(dirname "$(readlink -f "/proc/$SERVER_PID/exe")")/jcmd"
  # threads' CPU every second (profile's 10 s would give a 10 s step one reading at most)
  "$BENCH_JCMD" "$SERVER_PID" JFR.start name=bench-step settings=profile jdk.ThreadCPULoad#period=1s >/dev/null \
    || log "could not start a JFR recording in $SERVER_PID; this step goes unprofiled"
}
# bench_jfr_stop TITLE [OPERATIONS]: ends the recording and appends its summary, headed "==== TITLE", to
# $WORK/jfr.txt; with OPERATIONS (e.g. the step's calls) the summary gives the heap allocated per operation
bench_jfr_stop() {
  local rec="$WORK/step.jfr"
  # a server that died mid-step has no recording to stop: the report still comes, without its profile
  "$BENCH_JCMD" "$SERVER_PID" JFR.stop name=bench-step filename="$rec" >/dev/null 2>&1 && [[ -s "$rec" ]] \
    || { log "no JFR recording to stop in $SERVER_PID"; return 0; }
  { echo "==== $1"; JAVA_HOME="$(dirname "$(dirname "$BENCH_JCMD")")" python3 "$BENCH_LIB_DIR/jfr-summary.py" "$rec" 20 ${2:-}
  } >>"$WORK/jfr.txt" 2>&1
  rm -f "$rec"
}

# bench_show_report NAME : prints $REPORT and, unless WRITE_RESULTS=0, copies it to
# $RESULTS_DIR/NAME-<date>-<time>.txt, and the profiles of bench_jfr_stop, if any, beside it as .jfr.txt.
bench_show_report() {
  echo
  cat "$REPORT"
  if [[ "$WRITE_RESULTS" -eq 1 ]]; then
    mkdir -p "$RESULTS_DIR"
    local out
    out="$RESULTS_DIR/$1-$(date +%Y%m%d-%H%M%S).txt"
    cp "$REPORT" "$out"
    log "written to $out"
    if [[ -s "$WORK/jfr.txt" ]]; then
      cp "$WORK/jfr.txt" "${out%.txt}.jfr.txt"
      log "JFR summaries written to ${out%.txt}.jfr.txt"
    fi
  fi
}

# Host-wide count of UDP datagrams dropped because a socket's receive buffer was full (/proc/net/snmp,
# RcvbufErrors): read before and after a step, it says whether the server's receive buffer overflowed.
udp_rcvbuf_errors() {
  awk '/^Udp:/ { if (!c) { for (i = 1; i <= NF; i++) if ($i == "RcvbufErrors") c = i } else { print $c; exit } }' /proc/net/snmp
}

# cpu_per_op PERCENT_OF_A_CPU ACHIEVED_PER_SECOND: ms of CPU per operation, two decimals ('-' when none)
cpu_per_op() { awk -v c="$1" -v r="$2" 'BEGIN { if (r > 0 && c ~ /^[0-9.]+$/) printf "%.2f", c * 10 / r; else printf "-" }'; }
