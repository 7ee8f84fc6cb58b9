// The analysts' kit for Neo4j Browser (docs/cypher/): the style sheet chainmap.grass loads with `:style`, and a saved
// analysis from analyses.cypher, run in Browser as an analyst would (params first, then the query pasted as
// written), draws its graph with that style. Every saved analysis is also checked to be titled, bounded and to
// return rows on the seeds. The seeds are loaded into the test Neo4j first (`chainmap load`, which only MERGEs).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { browserUrl, env, isLocalUrl, keepFailureScreenshot, keepScreenshot, launchBrowser, logIn, repoRoot } from './lib.mjs';

const cypherDir = join(repoRoot, 'docs/cypher');
const grassText = readFileSync(join(cypherDir, 'chainmap.grass'), 'utf8');
const analyses = parseAnalyses(readFileSync(join(cypherDir, 'analyses.cypher'), 'utf8'));
// The saved analysis the browser test runs; it returns paths, so Browser shows it as a graph.
const GRAPH_ANALYSIS = 'Chain overview';

// parseAnalyses splits analyses.cypher into its queries: blocks separated by blank lines, each a `// Title` line, a
// `// description` line, `// :param name => value` lines, then the query. Blocks of comments only are skipped.
function parseAnalyses(text) {
  const out = [];
  for (const block of text.split(/\n[ \t]*\n/)) {
    const lines = block.trim().split('\n');
    const first = lines.findIndex((l) => !l.trim().startsWith('//'));
    if (first < 0) continue;
    const comments = lines.slice(0, first).map((l) => l.replace(/^\s*\/\/\s?/, ''));
    const params = comments.flatMap((c) => {
      const m = c.match(/^:param\s+(\w+)\s*=>\s*(.+)$/);
      return m ? [{ name: m[1], literal: m[2].trim(), command: c.trim() }] : [];
    });
    out.push({ title: comments[0], description: comments[1], params, query: lines.slice(first).join('\n'), block: block.trim() });
  }
  return out;
}

