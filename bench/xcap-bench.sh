#!/usr/bin/env bash
# XCAP benchmark for Parley's XDM server: with U users each owning a resource-lists document of one
# list of E entries (default 10,000 x 100),
#   1. load: PUT every document (documents/s, p50/p99);
#   2. GET of a whole document of a random user (requests/s, p50/p99) at each --concurrency;
#   3. conditional PUT: GET (learn the ETag) then PUT of one <entry> with If-Match (PUTs/s, p50/p99,
#      412 share) at each --concurrency; and the same with every client on one document (contended);
# on the embedded H2 database and on a throw-away PostgreSQL cluster. Load generator: wrk with
# bench/xcap-wrk.lua. Loopback only. It reports; it never asserts. Run with --help for the options.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_NAME=xcap-bench
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

# ---- defaults --------------------------------------------------------------------------------------
USERS=10000
ENTRIES=100
CONCURRENCY="8 32 64"
STEP_SECONDS=10
WARMUP_SECONDS=5
LOAD_CONCURRENCY=8
LOAD_TIMEOUT=900
CONTENDED=1
H2=1
POSTGRES=auto
PORT_BASE=35060
KEEP=0
NO_BUILD=0
WRITE_RESULTS=1
RESULTS_DIR="$BENCH_DIR/results"
START_TIMEOUT=300
WRK_TIMEOUT=10s
PREFIX=xcap

usage() {
  cat <<EOF
Usage: bench/xcap-bench.sh [options]

XCAP (RFC 4825) on Parley's XDM server, HTTP on 127.0.0.1, every request authenticated as the document's
owner with HTTP Basic (user ${PREFIX}00001 .. with password pw-<name>, created over the admin API):
 load       PUT /xcap-root/resource-lists/users/sip:<user>@localhost/index for every user, a
            resource-lists document with one list "friends" of --entries entries, --load-concurrency
            clients; documents/s and p50/p99.
 get        GET of a random user's whole document, for --seconds at each level of --concurrency
            (closed loop: each client sends its next request when the answer is in); requests/s, p50/p99.
 put        GET of a random user's document to learn its ETag, then PUT of one <entry> element
            (application/xcap-el+xml, .../~~/resource-lists/list[@name="friends"]/entry[@uri="..."])
            with If-Match: that ETag; an existing entry replaced, or one of --entries/10 extra ones
            added the first time. PUTs/s (answered, 412 included), p50/p99 of the PUTs and of the GETs,
            the 412 share (~0 expected: clients rarely pick the same document at once).
 contended  the same with every client on one document (${PREFIX}00001's): the 412 share under contention.
On the embedded H2 database, then on a throw-away PostgreSQL cluster when pg_ctl and initdb are found.
Load generator: wrk (Debian package wrk) with bench/xcap-wrk.lua. Prints tables and writes them to
bench/results/xcap-<date>-<time>.txt.

Options (defaults in brackets):
  --users U                 users, one document each                    [$USERS]
  --entries E               entries in each document's list             [$ENTRIES]
  --concurrency "C1 C2 .."  client connections for get/put/contended    [$CONCURRENCY]
  --seconds S               length of each measured step                [$STEP_SECONDS]
  --warmup-seconds S        unreported put and get warm-up before the steps, each [$WARMUP_SECONDS]
  --load-concurrency C      clients while loading the documents         [$LOAD_CONCURRENCY]
  --load-timeout S          longest the load phase may take             [$LOAD_TIMEOUT]
  --quick                   1000 users, --seconds 5, --concurrency "8 32" (options after it override)
  --no-contended            skip the contended variant
  --no-h2 | --no-postgres   skip a database
  --port-base P             Parley SIP P (TLS P+1, WS P+6, HTTP P+20, HTTPS P+21, WSS P+22),
                            PostgreSQL P+70                             [$PORT_BASE]
  --results-dir DIR         where the result file goes                  [bench/results]
  --no-results              do not write a result file
  --keep                    keep the temporary directory (server logs, wrk output, PostgreSQL logs)
  --no-build                run the last build (a copy of server/target taken at the start) instead
                            of ./parley start
  -h, --help                this text

Needs: wrk (4.x with LuaJIT; as root: apt-get install wrk), python3, curl, ss, and what ./parley needs.
Optional: PostgreSQL server binaries (Debian package postgresql). Everything listens on and talks to
127.0.0.1 only; everything started is stopped and the temporary directory removed on exit.
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --users) USERS="$2"; shift 2 ;;
    --entries) ENTRIES="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --seconds) STEP_SECONDS="$2"; shift 2 ;;
    --warmup-seconds) WARMUP_SECONDS="$2"; shift 2 ;;
    --load-concurrency) LOAD_CONCURRENCY="$2"; shift 2 ;;
    --load-timeout) LOAD_TIMEOUT="$2"; shift 2 ;;
    --quick) USERS=1000; STEP_SECONDS=5; CONCURRENCY="8 32"; shift ;;
    --no-contended) CONTENDED=0; shift ;;
    --no-h2) H2=0; shift ;;
    --no-postgres) POSTGRES=no; shift ;;
    --port-base) PORT_BASE="$2"; shift 2 ;;
    --results-dir) RESULTS_DIR="$2"; shift 2 ;;
    --no-results) WRITE_RESULTS=0; shift ;;
    --keep) KEEP=1; shift ;;
    --no-build) NO_BUILD=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "xcap-bench: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

