#!/usr/bin/env bash
# chainmap's GraphQL against its own limit (the compiled statement through the bare Go driver); see
# docs/performance.md ("How close to the limit").
#
#   bench/limit/run.sh          (or: make bench-limit, which builds bin/chainmap first)
#
# By default it starts a Neo4j of its own (instance "limit", bolt 7697, http 7484), loads the seeds, serves
# chainmap on 127.0.0.1:8094, runs bench/limit (Go) over bench-peer's questions, prints the table and writes it
# to bench/limit/results/latest.txt, and stops everything it started.
#
# Pointed at an instance that already holds data (100,000 firms, say), it loads nothing and leaves that instance
# running: LIMIT_NEO4J_URI=bolt://127.0.0.1:7689 LIMIT_NEO4J_PASSWORD=chainmap-bench [LIMIT_NEO4J_PID=<java pid>]
# LIMIT_LABEL="100,000 firms". Environment (defaults in brackets):
#   ROUND_SECONDS [8]  ROUNDS [4] (alternating limit, GraphQL)  CLIENTS ["1,20"]  QUESTIONS ["a,b,c,d"]
#   WARMUP_SECONDS [3]   NEO4J_INSTANCE/NEO4J_BOLT_PORT/NEO4J_HTTP_PORT/NEO4J_PASSWORD/NEO4J_ROOT for the own instance
#   CHAINMAP_PORT [8094]  PPROF_PORT [unset: no profile endpoint on chainmap serve]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"

say() { printf '[bench-limit %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

export NEO4J_INSTANCE=${NEO4J_INSTANCE:-limit} NEO4J_BOLT_PORT=${NEO4J_BOLT_PORT:-7697} NEO4J_HTTP_PORT=${NEO4J_HTTP_PORT:-7484}
export NEO4J_PASSWORD=${NEO4J_PASSWORD:-chainmap-limit} NEO4J_HEAP=${NEO4J_HEAP:-1g} NEO4J_PAGECACHE=${NEO4J_PAGECACHE:-512m}
neo4j_root=${NEO4J_ROOT:-$repo/.neo4j}
port=${CHAINMAP_PORT:-8094}
results=$here/results
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-limit.XXXXXX")
label=${LIMIT_LABEL:-seeds}

cm_pid='' neo4j_started=''
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -n "$cm_pid" ] && kill "$cm_pid" 2>/dev/null && wait "$cm_pid" 2>/dev/null || true
  if [ -n "$neo4j_started" ]; then dev/neo4j/neo4j.sh stop >/dev/null 2>&1 || say "could not stop Neo4j (instance $NEO4J_INSTANCE)"; fi
  rm -rf "$work"
  say "stopped everything it started (exit $rc)"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in node go curl; do command -v "$tool" >/dev/null || die "$tool is needed"; done
[ -x bin/chainmap ] || die "bin/chainmap is missing: run make build (make bench-limit does)"
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is in use"; fi
mkdir -p "$results"
node bench/peer/questions.mjs "$work/bodies" >/dev/null
go build -o "$work/limit" ./bench/limit

if [ -n "${LIMIT_NEO4J_URI:-}" ]; then
  export NEO4J_URI=$LIMIT_NEO4J_URI NEO4J_PASSWORD=${LIMIT_NEO4J_PASSWORD:-$NEO4J_PASSWORD}
  neo4j_pid=${LIMIT_NEO4J_PID:-0}
  say "using the Neo4j at $NEO4J_URI as it is (no data loaded)"
else
  export NEO4J_URI=bolt://127.0.0.1:$NEO4J_BOLT_PORT
  say "starting Neo4j (instance $NEO4J_INSTANCE, bolt $NEO4J_BOLT_PORT)"
  if ! dev/neo4j/neo4j.sh status >/dev/null 2>&1; then neo4j_started=1; fi
  dev/neo4j/neo4j.sh start >/dev/null
  neo4j_pid=$(cat "$neo4j_root/$NEO4J_INSTANCE/run/neo4j.pid")
  bin/chainmap migrate >/dev/null
  say "loading the seeds (synthetic data of earlier runs removed)"
  bin/chainmap gen -delete -query-timeout 10m >/dev/null
  bin/chainmap load -query-timeout 10m >/dev/null
fi

pprof=()
[ -n "${PPROF_PORT:-}" ] && pprof=(-pprof-addr "127.0.0.1:$PPROF_PORT")
bin/chainmap serve -host 127.0.0.1 -port "$port" -log-level warn -plan-ahead 0 "${pprof[@]}" >"$results/chainmap.log" 2>&1 &
cm_pid=$!
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null -m 2 "http://127.0.0.1:$port/readyz" 2>/dev/null && break
  kill -0 "$cm_pid" 2>/dev/null || die "chainmap serve exited: see ${results#"$repo"/}/chainmap.log"
  sleep 0.5
done

{
  echo "# chainmap $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- 2>/dev/null || echo +dirty), $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; ${ROUND_SECONDS:-8} s rounds, ${ROUNDS:-4} rounds alternating limit/GraphQL"
  "$work/limit" -uri "$NEO4J_URI" -password "$NEO4J_PASSWORD" -graphql "http://127.0.0.1:$port/graphql" \
    -bodies "$work/bodies" -questions "${QUESTIONS:-a,b,c,d}" -clients "${CLIENTS:-1,20}" \
    -round "${ROUND_SECONDS:-8}s" -rounds "${ROUNDS:-4}" -warmup "${WARMUP_SECONDS:-3}s" \
    -server-pid "$cm_pid" -neo4j-pid "$neo4j_pid" -label "$label"
} | tee "$results/latest.txt"
