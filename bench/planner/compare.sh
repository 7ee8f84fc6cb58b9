#!/usr/bin/env bash
# Two chainmap binaries side by side over the same Neo4j, on the three planner queries of graph/bench_test.go:
# alternating rounds (A, B, A, B) with hey, at 1 and 20 clients, so that both meet the same load. Used for the
# before/after figures of docs/performance.md (100,000 synthetic enterprises: `make bench-synthetic` leaves them
# in the instance "bench").
#
#   bench/planner/compare.sh BIN_A BIN_B          e.g. an older build and bin/chainmap
#
# Environment: NEO4J_URI [bolt://127.0.0.1:7689], NEO4J_PASSWORD [chainmap-bench], ROUND_SECONDS [10],
# ROUNDS [2 per binary], CLIENTS ["1 20"]. Serves on 127.0.0.1:8121 and :8122; stops them on exit.
set -euo pipefail
a=${1:?usage: compare.sh BIN_A BIN_B}; b=${2:?usage: compare.sh BIN_A BIN_B}
export NEO4J_URI=${NEO4J_URI:-bolt://127.0.0.1:7689} NEO4J_PASSWORD=${NEO4J_PASSWORD:-chainmap-bench}
secs=${ROUND_SECONDS:-10}; rounds=${ROUNDS:-2}; clients=${CLIENTS:-"1 20"}
work=$(mktemp -d); pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT
# Admission control (builds that have it) is opened wide: the comparison is of the engines, not of refusals.
start() {
  local extra=()
  if "$1" serve -h 2>&1 | grep -q -- -max-in-flight; then extra=(-max-in-flight 64 -max-queue 64 -queue-wait 60s); fi
  "$1" serve -port "$2" -query-timeout 60s "${extra[@]}" >"$work/$2.log" 2>&1 &
  pids+=($!)
}
start "$a" 8121; start "$b" 8122
for p in 8121 8122; do for _ in $(seq 60); do curl -sf "http://127.0.0.1:$p/readyz" >/dev/null && break; sleep 1; done; done
q() { jq -cn --arg q "$1" '{query: $q}'; }
declare -A queries=(
  [chain-with-hebei-firms-and-bottlenecks]='{ chainMap(id: "hydrogen") { name segments { id stage enterprises(regionCode: "130000", first: 10) { name sites { kind region { name } } } bottlenecks { name severity status tacklers { actor { ... on Enterprise { name } ... on Institution { name } } } } } } }'
  [hebei-firms-by-exposure]='{ enterprises(filter: {regionCode: "130000"}, orderBy: {field: OPEN_BOTTLENECKS, direction: DESC}, first: 50) { totalCount nodes { name sites { kind region { name province { name } } } segments { name chainMap { name } } suppliers { supplier { name } product } } } }'
  [open-chokepoints-with-affected-firms]='{ bottlenecks(filter: {kind: CHOKEPOINT, status: OPEN}, first: 30) { totalCount nodes { name severity segments { name enterprises(first: 10) { name sites { region { name } } } } } } }'
)
printf '%-40s %7s %4s %10s %10s %10s\n' question clients bin rps p50_ms p99_ms
for name in "${!queries[@]}"; do
  q "${queries[$name]}" >"$work/body.json"
  for port in 8121 8122; do curl -s -o /dev/null -H 'Content-Type: application/json' -d @"$work/body.json" "http://127.0.0.1:$port/graphql"; done
  for c in $clients; do
    for r in $(seq "$rounds"); do
      for port in 8121 8122; do
        out=$(timeout $((secs + 120)) hey -z "${secs}s" -c "$c" -t 120 -m POST -T application/json -D "$work/body.json" "http://127.0.0.1:$port/graphql")
        rps=$(sed -n 's/.*Requests\/sec:\s*\([0-9.]*\).*/\1/p' <<<"$out")
        p50=$(awk '/ 50% in/ {printf "%.0f", $3*1000}' <<<"$out"); p99=$(awk '/ 99% in/ {printf "%.0f", $3*1000}' <<<"$out")
        bin=A; [ "$port" = 8122 ] && bin=B
        printf '%-40s %7s %4s %10s %10s %10s\n' "$name" "$c" "$bin" "$rps" "${p50:--}" "${p99:--}"
      done
    done
  done
done