for v in "$USERS" "$ENTRIES" "$STEP_SECONDS" "$WARMUP_SECONDS" "$LOAD_CONCURRENCY" "$LOAD_TIMEOUT" "$PORT_BASE"; do
  is_int "$v" || die "not a whole number: '$v'"
done
for c in $CONCURRENCY; do is_int "$c" && [[ "$c" -ge 1 && "$c" -le 1000 ]] || die "not a concurrency between 1 and 1000: '$c'"; done
[[ -n "${CONCURRENCY// /}" ]] || die "--concurrency is empty"
[[ "$USERS" -ge 1 && "$USERS" -le 99999 ]] || die "--users must be between 1 and 99999"
[[ "$ENTRIES" -ge 1 && "$ENTRIES" -le 999 ]] || die "--entries must be between 1 and 999"
[[ "$STEP_SECONDS" -ge 1 && "$STEP_SECONDS" -le 600 ]] || die "--seconds must be between 1 and 600"
[[ "$WARMUP_SECONDS" -le 600 ]] || die "--warmup-seconds must be at most 600"
[[ "$LOAD_CONCURRENCY" -ge 1 && "$LOAD_CONCURRENCY" -le 256 ]] || die "--load-concurrency must be between 1 and 256"
[[ "$LOAD_TIMEOUT" -ge 10 && "$LOAD_TIMEOUT" -le 7200 ]] || die "--load-timeout must be between 10 and 7200"
[[ "$LOAD_CONCURRENCY" -le "$USERS" ]] || LOAD_CONCURRENCY=$USERS
[[ "$H2" -eq 1 || "$POSTGRES" != no ]] || die "nothing to do (--no-h2 and --no-postgres)"
bench_need_tools wrk python3 curl ss
WRK_VERSION="$(wrk -v 2>&1 | head -n1 | sed 's/ Copyright.*//; s/ *$//' || true)"   # wrk -v exits 1
[[ "$WRK_VERSION" =~ ^wrk\ (debian/)?4\. ]] || log "warning: written against wrk 4.1; found: $WRK_VERSION"

SIP_PORT=$PORT_BASE
PG_PORT=$((PORT_BASE + 70))
bench_check_ports $SIP_PORT $((SIP_PORT + 1)) $((SIP_PORT + 6)) $((SIP_PORT + 20)) $((SIP_PORT + 21)) \
  $((SIP_PORT + 22)) $PG_PORT

JAVA=""
if [[ "$NO_BUILD" -eq 1 ]]; then bench_find_java; fi

bench_init parley-xcap-bench
chmod 711 "$WORK"   # PostgreSQL runs as another user and needs to reach its directory in here
NOTES="$WORK/notes.txt"; : >"$NOTES"
if [[ "$NO_BUILD" -eq 1 ]]; then
  # a private copy of the last build: other work in the tree may rebuild server/target while this runs
  mkdir -p "$WORK/build"
  cp -a "$BENCH_ROOT/server/target/classes" "$BENCH_ROOT/server/target/lib" "$WORK/build/" \
    || die "cannot copy the last build from server/target"
  [[ -f "$WORK/build/classes/org/parley/server/Main.class" ]] || die "server/target/classes has no Main.class (a build in progress?)"
  export BENCH_SERVER_CP="$WORK/build/classes:$WORK/build/lib/*"
