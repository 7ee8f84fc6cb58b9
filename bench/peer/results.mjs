// Figures of the benchmark, from hey's per-request output (hey -o csv) and the CPU counters run.sh reads.
//
//   node results.mjs round CSV    one round: prints "requests non200 span_s rps p50_ms p99_ms" (tab-separated)
//   node results.mjs table TSV    the rounds run.sh recorded → one table per data size, on stdout
//
// Why hey's CSV and not its summary: the summary skips the 99th percentile when a round has few requests (it
// prints "0% in 0.0000 secs"), which happens at 1 client on the synthetic data. The CSV has every request's
// latency, so p50 and p99 are computed here (nearest rank) from the tool's own measurements.
import { readFileSync } from "node:fs";

const [cmd, file] = process.argv.slice(2);

function pct(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const median = (xs) => pct([...xs].sort((a, b) => a - b), 50);

function round(csv) {
  const lines = readFileSync(csv, "utf8").trim().split("\n").slice(1).filter(Boolean);
  const lat = [];
  let non200 = 0;
  let span = 0;
  for (const l of lines) {
    const f = l.split(",");
    const rt = Number(f[0]);
    const status = f[6];
    const offset = Number(f[7]);
    span = Math.max(span, offset + rt);
    if (status === "200") lat.push(rt);
    else non200++;
  }
  lat.sort((a, b) => a - b);
  const rps = span > 0 ? lat.length / span : 0;
  console.log([lat.length, non200, span.toFixed(3), rps.toFixed(2), (pct(lat, 50) * 1000).toFixed(1), (pct(lat, 99) * 1000).toFixed(1)].join("\t"));
}

function table(tsv) {
  // size question clients server round requests non200 span rps p50 p99 cpu_server cpu_neo4j cpu_machine
  const rows = readFileSync(tsv, "utf8").trim().split("\n").filter((l) => l && !l.startsWith("#")).map((l) => {
    const f = l.split("\t");
    return {
      size: f[0], question: f[1], clients: Number(f[2]), server: f[3], round: Number(f[4]), requests: Number(f[5]),
      non200: Number(f[6]), span: Number(f[7]), rps: Number(f[8]), p50: Number(f[9]), p99: Number(f[10]),
      cpuServer: Number(f[11]), cpuNeo4j: Number(f[12]), cpuMachine: Number(f[13]),
    };
  });
  const sizes = [...new Set(rows.map((r) => r.size))];
  const out = [];
  for (const size of sizes) {
    out.push(`\n## ${size}\n`);
    out.push("rps: requests per second (all rounds of the server); p50/p99: median over its rounds, ms;");
    out.push("cpu: CPU ms per request of the server process (Go or Node) and of Neo4j, over its rounds;");
    out.push("ratio: chainmap ÷ peer, overall and (min–max) over the A/B round pairs. Throughput > 1 and p99 < 1 favour chainmap.");
    out.push("others: cores busy with anything else during the rounds (hey, the idle server, other work on the machine), chainmap / peer.\n");
    out.push("| q | clients | chainmap rps | p50 | p99 | cpu Go | cpu Neo4j | peer rps | p50 | p99 | cpu Node | cpu Neo4j | throughput ratio | p99 ratio | rounds | non-200 | others |");
    out.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    const keys = [...new Set(rows.filter((r) => r.size === size).map((r) => `${r.question}\t${r.clients}`))];
    for (const key of keys) {
      const [question, clients] = key.split("\t");
      const all = (server) => rows.filter((r) => r.size === size && r.question === question && r.clients === Number(clients) && r.server === server);
      // A failed round (hey did not finish: non200 = -1) is left out of the figures and counted in its own column.
      const of = (server) => all(server).filter((r) => r.non200 >= 0);
      const failed = all("chainmap").length + all("peer").length - of("chainmap").length - of("peer").length;
      const sum = (server) => {
        const rs = of(server);
        const req = rs.reduce((a, r) => a + r.requests, 0);
        const span = rs.reduce((a, r) => a + r.span, 0);
        return {
          rounds: rs,
          rps: span ? req / span : 0,
          p50: median(rs.map((r) => r.p50)),
          p99: median(rs.map((r) => r.p99)),
          cpuServer: req ? (rs.reduce((a, r) => a + r.cpuServer, 0) / req) * 1000 : NaN,
          cpuNeo4j: req ? (rs.reduce((a, r) => a + r.cpuNeo4j, 0) / req) * 1000 : NaN,
          non200: rs.reduce((a, r) => a + r.non200, 0),
          // Cores busy with anything but the measured server and Neo4j: hey, the idle other server, other work.
          others: span ? rs.reduce((a, r) => a + (r.cpuMachine - r.cpuServer - r.cpuNeo4j), 0) / span : NaN,
        };
      };
      const c = sum("chainmap");
      const p = sum("peer");
      const pairs = c.rounds.map((r) => [r, p.rounds.find((x) => x.round === r.round)]).filter(([, b]) => b);
      const range = (f) => {
        const xs = pairs.map(([a, b]) => f(a, b)).filter(Number.isFinite);
        return xs.length ? `(${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})` : "";
      };
      const n = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "–");
      out.push(`| ${question} | ${clients} | ${n(c.rps)} | ${n(c.p50)} | ${n(c.p99)} | ${n(c.cpuServer, 2)} | ${n(c.cpuNeo4j, 2)} | ` +
        `${n(p.rps)} | ${n(p.p50)} | ${n(p.p99)} | ${n(p.cpuServer, 2)} | ${n(p.cpuNeo4j, 2)} | ` +
        `${n(c.rps / p.rps, 2)}× ${range((a, b) => a.rps / b.rps)} | ${n(c.p99 / p.p99, 2)}× ${range((a, b) => a.p99 / b.p99)} | ` +
        `${c.rounds.length}+${p.rounds.length}${failed ? ` (${failed} failed)` : ""} | ${c.non200 + p.non200} | ${n(c.others, 2)} / ${n(p.others, 2)} |`);
    }
  }
  console.log(out.join("\n"));
}

if (cmd === "round") round(file);
else if (cmd === "table") table(file);
else {
  console.error("usage: node results.mjs round CSV | table TSV");
  process.exit(2);
}
