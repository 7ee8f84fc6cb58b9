#!/usr/bin/env bash
# chainmap against @neo4j/graphql, side by side, on one Neo4j instance of its own (see bench/peer/README.md).
#
#   bench/peer/run.sh          (or: make bench-peer, which builds bin/chainmap first)
#
# Starts Neo4j (instance "peer", bolt 7690, http 7477), loads the seeds, serves chainmap on 127.0.0.1:8092 and the
# peer on 127.0.0.1:4090, checks that both answer every question alike, then measures each question at each client
# count in alternating rounds (chainmap, peer, chainmap, peer, …) with hey. Then the same on synthetic data.
# Everything it started is stopped on exit. Environment (defaults in brackets):
#   ROUND_SECONDS [10]  seconds per round      ROUNDS [4]  rounds per question and client count, alternating A/B
#   CLIENTS ["1 20"]    concurrent clients     QUESTIONS [all of questions.mjs]   SIZES ["seeds synthetic"]
#   GEN_ENTERPRISES [20000]  GEN_SUPPLIES [200000]   synthetic data size
#   WARMUP_SECONDS [5]  seconds of load (4 clients) per server and question before its rounds, not measured
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"

round_seconds=${ROUND_SECONDS:-10}
rounds=${ROUNDS:-4}
clients_list=${CLIENTS:-"1 20"}
sizes=${SIZES:-"seeds synthetic"}
gen_enterprises=${GEN_ENTERPRISES:-20000}
gen_supplies=${GEN_SUPPLIES:-200000}
warmup=${WARMUP_SECONDS:-5}
# Loading and generating on a busy 2-core machine outlast the binary's 10 s default transaction timeout.
write_timeout=10m

export NEO4J_INSTANCE=peer NEO4J_BOLT_PORT=7690 NEO4J_HTTP_PORT=7477 NEO4J_PASSWORD=chainmap-peer
export NEO4J_HEAP=${NEO4J_HEAP:-2g} NEO4J_PAGECACHE=${NEO4J_PAGECACHE:-1g}
export NEO4J_URI=bolt://127.0.0.1:7690
chainmap_port=8092
peer_port=4090
chainmap_url=http://127.0.0.1:$chainmap_port/graphql
peer_url=http://127.0.0.1:$peer_port/

results=$here/results
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-peer.XXXXXX")
rounds_tsv=$results/rounds.tsv
table=$results/latest.txt
clk_tck=$(getconf CLK_TCK)

say() { printf '[bench-peer %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

cm_pid='' peer_pid='' neo4j_started=''
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -n "$cm_pid" ] && kill "$cm_pid" 2>/dev/null && wait "$cm_pid" 2>/dev/null || true
  [ -n "$peer_pid" ] && kill "$peer_pid" 2>/dev/null && wait "$peer_pid" 2>/dev/null || true
  if [ -n "$neo4j_started" ]; then dev/neo4j/neo4j.sh stop >/dev/null 2>&1 || say "could not stop Neo4j (instance peer)"; fi
  rm -rf "$work"
  say "stopped everything it started (exit $rc)"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in hey node npm curl; do command -v "$tool" >/dev/null || die "$tool is needed (hey: apt-get install -y hey)"; done
[ -x bin/chainmap ] || die "bin/chainmap is missing: run make build (make bench-peer does)"
for port in $chainmap_port $peer_port; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is in use: stop what listens there first"; fi
done