fi
note() { log "$*"; echo "$*" >>"$NOTES"; }
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- wrk -------------------------------------------------------------------------------------------
# run_wrk DIR MODE THREADS CONNECTIONS SECONDS : wrk with xcap-wrk.lua in its own process group (so
# cleanup can stop it), bounded by SECONDS + 60. Sets WRK (the RESULT line, empty if none), WRK_BAD
# (the first unexpected answer, if any), WRK_RC and the CPU figures SRV_CPU, WRK_CPU, HOST_CPU
# (percent of one CPU) over the run.
run_wrk() {
  local dir=$1 mode=$2 threads=$3 conns=$4 seconds=$5
  mkdir -p "$dir"
  local s0 s1 hb0 ht0 hb1 ht1 t0 t1
  s0=$(proc_ticks $(server_pids)); read -r hb0 ht0 < <(host_ticks); t0=$(date +%s%N)
  WRK_RC=0
  XCAP_MODE=$mode XCAP_USERS=$USERS XCAP_ENTRIES=$ENTRIES XCAP_PREFIX=$PREFIX XCAP_DOMAIN=localhost \
  XCAP_THREADS=$threads XCAP_CONTENDED=1 XCAP_MARKS="$dir" \
  setsid bash -c 'cd "$1" && shift && TIMEFORMAT="%U %S" && { time "$@" >wrk.out 2>wrk.err; } 2>wrk.time' \
    step "$dir" timeout -s INT -k 10 $((seconds + 60)) \
    wrk -t "$threads" -c "$conns" -d "${seconds}s" --timeout "$WRK_TIMEOUT" -s "$BENCH_DIR/xcap-wrk.lua" \
    "http://127.0.0.1:$HTTP_PORT" &
  STEP_PID=$!
  wait "$STEP_PID" || WRK_RC=$?
  STEP_PID=""
  s1=$(proc_ticks $(server_pids)); read -r hb1 ht1 < <(host_ticks); t1=$(date +%s%N)
  local elapsed; elapsed="$(awk -v a="$t0" -v b="$t1" 'BEGIN {e = (b - a) / 1e9; print (e > 0 ? e : 1)}')"
  WRK_CPU="$(awk -v e="$elapsed" '{printf "%.0f", ($1 + $2) * 100 / e}' "$dir/wrk.time" 2>/dev/null || echo "?")"
  SRV_CPU="$(awk -v d=$((s1 - s0)) -v hz="$CLK_TCK" -v e="$elapsed" 'BEGIN {printf "%.0f", d / hz * 100 / e}')"
  HOST_CPU="$(awk -v b=$((hb1 - hb0)) -v t=$((ht1 - ht0)) -v n="$NPROC" 'BEGIN {printf "%.0f", t ? b * 100 * n / t : 0}')"
  WRK="$(grep -m1 '^RESULT ' "$dir/wrk.out" 2>/dev/null || true)"
  WRK_BAD="$(sed -n 's/^FIRST_BAD //p' "$dir/wrk.out" 2>/dev/null | head -n1)"
}
# kv KEY : the value of KEY=... in $WRK
kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $WRK"; }
# ms MICROSECONDS : milliseconds, 2 significant decimals below 10 ms
ms() { awk -v u="$1" 'BEGIN {if (u < 0) print "n/a"; else if (u < 10000) printf "%.2f", u / 1000; else printf "%.0f", u / 1000}'; }
rate() { awk -v n="$1" -v us="$2" 'BEGIN {printf "%.0f", (us > 0 ? n * 1e6 / us : 0)}'; }
share() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a * 100 / b : 0)}'; }

# ---- one database ----------------------------------------------------------------------------------
LOAD_TABLE="$WORK/load.txt"
STEP_TABLE="$WORK/steps.txt"
MEM_LINES="$WORK/mem.txt"; : >"$MEM_LINES"
printf '%-10s %6s %7s %9s | %8s %7s | %9s %6s %8s %8s %6s | %14s\n' database users entries "doc bytes" "users/s" seconds \
  "docs/s" failed "p50 ms" "p99 ms" seconds "jvm/wrk/host %" >"$LOAD_TABLE"
