#!/usr/bin/env bash
# The latency of a mutation, two chainmap builds side by side over the same Neo4j (the cost of maintaining the
# aggregates on writes): one client, N sequential mutations per round, rounds alternating A, B, A, B.
#   - upsertEnterprise: an API firm in the hydrogen and nev-icv chains whose one site moves between two Hebei
#     cities at each call (its share of the region counts of the city, Hebei, and the chains changes);
#   - setBottleneckStatus: a bottleneck toggled OPEN ↔ IN_PROGRESS (the exposure of every firm on its segments).
#
#   bench/writes/latency.sh BIN_A BIN_B
#
# Environment: NEO4J_URI [bolt://127.0.0.1:7689], NEO4J_PASSWORD [chainmap-bench], N [20], ROUNDS [2],
# BOTTLENECK [the first OPEN one by id]. Serves on 127.0.0.1:8131 and :8132; stops them on exit. The firm
# (bench-write-firm, site bench-write-site) stays in the graph.
set -euo pipefail
a=${1:?usage: latency.sh BIN_A BIN_B}; b=${2:?usage: latency.sh BIN_A BIN_B}
export NEO4J_URI=${NEO4J_URI:-bolt://127.0.0.1:7689} NEO4J_PASSWORD=${NEO4J_PASSWORD:-chainmap-bench}
export CHAINMAP_API_KEYS=bench:editor:bench-write-key-0000
n=${N:-20}; rounds=${ROUNDS:-2}
work=$(mktemp -d); pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT
"$a" serve -port 8131 -query-timeout 60s >"$work/a.log" 2>&1 & pids+=($!)
"$b" serve -port 8132 -query-timeout 60s >"$work/b.log" 2>&1 & pids+=($!)
for p in 8131 8132; do for _ in $(seq 60); do curl -sf "http://127.0.0.1:$p/readyz" >/dev/null && break; sleep 1; done; done
gql() { # port, query → seconds; fails on a GraphQL error
  local out
  out=$(curl -s -o "$work/out" -w '%{time_total}' -H 'Content-Type: application/json' -H 'Authorization: Bearer bench-write-key-0000' \
    -d "$(jq -cn --arg q "$2" '{query: $q}')" "http://127.0.0.1:$1/graphql")
  if grep -q '"errors"' "$work/out"; then cat "$work/out" >&2; return 1; fi
  echo "$out"
}
bn=${BOTTLENECK:-$(curl -s -H 'Content-Type: application/json' -d '{"query":"{ bottlenecks(filter: {status: OPEN}, orderBy: {field: ID}, first: 1) { nodes { id } } }"}' \
  http://127.0.0.1:8131/graphql | jq -r '.data.bottlenecks.nodes[0].id')}
src=$(curl -s -H 'Content-Type: application/json' -d '{"query":"{ sources(first: 1) { nodes { id } } }"}' http://127.0.0.1:8131/graphql | jq -r '.data.sources.nodes[0].id')
upsert() { # port, region
  gql "$1" "mutation { upsertEnterprise(input: {id: \"bench-write-firm\", nameZh: \"写入测试\", segmentIds: [\"h2-storage-transport\", \"nev-auto-chips\"],
    confidence: ILLUSTRATIVE, sourceIds: [\"$src\"], sites: [{id: \"bench-write-site\", kind: MANUFACTURING, regionCode: \"$2\"}]}) { id } }"
}
status() { gql "$1" "mutation { setBottleneckStatus(id: \"$bn\", status: $2, note: \"bench\") { id } }"; }
stats() { sort -n | awk '{v[NR]=$1} END {printf "p50 %.0f ms, p90 %.0f ms (n=%d)", v[int((NR+1)/2)]*1000, v[int(NR*0.9+0.5)]*1000, NR}'; }
printf 'bottleneck %s; source %s\n' "$bn" "$src"
for r in $(seq "$rounds"); do
  for port in 8131 8132; do
    bin=A; [ "$port" = 8132 ] && bin=B
    for i in $(seq "$n"); do if ((i % 2)); then upsert "$port" 130600; else upsert "$port" 130900; fi; done | stats >"$work/u"
    for i in $(seq "$n"); do if ((i % 2)); then status "$port" IN_PROGRESS; else status "$port" OPEN; fi; done | stats >"$work/s"
    printf 'round %s %s upsertEnterprise %s; setBottleneckStatus %s\n' "$r" "$bin" "$(cat "$work/u")" "$(cat "$work/s")"
  done
done