// parseGrass reads the rules of a GraSS sheet in order: [{tag, classes, props}], quoted values unquoted.
function parseGrass(text) {
  const rules = [];
  for (const m of text.matchAll(/([\w.]+)\s*\{((?:[^{}'"]|'[^']*'|"[^"]*")*)\}/g)) {
    const [tag, ...classes] = m[1].split('.');
    const props = {};
    for (const p of m[2].matchAll(/([\w-]+)\s*:\s*('[^']*'|"[^"]*"|[^;]+);/g)) props[p[1]] = p[2].trim().replace(/^(['"])(.*)\1$/, '$2');
    rules.push({ selector: m[1], tag, classes, props });
  }
  return rules;
}
const grass = parseGrass(grassText);

// styleOf applies the rules the way Browser does: in order, each rule whose classes the node's labels all include.
function styleOf(labels) {
  return grass.filter((r) => r.tag === 'node' && r.classes.every((c) => labels.includes(c)))
    .reduce((style, r) => ({ ...style, ...r.props }), {});
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// withRateLimitRetry runs fn and, when Neo4j refuses the login because earlier wrong passwords (the wrong-password
// test of neo4j-browser.test.mjs) locked the user for 5 s, runs it once more 6 s later.
async function withRateLimitRetry(fn) {
  try {
    return await fn();
  } catch (err) {
    if (!/AuthenticationRateLimit/.test(`${err.message}`)) throw err;
    await sleep(6_000);
    return fn();
  }
}

// query runs a statement on the test Neo4j through its HTTP query API.
function query(statement, parameters = {}) {
  return withRateLimitRetry(async () => {
    const res = await fetch(`${env.neo4jHttp}/db/neo4j/query/v2`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${env.neo4jUser}:${env.neo4jPassword}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ statement, parameters }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok || body.errors?.length) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body.errors ?? body)}`);
    return body.data;
  });
}

// paramValues evaluates the `:param` literals of an analysis (Cypher literals) on the server, as Browser does.
async function paramValues(analysis) {
  const out = {};
  for (const p of analysis.params) out[p.name] = (await query(`RETURN ${p.literal} AS v`)).values[0][0];
  return out;
}

// run puts text into the main editor as a paste (typing would let the editor auto-close brackets and quotes) and
// runs it; it returns the frame the command opened.
async function run(page, text) {
  const editor = page.getByTestId('activeEditor');
  await editor.click();
  await editor.locator('textarea').evaluate((area, data) => {
    const clipboardData = new DataTransfer();
    clipboardData.setData('text/plain', data);
    area.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
  }, text);
  const frames = page.getByTestId('frame');
  const before = await frames.count();
  await page.getByTestId('editor-Run').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="frame"]').length > n, before);
  return frames.first(); // the newest frame is on top
}

let seeded;
let started;

describe('Neo4j Browser with the chainmap style and saved analyses', { timeout: 90_000 }, () => {
  // Load the seeds into the test Neo4j. A failure is reported by the tests that need the seeds (as failures, not
  // as cancelled tests), so the hook itself never throws.
  before(() => {
    seeded = (async () => {
      if (!existsSync(env.bin)) throw new Error(`chainmap binary not found at ${env.bin}: run \`make build\` (or set CHAINMAP_BIN)`);
      const load = () => promisify(execFile)(env.bin, ['load'], {
        cwd: repoRoot,
        timeout: 60_000,
        env: { ...process.env, NEO4J_URI: env.neo4jUri, NEO4J_USER: env.neo4jUser, NEO4J_PASSWORD: env.neo4jPassword, NEO4J_CONNECT_TIMEOUT: '10s' },
      }); // its error's message ends with chainmap's stderr, which says why
      try {
        await withRateLimitRetry(load);
      } catch (err) {
        throw new Error(`\`chainmap load\` into ${env.neo4jUri} failed (start the test Neo4j with \`make test-neo4j\`): ${err.message}`);
      }
    })();
    seeded.catch(() => {}); // awaited by the tests
  });

  after(async () => {
    const chrome = await started?.catch(() => null);
    if (!chrome) return;
    const hosts = [...new Set(chrome.blocked.map((u) => new URL(u).host))];
    if (hosts.length) console.log(`aborted ${chrome.blocked.length} requests to other hosts: ${hosts.join(', ')}`);
    await chrome.close();
  });

  it('every saved analysis is titled, bounded and returns rows on the seeds', async (t) => {
    await seeded;
    assert.ok(analyses.length >= 9, `only ${analyses.length} queries in analyses.cypher`);
    const titles = analyses.map((a) => a.title);
    assert.equal(new Set(titles).size, titles.length, `duplicate titles: ${titles}`);
    for (const a of analyses) {
      assert.ok(a.title && a.description, `a query lacks its title or description line:\n${a.block}`);
      assert.match(a.query, /\bLIMIT \d+;\s*$/, `${a.title}: does not end in LIMIT n;`);
      // Variable-length patterns must have an upper bound: [:R*1..3] or {1,3}, never [:R*], [:R*2..], {1,}, + or *.
      for (const m of a.query.matchAll(/\[[^\]]*\*([^\]]*)\]/g)) assert.match(m[1], /^\d*\.\.\d+$/, `${a.title}: unbounded ${m[0]}`);
      assert.doesNotMatch(a.query, /\{\s*\d*\s*,\s*\}|\)\s*[+*]/, `${a.title}: unbounded quantified path pattern`);
      for (const p of a.query.matchAll(/\$(\w+)/g)) {
        assert.ok(a.params.some((x) => x.name === p[1]), `${a.title}: $${p[1]} has no // :param line`);
      }
      const params = await paramValues(a);
      const { values } = await query(a.query, params);
      t.diagnostic(`${a.title}: ${values.length} rows with ${JSON.stringify(params)}`);
      assert.ok(values.length > 0, `${a.title}: no rows with ${JSON.stringify(params)}`);
    }
  });

  it(`applies chainmap.grass with :style and draws "${GRAPH_ANALYSIS}" as a styled graph`, async (t) => {
    await seeded;
    const analysis = analyses.find((a) => a.title === GRAPH_ANALYSIS);
    assert.ok(analysis, `no "// ${GRAPH_ANALYSIS}" query in analyses.cypher`);

    // What Browser should draw: the distinct nodes of the paths the query returns.
    const params = await paramValues(analysis);
    const rows = (await query(analysis.query, params)).values;
    const expected = new Map();
    for (const path of rows.flat()) for (const e of [].concat(path)) if (e?.labels) expected.set(e.elementId, e);
    assert.ok(expected.size > 1, `${GRAPH_ANALYSIS} returns ${expected.size} nodes on the seeds`);

    started ??= launchBrowser();
    const context = await (await started).newContext();
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const problems = [];
    page.on('requestfailed', (r) => isLocalUrl(r.url()) && problems.push(`${r.url()}: ${r.failure()?.errorText}`));
    page.on('response', (r) => r.status() >= 400 && r.url().startsWith(env.neo4jHttp) && problems.push(`${r.url()}: HTTP ${r.status()}`));
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    try {
      await page.goto(browserUrl(), { waitUntil: 'domcontentloaded' });
      await logIn(t, page);

      // :style followed by the sheet replaces the style; its frame prints the style now in force, which must be
      // the sheet, every rule and property of it.
      const styleFrame = await run(page, `:style ${grassText}`);
      const shown = await styleFrame.getByTestId('frameContents').locator('pre').innerText();
      assert.deepEqual(parseGrass(shown), grass, `Browser's style differs from chainmap.grass:\n${shown}`);

      for (const p of analysis.params) {
        const frame = await run(page, p.command);
        await frame.getByText('Successfully set your parameter').waitFor();
      }

      // The query as written in the file, comments included, as an analyst pastes it.
      const frame = await run(page, analysis.block);
      await frame.getByTestId('cypherFrameSidebarVisualization').waitFor();
      const nodes = frame.locator('svg g.node');
      await nodes.first().waitFor();
      await frame.getByText(/^Displaying \d+ nodes, \d+ relationships\.$/).waitFor();
      const overview = await frame.getByText(/^Displaying \d+ nodes, \d+ relationships\.$/).innerText();
      t.diagnostic(overview);
      assert.equal(await nodes.count(), expected.size, `drawn nodes vs the ${expected.size} nodes the query returns`);
      assert.ok(await frame.locator('svg g.relationship').count() >= 1, 'no relationship drawn');

      // Each node is filled with the colour the sheet gives its labels.
      const want = [...expected.values()].map((n) => styleOf(n.labels).color.toUpperCase()).sort();
      const got = (await nodes.locator('circle.b-outline').evaluateAll((cs) => cs.map((c) => c.getAttribute('fill')))).map((c) => c.toUpperCase()).sort();
      assert.deepEqual(got, want, 'node fills differ from chainmap.grass');
      // And captioned with its name: the chain map's caption is its name (wrapped over lines, maybe cut short with …).
      const chain = [...expected.values()].find((n) => n.labels.includes('ChainMap'));
      const caption = (await nodes.filter({ has: page.locator(`circle[fill="${styleOf(['ChainMap']).color}"]`) })
        .locator('text.caption').allTextContents()).join(' ').replace(/\s+/g, ' ').trim();
      assert.ok(caption.length > 0 && chain.properties.name.startsWith(caption.replace(/…$/, '')), `caption "${caption}" is not "${chain.properties.name}"`);

      // Let the force layout settle a little, then keep a picture of the styled analysis.
      await page.waitForTimeout(1_500);
      await keepScreenshot(page, 'neo4j-browser-analysis.png');
      assert.deepEqual(problems, [], 'local requests failed or the page threw');
    } catch (err) {
      await keepFailureScreenshot(t, page);
      throw err;
    } finally {
      await context.close();
    }
  });
});