printf '%-10s %-9s %7s | %8s %8s %8s | %7s %7s %6s | %15s | %14s\n' database test clients "req/s" "p50 ms" "p99 ms" \
  "ok/s" "412" "412 %" "GET p50/p99 ms" "jvm/wrk/host %" >"$STEP_TABLE"

# step_line DB TEST CLIENTS : one row of the step table from $WRK
step_line() {
  local db=$1 test=$2 clients=$3 dur n p50 p99 ok p412 bad errs getcol="-" okcol="-" c412="-" s412="-"
  if [[ -z "$WRK" ]]; then
    printf '%-10s %-9s %7s | %s\n' "$db" "$test" "$clients" "no result from wrk (exit $WRK_RC); see --keep" >>"$STEP_TABLE"
    tail -n1 "$STEP_TABLE" >&2
    return
  fi
  dur="$(kv duration_us)"
  errs=$(( $(kv sock_errors) + $(kv timeouts) ))
  if [[ "$test" == get ]]; then
    n="$(kv requests)"; p50="$(kv wrk_p50_us)"; p99="$(kv wrk_p99_us)"; bad="$(kv status_errors)"
  else
    ok="$(kv put_ok)"; p412="$(kv put_412)"; bad=$(( $(kv put_bad) + $(kv get_bad) ))
    n=$((ok + p412 + $(kv put_bad)))
    p50="$(kv put_p50_us)"; p99="$(kv put_p99_us)"
    okcol="$(rate "$ok" "$dur")"; c412="$p412"; s412="$(share "$p412" "$n")"
    getcol="$(ms "$(kv get_p50_us)") / $(ms "$(kv get_p99_us)")"
  fi
  printf '%-10s %-9s %7s | %8s %8s %8s | %7s %7s %6s | %15s | %14s\n' "$db" "$test" "$clients" "$(rate "$n" "$dur")" \
    "$(ms "$p50")" "$(ms "$p99")" "$okcol" "$c412" "$s412" "$getcol" "$SRV_CPU/$WRK_CPU/$HOST_CPU" >>"$STEP_TABLE"
  tail -n1 "$STEP_TABLE" >&2
  if [[ "$bad" -ne 0 || "$errs" -ne 0 ]]; then
    note "$db $test $clients clients: $bad unexpected answers or lost requests, $errs socket errors/timeouts${WRK_BAD:+; first: $WRK_BAD}"
  fi
}

# db_size NAME : the database's size on disk after the load
db_size() {
  if [[ "$1" == h2 ]]; then
    du -sk "$WORK/data-h2" 2>/dev/null | awk '{printf "%.0f MiB (the whole data directory)", $1 / 1024}'
  else
    "$PG_PSQL" -h 127.0.0.1 -p "$PG_PORT" -U parley -d parley -Atc \
      "select pg_size_pretty(pg_database_size('parley')) || ' (pg_database_size)'" 2>/dev/null || echo "?"
  fi
}

