// The equivalence check: asks every question of both servers and compares the answers' canonical trees
// (questions.mjs) recursively, ids and order included. Prints OK or DIFF per question with the first difference;
// exits 1 on any difference or error.
//
//   CHAINMAP_URL [http://127.0.0.1:8092/graphql]   PEER_URL [http://127.0.0.1:4090/]
//   node check.mjs [question ids…]
import { questions } from "./questions.mjs";

const urls = {
  chainmap: process.env.CHAINMAP_URL || "http://127.0.0.1:8092/graphql",
  peer: process.env.PEER_URL || "http://127.0.0.1:4090/",
};

async function ask(server, query) {
  const res = await fetch(urls[server], {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${server}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (!res.ok || json.errors?.length || !json.data) {
    throw new Error(`${server}: HTTP ${res.status}: ${JSON.stringify(json.errors ?? json).slice(0, 400)}`);
  }
  return json.data;
}

// firstDiff returns a description of the first place where a and b differ, or null; it also counts the values
// compared so that an empty answer on both sides does not pass unnoticed.
function firstDiff(a, b, path, stats) {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return `${path}: list on one side only`;
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const d = firstDiff(a[i], b[i], `${path}[${i}]`, stats);
      if (d) return d;
    }
    if (a.length !== b.length) {
      const extra = a.length > b.length ? `chainmap has ${JSON.stringify(a[b.length])}` : `peer has ${JSON.stringify(b[a.length])}`;
      return `${path}: ${a.length} items in chainmap, ${b.length} in peer (first extra: ${extra.slice(0, 200)})`;
    }
    stats.lists++;
    return null;
  }
  if (a && typeof a === "object" && b && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDiff(a[k], b[k], `${path}.${k}`, stats);
      if (d) return d;
    }
    return null;
  }
  if (a !== b) return `${path}: chainmap ${JSON.stringify(a)}, peer ${JSON.stringify(b)}`;
  stats.values++;
  return null;
}

const only = process.argv.slice(2);
let failed = 0;
for (const q of questions) {
  if (only.length && !only.includes(q.id)) continue;
  try {
    const [c, p] = await Promise.all([ask("chainmap", q.chainmap), ask("peer", q.peer)]);
    const stats = { values: 0, lists: 0 };
    const d = firstDiff(q.fromChainmap(c), q.fromPeer(p), q.id, stats);
    if (d) {
      failed++;
      console.log(`DIFF ${q.id}  ${q.title}\n     first difference: ${d}`);
    } else if (stats.values === 0) {
      failed++;
      console.log(`DIFF ${q.id}  ${q.title}\n     both answers are empty: nothing to compare`);
    } else {
      console.log(`OK   ${q.id}  ${q.title}  (${stats.values} values in ${stats.lists} lists, same order)`);
    }
  } catch (err) {
    failed++;
    console.log(`FAIL ${q.id}  ${q.title}\n     ${err.message}`);
  }
}
process.exit(failed ? 1 : 0);