if [ ! -f "$here/node_modules/.package-lock.json" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  say "installing the peer's packages (npm ci)"
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi
mkdir -p "$results"
node "$here/questions.mjs" "$work/bodies" >"$work/questions"
read -r -a questions <<<"${QUESTIONS:-$(tr '\n' ' ' <"$work/questions")}"

say "starting Neo4j (instance peer, bolt 7690)"
dev/neo4j/neo4j.sh start >/dev/null
neo4j_started=1
neo4j_pid=$(cat .neo4j/peer/run/neo4j.pid)
bin/chainmap migrate >/dev/null

# wait_for URL DATA: polls (at most 120 times, 0.5 s apart) until a POST of DATA (or a GET) answers 200.
wait_for() {
  local i
  for i in $(seq 1 120); do
    if [ -n "${2:-}" ]; then
      curl -fsS -o /dev/null -m 2 "$1" -H 'Content-Type: application/json' -d "$2" 2>/dev/null && return 0
    else
      curl -fsS -o /dev/null -m 2 "$1" 2>/dev/null && return 0
    fi
    sleep 0.5
  done
  die "$1 did not answer within 60 s"
}

start_servers() {
  bin/chainmap serve -host 127.0.0.1 -port $chainmap_port -log-level warn >"$results/chainmap.log" 2>&1 &
  cm_pid=$!
  HOST=127.0.0.1 PORT=$peer_port node "$here/server.mjs" >"$results/peer.log" 2>&1 &
  peer_pid=$!
  wait_for "http://127.0.0.1:$chainmap_port/readyz"
  wait_for "$peer_url" '{"query":"{ __typename }"}'
  say "chainmap (pid $cm_pid) on $chainmap_url, peer (pid $peer_pid) on $peer_url, Neo4j pid $neo4j_pid"
}

# cpu PID: CPU seconds (user + system) the process has used so far, in clock ticks.
cpu() { local s; s=$(cat "/proc/$1/stat"); s=${s##*) }; set -- $s; echo $(( ${12} + ${13} )); }

# busy: CPU ticks the whole machine has spent not idle (all cores), to tell how much else ran during a round.
busy() { local _ user nice system idle iowait irq softirq steal; read -r _ user nice system idle iowait irq softirq steal _ </proc/stat
  echo $((user + nice + system + irq + softirq + steal)); }

seconds() { awk -v d="$1" -v t="$clk_tck" 'BEGIN{printf "%.2f", d/t}'; }

# measure SIZE Q CLIENTS SERVER ROUND: one hey round against one server; appends a row to rounds.tsv.
measure() {
  local size=$1 q=$2 clients=$3 server=$4 round=$5 url pid csv b_srv b_neo b_all a_srv a_neo a_all stats
  if [ "$server" = chainmap ]; then url=$chainmap_url pid=$cm_pid; else url=$peer_url pid=$peer_pid; fi
  csv="$work/$size.$q.$clients.$server.$round.csv"
  kill -0 "$pid" 2>/dev/null || die "$server (pid $pid) is gone: see bench/peer/results/$server.log"
  kill -0 "$neo4j_pid" 2>/dev/null || die "Neo4j (pid $neo4j_pid) is gone: see .neo4j/peer/logs/"
  b_srv=$(cpu "$pid") b_neo=$(cpu "$neo4j_pid") b_all=$(busy)
  # hey waits for the requests in flight when the round ends (each at most 30 s); past that, the round failed.
  if timeout $((round_seconds + 90)) hey -z "${round_seconds}s" -c "$clients" -t 30 -o csv -m POST -T application/json \
    -D "$work/bodies/$q.$server.json" "$url" >"$csv"; then
    a_srv=$(cpu "$pid") a_neo=$(cpu "$neo4j_pid") a_all=$(busy)
    stats=$(node "$here/results.mjs" round "$csv")
  else
    # Recorded as failed (non200 = -1) and left out of the figures; the table counts it.
    a_srv=$(cpu "$pid") a_neo=$(cpu "$neo4j_pid") a_all=$(busy)
    stats=$(printf '0\t-1\t0\t0\tNaN\tNaN')
    say "  $size $q c=$clients round $round $server: FAILED (hey did not finish within $((round_seconds + 90)) s)"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$q" "$clients" "$server" "$round" "$stats" \
    "$(seconds $((a_srv - b_srv)))" "$(seconds $((a_neo - b_neo)))" "$(seconds $((a_all - b_all)))" >>"$rounds_tsv"
  set -- $stats
  [ "$2" = -1 ] || say "  $size $q c=$clients round $round $server: $4 rps, p50 $5 ms, p99 $6 ms ($1 requests, $2 non-200)"
}

# prime: each question once on each server until it answers without errors (at most 5 tries). The first run of a
# statement on a cold Neo4j is planned, which on a loaded 2-core machine can pass chainmap's query timeout; the check
# must compare answers, not a cold start.
prime() {
  local q server url try
  for q in "${questions[@]}"; do
    for server in chainmap peer; do
      url=$chainmap_url
      [ "$server" = peer ] && url=$peer_url
      for try in 1 2 3 4 5; do
        curl -sS -m 60 "$url" -H 'Content-Type: application/json' --data-binary "@$work/bodies/$q.$server.json" 2>/dev/null |
          grep -q '"errors"' || break
        say "  $server answered $q with errors (try $try): asking again"
      done
    done
  done
}

bench_size() {
  local size=$1 q clients r
  prime
  say "equivalence check on $size"
  CHAINMAP_URL=$chainmap_url PEER_URL=$peer_url timeout 300 node "$here/check.mjs" | tee "$results/check-$size.txt" >&2 ||
    die "the two servers answer differently on $size (see above): no benchmark of different answers"
  for q in "${questions[@]}"; do
    for server in chainmap peer; do
      local url=$chainmap_url
      [ "$server" = peer ] && url=$peer_url
      timeout $((warmup + 60)) hey -z "${warmup}s" -c 4 -t 30 -m POST -T application/json -D "$work/bodies/$q.$server.json" "$url" >/dev/null ||
        die "warm-up of $server failed ($q)"
    done
    for clients in $clients_list; do
      for r in $(seq 1 "$rounds"); do
        if [ $((r % 2)) = 1 ]; then measure "$size" "$q" "$clients" chainmap $(((r + 1) / 2))
        else measure "$size" "$q" "$clients" peer $((r / 2)); fi
      done
    done
  done
}

printf '# size\tquestion\tclients\tserver\tround\trequests\tnon200\tspan_s\trps\tp50_ms\tp99_ms\tcpu_server_s\tcpu_neo4j_s\tcpu_machine_s\n' >"$rounds_tsv"
{
  echo "# chainmap ($(git rev-parse --short HEAD)) vs @neo4j/graphql $(node -p 'require("'"$here"'/node_modules/@neo4j/graphql/package.json").version'), $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores, ${round_seconds} s rounds, $rounds rounds A/B/A/B per question and client count, hey $(dpkg-query -W -f '${Version}' hey 2>/dev/null || echo '?')"
} >"$table"

for size in $sizes; do
  label=$size
  case $size in
    seeds)
      say "loading the seeds (synthetic data of earlier runs removed)"
      bin/chainmap gen -delete -query-timeout "$write_timeout" >/dev/null || die "chainmap gen -delete failed"
      bin/chainmap load -query-timeout "$write_timeout" >/dev/null ;;
    synthetic)
      label="synthetic: $gen_enterprises enterprises, $gen_supplies supply links (and the seeds)"
      say "generating $gen_enterprises synthetic enterprises, $gen_supplies supply links"
      bin/chainmap load -query-timeout "$write_timeout" >/dev/null
      timeout 1800 bin/chainmap gen -query-timeout "$write_timeout" -enterprises "$gen_enterprises" -supplies "$gen_supplies" >/dev/null ||
        die "chainmap gen failed" ;;
    *) die "unknown size $size (seeds or synthetic)" ;;
  esac
  [ -n "$cm_pid" ] || start_servers
  bench_size "$size"
done

node "$here/results.mjs" table "$rounds_tsv" | tee -a "$table"
say "table written to ${table#"$repo"/}, rounds to ${rounds_tsv#"$repo"/}"