run_database() {   # run_database NAME
  local db=$1
  log "starting Parley ($db; HTTP $((SIP_PORT + 20))); log: $WORK/server-$db.log"
  bench_start_server "$WORK/data-$db" "$WORK/server-$db.log" "$SIP_PORT"
  bench_note_java
  local rss_start rss_loaded; rss_start=$(rss_kb)

  log "$db: creating $USERS users over the admin API"
  local created
  created="$(python3 "$BENCH_DIR/bench_tools.py" users "http://127.0.0.1:$HTTP_PORT" "$TOKEN" "$USERS" "$PREFIX" \
      "$WORK/users-$db.csv" 8 2>&1)" || { echo "$created" >&2; tail -n 20 "$WORK/server-$db.log" >&2; die "could not create the users"; }
  log "$db: $created"
  echo "$db: $created (admin API, 8 clients)" >>"$WORK/users.txt"

  log "$db: loading $USERS documents of $ENTRIES entries ($LOAD_CONCURRENCY clients)"
  local load="$WORK/$db-load"
  run_wrk "$load" load "$LOAD_CONCURRENCY" "$LOAD_CONCURRENCY" "$LOAD_TIMEOUT"
  local docbytes seconds
  docbytes="$(curl -s -o "$WORK/$db-doc.xml" -w '%{size_download}' -u "${PREFIX}00001:pw-${PREFIX}00001" \
    "http://127.0.0.1:$HTTP_PORT/xcap-root/resource-lists/users/sip:${PREFIX}00001@localhost/index" || echo "?")"
  local n_entries; n_entries="$( (grep -o '<entry ' "$WORK/$db-doc.xml" 2>/dev/null || true) | wc -l)"
  [[ "$n_entries" -eq "$ENTRIES" ]] || note "$db: ${PREFIX}00001's document has $n_entries entries after the load, not $ENTRIES"
  if [[ -z "$WRK" ]]; then
    printf '%-10s %s\n' "$db" "no result from wrk (exit $WRK_RC); see --keep" >>"$LOAD_TABLE"
    tail -n 20 "$WORK/server-$db.log" >&2
    die "$db: the load phase failed"
  fi
  seconds="$(awk -v u="$(kv load_us)" 'BEGIN {printf "%.1f", u / 1e6}')"
  printf '%-10s %6s %7s %9s | %8s %7s | %9s %6s %8s %8s %6s | %14s\n' "$db" "$USERS" "$ENTRIES" "$docbytes" \
    "$(sed -n 's/.*(\([0-9]*\)\/s).*/\1/p' <<<"$created")" "$(sed -n 's/.* in \([0-9.]*\) s .*/\1/p' <<<"$created")" \
    "$(rate "$(kv put_ok)" "$(kv load_us)")" "$((USERS - $(kv put_ok)))" \
    "$(ms "$(kv put_p50_us)")" "$(ms "$(kv put_p99_us)")" "$seconds" "$SRV_CPU/$WRK_CPU/$HOST_CPU" >>"$LOAD_TABLE"
  tail -n1 "$LOAD_TABLE" >&2
  [[ "$(kv put_ok)" -eq "$USERS" ]] || note "$db: only $(kv put_ok) of $USERS documents loaded${WRK_BAD:+; first failure: $WRK_BAD}"
  echo "$db: $(db_size "$db") after the load" >>"$WORK/sizes.txt"
  rss_loaded=$(rss_kb)

  if [[ "$WARMUP_SECONDS" -gt 0 ]]; then
    log "$db: warm-up, ${WARMUP_SECONDS}s put and ${WARMUP_SECONDS}s get at 8 clients (not reported)"
    run_wrk "$WORK/$db-warmup-put" put 8 8 "$WARMUP_SECONDS"
    run_wrk "$WORK/$db-warmup-get" get "$(( NPROC < 8 ? NPROC : 8 ))" 8 "$WARMUP_SECONDS"
  fi
  local c
  eval "LOADAVG_$db=\"\$(cut -d' ' -f1-3 /proc/loadavg)\""
  for c in $CONCURRENCY; do
    log "$db: get, $c clients, ${STEP_SECONDS}s"
    # stateless: wrk's own event loop multiplexes the connections, one thread per CPU
    run_wrk "$WORK/$db-get-$c" get "$(( NPROC < c ? NPROC : c ))" "$c" "$STEP_SECONDS"
    step_line "$db" get "$c"
  done
  for c in $CONCURRENCY; do
    log "$db: put (GET + conditional PUT), $c clients, ${STEP_SECONDS}s"
    run_wrk "$WORK/$db-put-$c" put "$c" "$c" "$STEP_SECONDS"
    step_line "$db" put "$c"
  done
  if [[ "$CONTENDED" -eq 1 ]]; then
    for c in $CONCURRENCY; do
      log "$db: contended (all clients on ${PREFIX}00001's document), $c clients, ${STEP_SECONDS}s"
      run_wrk "$WORK/$db-contended-$c" contended "$c" "$c" "$STEP_SECONDS"
      step_line "$db" contended "$c"
    done
  fi
  echo "Parley JVM RSS ($db): $(mib "$rss_start") after start, $(mib "$rss_loaded") after the load, $(mib "$(rss_kb)") at the end (peak $(mib "$(hwm_kb)"))" >>"$MEM_LINES"
  bench_stop_server
}

