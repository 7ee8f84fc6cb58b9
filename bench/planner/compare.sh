#!/usr/bin/env bash
# Two chainmap binaries side by side over the same Neo4j, on the three planner queries of graph/bench_test.go:
# alternating rounds (A, B, A, B) with hey, at 1 and 20 clients, so that both meet the same load. Used for the
# before/after figures of docs/performance.md (100,000 synthetic enterprises: `make bench-synthetic` leaves them
# in the instance "bench").
#
#   bench/planner/compare.sh BIN_A BIN_B          e.g. an older build and bin/chainmap
#
# Environment: NEO4J_URI [bolt://127.0.0.1:7689], NEO4J_PASSWORD [chainmap-bench], ROUND_SECONDS [10],
# NEO4J_URI_A and NEO4J_URI_B [NEO4J_URI: one binary over two databases, e.g. two store settings, same data],
# ROUNDS [2 per binary], CLIENTS ["1 20"], ONLY [every question: a regular expression over their names].
# Serves on 127.0.0.1:8121 and :8122; stops them on exit. A question whose text starts with "GET " is a page
# (the chain report), fetched as it is.
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
  NEO4J_URI=$3 "$1" serve -port "$2" -query-timeout 60s "${extra[@]}" >"$work/$2.log" 2>&1 &
  pids+=($!)
}
start "$a" 8121 "${NEO4J_URI_A:-$NEO4J_URI}"; start "$b" 8122 "${NEO4J_URI_B:-$NEO4J_URI}"
for p in 8121 8122; do for _ in $(seq 60); do curl -sf "http://127.0.0.1:$p/readyz" >/dev/null && break; sleep 1; done; done
q() { jq -cn --arg q "$1" '{query: $q}'; }
declare -A queries=(
  [chain-with-hebei-firms-and-bottlenecks]='{ chainMap(id: "hydrogen") { name segments { id stage enterprises(regionCode: "130000", first: 10) { name sites { kind region { name } } } bottlenecks { name severity status tacklers { actor { ... on Enterprise { name } ... on Institution { name } } } } } } }'
  [hebei-firms-by-exposure]='{ enterprises(filter: {regionCode: "130000"}, orderBy: {field: OPEN_BOTTLENECKS, direction: DESC}, first: 50) { totalCount nodes { name sites { kind region { name province { name } } } segments { name chainMap { name } } suppliers { supplier { name } product } } } }'
  [open-chokepoints-with-affected-firms]='{ bottlenecks(filter: {kind: CHOKEPOINT, status: OPEN}, first: 30) { totalCount nodes { name severity segments { name enterprises(first: 10) { name sites { region { name } } } } } } }'
  # The planner's questions (graph/planner_bench_test.go), the regions' counts, the explorer's map, a report.
  [gaps-city]='{ regionChainGaps(regionCode: "130600", chainMapId: "hydrogen", first: 3) { held gaps { segment { id name } status upstream { segment { id } firmsInRegion } firmCandidates { score enterprise { id name } parts { factor points note } } rdCandidates { score enterprise { id } institution { id } parts { points } } parks { score park { id } } } } }'
  [gaps-province]='{ regionChainGaps(regionCode: "130000", chainMapId: "nev-icv", first: 5) { held gaps { segment { id } firmCandidates { score enterprise { id } } rdCandidates { score } firmCandidatesTotal } } }'
  [scenario-firm]='{ scenario(remove: {enterpriseIds: ["catl"]}) { cutOffTotal cutOff { enterprise { id } } orphanedBottlenecks { bottleneck { id } } } }'
  [scenario-city]='{ scenario(remove: {regionCodes: ["130900"]}, first: 20) { stoppedEnterprises segmentsTotal cutOffTotal orphanedBottlenecksTotal cutLinksTotal segments { segment { id } status } cutOff { enterprise { id sites { region { code } } } alternatives { enterprise { id } regionDistance } } cutLinks { id } chains { chainMap { id } cutOff } } }'
  [scenario-hebei]='{ scenario(remove: {regionCodes: ["130000"]}, first: 20) { stoppedEnterprises segmentsLost cutOffTotal orphanedBottlenecksTotal cutLinksTotal cutOff { enterprise { id } alternatives { enterprise { id } } } } }'
  [changes-all]='{ changesSummary(first: 50) { totals { sitesAdded linksMade } byRegion { key } byChain { key } eventsTotal } }'
  [regions-stats-all]='{ regions { code stats { enterprises sites sitesByKind { key count } enterprisesByChainMap { key count } openBottlenecks } } }'
  [regions-stats-all-rd-links]='{ regions { code stats { rdLinksIn rdLinksOut } } }'
  [map-hydrogen]='fragment F on Region { code name nameZh level parent { code } stats(chainMapId: "hydrogen") { enterprises openBottlenecks } } { districts: regions(level: DISTRICT) { ...F } cities: regions(level: CITY) { ...F } newAreas: regions(level: NEW_AREA) { ...F } }'
  [report-hydrogen]='GET /report/hydrogen'
)
printf '%-40s %7s %4s %10s %10s %10s %6s\n' question clients bin rps p50_ms p99_ms non200
for name in $(printf '%s\n' "${!queries[@]}" | sort | grep -E "${ONLY:-.}"); do
  text=${queries[$name]}
  q "$text" >"$work/body.json"
  # One request each first: plans the statements (and says whether the question answers at all).
  for port in 8121 8122; do
    if [[ $text == GET\ * ]]; then first=$(curl -s -o "$work/first" -w '%{http_code} %{time_total}' -m 120 "http://127.0.0.1:$port${text#GET }" || true)
    else first=$(curl -s -o "$work/first" -w '%{http_code} %{time_total}' -m 120 -H 'Content-Type: application/json' -d @"$work/body.json" "http://127.0.0.1:$port/graphql" || true); fi
    errs=$(grep -o '"message":"[^"]*"' "$work/first" | head -1 || true)
    printf '# %s on :%s first request: HTTP %s s, %s bytes %s\n' "$name" "$port" "$first" "$(wc -c <"$work/first")" "$errs"
  done
  for c in $clients; do
    for r in $(seq "$rounds"); do
      for port in 8121 8122; do
        if [[ $text == GET\ * ]]; then
          out=$(timeout $((secs + 120)) hey -z "${secs}s" -c "$c" -t 120 "http://127.0.0.1:$port${text#GET }")
        else
          out=$(timeout $((secs + 120)) hey -z "${secs}s" -c "$c" -t 120 -m POST -T application/json -D "$work/body.json" "http://127.0.0.1:$port/graphql")
        fi
        rps=$(sed -n 's/.*Requests\/sec:\s*\([0-9.]*\).*/\1/p' <<<"$out")
        p50=$(awk '/ 50% in/ {printf "%.0f", $3*1000}' <<<"$out"); p99=$(awk '/ 99% in/ {printf "%.0f", $3*1000}' <<<"$out")
        bin=A; [ "$port" = 8122 ] && bin=B
        non200=$(awk '/^\s*\[[0-9]+\]/ && $1 != "[200]" {n += $2} END {print n+0}' <<<"$out")
        printf '%-40s %7s %4s %10s %10s %10s %6s\n' "$name" "$c" "$bin" "$rps" "${p50:--}" "${p99:--}" "$non200"
      done
    done
  done
done