PG_LINE=""
if [[ "$H2" -eq 1 ]]; then run_database h2; fi
if [[ "$POSTGRES" != no ]]; then
  if bench_pg_start "$WORK/pg" "$PG_PORT"; then
    export PARLEY_DB_URL="$PG_URL" PARLEY_DB_USER=parley PARLEY_DB_PASSWORD=bench
    run_database postgresql
    unset PARLEY_DB_URL PARLEY_DB_USER PARLEY_DB_PASSWORD
    PG_LINE="PostgreSQL: $PG_VERSION, throw-away cluster, default settings (fsync on, synchronous_commit on)"
  else
    PG_LINE="$PG_STATUS; H2 figures alone."
    note "$PG_LINE"
  fi
else
  PG_LINE="PostgreSQL: skipped (--no-postgres)"
fi

# ---- report ----------------------------------------------------------------------------------------
REPORT="$WORK/report.txt"
{
  echo "Parley XCAP benchmark, $(date '+%Y-%m-%d %H:%M:%S %Z')"
  echo "commit:    $(bench_commit)"
  echo "java:      ${BENCH_JAVA_VERSION:-?}"
  echo "wrk:       $WRK_VERSION, bench/xcap-wrk.lua; HTTP/1.1 keep-alive, 127.0.0.1 only"
  echo "host:      $NPROC CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load average before: $LOAD_BEFORE"
  echo "           wrk and the server share these CPUs; 'host' is the whole machine's busy share (100 % = one"
  echo "           CPU); busy beyond jvm + wrk is other work and makes the figures lower."
  echo "data:      $USERS users (${PREFIX}00001 ..), each with one resource-lists document: one list \"friends\" of"
  echo "           $ENTRIES entries (<entry uri=\"sip:contact-NNN@example.org\"><display-name>..</display-name></entry>)."
  echo "           Every request authenticates as the document's owner with HTTP Basic (plain HTTP, loopback)."
  echo
  echo "== Load: users over the admin API, then one PUT of the whole document per user, $LOAD_CONCURRENCY clients =="
  echo "   users/s, seconds: user creation. docs/s = documents stored / (first PUT sent -> last answer);"
  echo "   p50/p99: each PUT (ms); failed: not answered 200/201."
  cat "$LOAD_TABLE"
  if [[ -s "$WORK/sizes.txt" ]]; then sed 's/^/   database size /' "$WORK/sizes.txt"; fi
  echo
  echo "== Steps: ${STEP_SECONDS}s each, closed loop (each client sends its next request when the answer is in) =="
  echo "   get:       GET of a random user's whole document. req/s, p50/p99: wrk's (per request)."
  echo "   put:       GET of a random user's document (ETag), then PUT of one <entry> with If-Match. req/s ="
  echo "              PUTs answered per second (200/201 and 412), p50/p99 of those PUTs, ok/s the 200/201s; the"
  echo "              GETs before them in 'GET p50/p99'. A pair takes a GET and a PUT, so the server answers"
  echo "              about twice req/s in all."
  echo "   contended: as put, with every client on ${PREFIX}00001's document; '412 %' = PUTs refused because"
  echo "              another client changed the document between this client's GET and PUT."
  echo "   get uses min(clients, $NPROC) wrk threads; put and contended one wrk thread per client (the"
  echo "   GET -> PUT state is kept per thread). jvm/wrk/host: CPU % over the step, 100 % = one CPU."
  for db in h2 postgresql; do
    v="LOADAVG_$db"; [[ -n "${!v:-}" ]] && echo "   load average at the start of the $db steps: ${!v}"
  done
  cat "$STEP_TABLE"
  echo "   $PG_LINE"
  [[ -s "$WORK/users.txt" ]] && { echo; echo "user creation:"; sed 's/^/  /' "$WORK/users.txt"; }
  echo
  cat "$MEM_LINES"
  echo "  (JVM heap as ./parley start sizes it: max heap = PARLEY_JAVA_OPTS, else half of the RAM of $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) here; RSS mostly says how far the heap grew.)"
  if [[ -s "$NOTES" ]]; then echo; echo "notes:"; sed 's/^/  /' "$NOTES"; fi
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$REPORT"

bench_show_report xcap
