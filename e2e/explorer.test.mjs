// The chain-map explorer at /explore, served by `chainmap serve` against the test Neo4j with the curated seeds
// loaded: it draws a chain map, shows a firm's details and sources on a click, lights up what a bottleneck holds
// back, and lists a chain's coverage gaps. Nodes are clicked with the real mouse, at the positions the page's
// read-only hook (window.__explorer) reports. Writes explorer-{chain,impact,gaps,lists,progress,live}.png and
// explorer-map{,-bottlenecks,-region}.png to env.screenshots (the last, which the README shows, in Chinese).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isLocalUrl, keepChineseScreenshot, keepFailureScreenshot, keepScreenshot, launchBrowser, loadSeeds, requestProblem, startServer } from './lib.mjs';

const VIEWPORT = { width: 1600, height: 1000 };

let server;
let chrome;
let setup; // the before hook's work: seeds loaded, server and browser started

// prepare loads the seeds and starts the API server and Chromium. The before hook awaits it but each test
// re-awaits it, so that a missing Neo4j, binary or Chromium fails the tests instead of cancelling them.
async function prepare() {
  await loadSeeds();
  server = await startServer();
  chrome = await launchBrowser();
}

// openExplorer opens /explore in a fresh context and waits for the first chain to be drawn. problems collects
// failed local requests, error responses, console errors and uncaught page errors.
async function openExplorer(t) {
  await setup;
  const context = await chrome.newContext({ viewport: VIEWPORT });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const problems = [];
  page.on('requestfailed', (r) => {
    const problem = requestProblem(r);
    if (problem) problems.push(problem);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && isLocalUrl(r.url())) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  t.after(() => context.close());
  // English: the assertions below read English labels (the default, Chinese, is tested in front-door.test.mjs).
  await page.goto(`${server.url}/explore#lang=en`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => window.__explorer?.ready);
  return { page, problems };
}

// withExplorer runs fn({page, problems}) and, on failure, saves a screenshot under e2e/test-results/.
async function withExplorer(t, fn) {
  const opened = await openExplorer(t);
  try {
    await fn(opened);
    assert.deepEqual(opened.problems, [], 'the page had failed requests or errors');
  } catch (err) {
    await keepFailureScreenshot(t, opened.page);
    throw err;
  }
}

const hook = (page) => page.evaluate(() => {
  const x = window.__explorer;
  return {
    ready: x.ready, chainMapId: x.chainMapId, nodeCount: x.nodeCount, counts: x.counts, selected: x.selected,
    highlighted: x.highlighted, impact: x.impact, gaps: x.gaps, error: x.error,
  };
});

// pick chooses a chain map in the picker and waits until it is drawn.
async function pick(page, chainMapId) {
  const picker = page.getByTestId('chain-picker');
  await picker.selectOption(chainMapId);
  await page.waitForFunction((id) => window.__explorer.ready && window.__explorer.chainMapId === id, chainMapId);
  assert.equal(await picker.inputValue(), chainMapId);
}

// clickNode clicks a drawn node with the mouse, at its centre on the canvas, and waits until it is selected.
async function clickNode(page, id) {
  const pos = await page.evaluate((nodeId) => window.__explorer.position(nodeId), id);
  assert.ok(pos, `node ${id} is not in view`);
  await page.mouse.click(pos.x, pos.y);
  await page.waitForFunction((nodeId) => window.__explorer.selected === nodeId, id);
}

// firstInView returns the first of the preferred ids, else the first node of the type, that is drawn in view.
async function firstInView(page, type, preferred = []) {
  return page.evaluate(({ type, preferred }) => {
    const x = window.__explorer;
    const ids = x.nodes(type);
    return [...preferred.filter((id) => ids.includes(id)), ...ids].find((id) => x.position(id)) ?? null;
  }, { type, preferred });
}

// screenshot writes <name> to env.screenshots, with the mouse moved off the canvas (no tooltip); in Chinese, as
// planners see it, for the pictures the README shows in Chinese (the test goes on in English).
async function screenshot(page, name, { chinese = false } = {}) {
  await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height - 5);
  await page.waitForTimeout(300); // transitions
  await (chinese ? keepChineseScreenshot : keepScreenshot)(page, name);
}

describe('explorer', { timeout: 120_000 }, () => {
  before(async () => {
    setup = prepare();
    await setup.catch(() => {}); // reported by each test
  });

  after(async () => {
    if (chrome) {
      const hosts = [...new Set(chrome.blocked.map((u) => new URL(u).host))];
      if (hosts.length) console.log(`aborted ${chrome.blocked.length} requests to other hosts: ${hosts.join(', ')}`);
      await chrome.close();
    }
    await server?.stop();
  });

  it('draws the hydrogen chain map: segments, enterprises by province, bottlenecks', (t) => withExplorer(t, async ({ page }) => {
    const options = await page.getByTestId('chain-picker').locator('option').evaluateAll((os) => os.map((o) => o.value));
    assert.ok(options.includes('hydrogen'), `no hydrogen chain map in the picker: ${options}`);
    await pick(page, 'hydrogen');

    const h = await hook(page);
    t.diagnostic(`hydrogen: ${JSON.stringify(h.counts)}`);
    assert.ok(h.counts.segments > 0, 'no segment drawn');
    assert.ok(h.counts.enterprises > 0, 'no enterprise drawn');
    assert.ok(h.counts.bottlenecks > 0, 'no bottleneck drawn');
    assert.equal(h.nodeCount, h.counts.segments + h.counts.enterprises + h.counts.bottlenecks);
    assert.equal(h.error, null);

    const counts = await page.getByTestId('graph-counts').innerText();
    assert.match(counts, new RegExp(`${h.counts.segments}\\s+segments`));
    assert.match(counts, new RegExp(`${h.counts.enterprises}\\s+enterprises`));
    const legend = await page.getByTestId('legend').innerText();
    for (const word of ['Beijing', 'Tianjin', 'Hebei', 'Several provinces', 'Open', 'Resolved']) {
      assert.ok(legend.includes(word), `legend lacks ${word}`);
    }
    // The URL keeps the chain, so that a view can be shared.
    assert.match(new URL(page.url()).hash, /chain=hydrogen/);
    await screenshot(page, 'explorer-chain.png');
  }));

  it('shows an enterprise’s details and sources when it is clicked', (t) => withExplorer(t, async ({ page }) => {
    await pick(page, 'hydrogen');
    const id = await firstInView(page, 'Enterprise', ['sinohytec']);
    assert.ok(id, 'no enterprise in view');
    const info = await page.evaluate((nodeId) => window.__explorer.info(nodeId), id);
    await clickNode(page, id);

    const panel = page.getByTestId('details-panel');
    await panel.getByTestId('details-name').waitFor();
    const panelText = await panel.innerText();
    t.diagnostic(`clicked ${id}: ${info.nameZh ?? ''} ${info.name}`);
    assert.ok(
      panelText.includes(info.name) || (info.nameZh && panelText.includes(info.nameZh)),
      `the panel does not name ${id}:\n${panelText.slice(0, 500)}`,
    );
    const links = panel.getByTestId('source-link');
    assert.ok((await links.count()) >= 1, 'no source link in the panel');
    const href = await links.first().getAttribute('href');
    assert.match(href, /^https?:\/\//, `source link is not a URL: ${href}`);
    assert.equal(await links.first().getAttribute('target'), '_blank');
    // How fresh the record is: the newest date among the sources it lists.
    const dates = (await panel.locator('.source-meta').allInnerTexts())
      .map((m) => (m.match(/\b\d{4}(?:-\d\d){0,2}\b/) ?? [''])[0]);
    const newest = dates.reduce((a, b) => (b > a ? b : a), '');
    if (newest) assert.equal(await panel.getByTestId('as-of').innerText(), `as of ${newest}`);
    else assert.equal(await panel.getByTestId('as-of').count(), 0, 'an as-of date without a dated source');

    // Esc closes the panel.
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => window.__explorer.selected === null);
    await page.getByTestId('overview').waitFor();
  }));

  it('lights up the impact of a bottleneck when it is clicked', (t) => withExplorer(t, async ({ page }) => {
    await pick(page, 'hydrogen');
    const id = await firstInView(page, 'Bottleneck', ['h2-bn-carbon-fibre-tanks']);
    assert.ok(id, 'no bottleneck in view');
    await clickNode(page, id);

    const summary = page.getByTestId('impact-summary');
    await summary.waitFor();
    const segments = Number(await summary.getAttribute('data-segments'));
    const enterprises = Number(await summary.getAttribute('data-enterprises'));
    t.diagnostic(`${id}: holds back ${segments} segments, ${enterprises} enterprises`);
    assert.ok(segments > 0, 'the impact has no segment');
    assert.ok(enterprises > 0, 'the impact has no enterprise');
    assert.match(await summary.innerText(), /Beijing|Tianjin|Hebei/, 'the impact lists no region');

    await page.waitForFunction(() => window.__explorer.highlighted.length > 0);
    const h = await hook(page);
    assert.deepEqual(h.impact && { s: h.impact.segments > 0, e: h.impact.enterprises > 0 }, { s: true, e: true });
    const types = await page.evaluate((ids) => ids.map((i) => window.__explorer.info(i)?.type), h.highlighted);
    assert.ok(types.includes('Segment'), 'no segment is highlighted');
    assert.ok(types.includes('Enterprise'), 'no enterprise is highlighted');
    assert.equal(await page.getByTestId('details').getAttribute('data-type'), 'Bottleneck');
    await screenshot(page, 'explorer-impact.png');
  }));

  it('lists the coverage gaps of a chain', (t) => withExplorer(t, async ({ page }) => {
    await pick(page, 'biomedicine');
    const toggle = page.getByTestId('gaps-toggle');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');

    const list = page.getByTestId('gaps-list');
    const items = list.getByTestId('gap-item');
    await items.first().waitFor();
    const kinds = await items.evaluateAll((els) => els.map((e) => e.dataset.kind));
    t.diagnostic(`biomedicine gaps: ${kinds.join(', ')}`);
    assert.ok(kinds.length >= 1, 'no coverage gap listed');
    assert.ok(kinds.includes('RD_WITHOUT_MANUFACTURING'), 'no R&D-without-manufacturing gap in biomedicine');
    assert.match(await list.innerText(), /R&D without manufacturing/);

    await page.waitForFunction(() => window.__explorer.gaps !== null && window.__explorer.highlighted.length > 0);
    const h = await hook(page);
    assert.equal(h.gaps.length, kinds.length);
    assert.deepEqual([...h.highlighted].sort(), h.gaps.map((g) => g.segment).sort());
    await screenshot(page, 'explorer-gaps.png');

    // A gap in the list selects its segment.
    await items.first().getByRole('button').click();
    await page.waitForFunction((seg) => window.__explorer.selected === seg, h.gaps[0].segment);
    await page.getByTestId('details').getByText('Coverage gap:').waitFor();
  }));

  it('shows the official lists of a chain and what the graph holds of them', (t) => withExplorer(t, async ({ page }) => {
    await pick(page, 'nev-icv');
    const lists = page.getByTestId('official-lists');
    await lists.waitFor();
    const kinds = await lists.getByTestId('official-list').evaluateAll((els) => els.map((e) => e.dataset.kind));
    t.diagnostic(`nev-icv lists: ${kinds.join(', ')}`);
    assert.ok(kinds.includes('KEY_FIRM_LIST'), `no key-firm list: ${kinds}`);
    assert.match(await lists.innerText(), /the graph holds \d+ of \d+ named entries/);
    await screenshot(page, 'explorer-lists.png');
  }));

  it('charts the chain’s bottlenecks per year as the API counts them', (t) => withExplorer(t, async ({ page }) => {
    await pick(page, 'hydrogen');
    const chart = page.getByTestId('progress');
    await chart.waitFor();
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: '{ chainMap(id: "hydrogen") { progress { year open inProgress resolvedSoFar } } }' }),
    });
    const body = await res.json();
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    const want = body.data.chainMap.progress;
    assert.ok(want.length > 0, 'the API dates nothing of the hydrogen chain');
    // One stacked bar per year, bottom up resolved, in progress, open, with the API's counts.
    const drawn = await chart.getByTestId('progress-year').evaluateAll((years) => years.map((g) => ({
      year: Number(g.dataset.year),
      bars: [...g.querySelectorAll('[data-testid="progress-bar"]')].map((r) => ({
        status: r.dataset.status, count: Number(r.dataset.count), height: Number(r.getAttribute('height')),
        y: Number(r.getAttribute('y')),
      })),
    })));
    assert.deepEqual(
      drawn.map((d) => ({ year: d.year, counts: d.bars.map((b) => [b.status, b.count]) })),
      want.map((y) => ({ year: y.year, counts: [['RESOLVED', y.resolvedSoFar], ['IN_PROGRESS', y.inProgress], ['OPEN', y.open]] })),
    );
    // Heights follow the counts, and the parts stack without gaps.
    const perUnit = drawn.flatMap((d) => d.bars).filter((b) => b.count > 0).map((b) => b.height / b.count);
    assert.ok(perUnit.every((u) => Math.abs(u - perUnit[0]) < 1e-6), `bar heights not proportional: ${perUnit}`);
    for (const d of drawn) {
      for (let i = 1; i < d.bars.length; i++) assert.ok(Math.abs(d.bars[i].y + d.bars[i].height - d.bars[i - 1].y) < 1e-6);
    }
    // Accessible: an image with a title and a description that says the figures.
    const svg = chart.locator('svg');
    assert.equal(await svg.getAttribute('role'), 'img');
    assert.match(await svg.locator('#progress-title').textContent(), /^Bottlenecks of .+ at the end of each year/);
    const last = want[want.length - 1];
    assert.ok((await svg.locator('#progress-desc').textContent()).includes(
      `${last.year}: ${last.resolvedSoFar} resolved, ${last.inProgress} in progress, ${last.open} open`));
    t.diagnostic(`hydrogen progress: ${JSON.stringify(want)}`);
    await chart.scrollIntoViewIfNeeded();
    await screenshot(page, 'explorer-progress.png');
  }));

  it('recolours a bottleneck live when another replica changes its status', (t) => withExplorer(t, async ({ page }) => {
    // The change goes through a second `chainmap serve` (an editor's replica): the explorer's server learns of
    // it from the change log, and the page from its subscription — no reload.
    const key = 'e2e-editor-key-00000000';
    const editor = await startServer({ extraEnv: { CHAINMAP_API_KEYS: `e2e:editor:${key}` } });
    const restore = [];
    t.after(async () => {
      for (const f of restore) await f(); // the status back, through the editor's server, then stop it
      await editor.stop();
    });
    await pick(page, 'hydrogen');
    const before = await hook(page);
    const id = await page.evaluate(() => window.__explorer.nodes('Bottleneck')[0]);
    assert.ok(id, 'the hydrogen chain draws no bottleneck');
    const from = await page.evaluate((id) => window.__explorer.status(id), id);
    const to = from === 'OPEN' ? 'IN_PROGRESS' : 'OPEN';
    const setStatus = async (status) => {
      const res = await fetch(`${editor.url}/graphql`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: `mutation($id: ID!, $s: BottleneckStatus!) { setBottleneckStatus(id: $id, status: $s) { status } }`,
          variables: { id, s: status } }),
      });
      const body = await res.json();
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    };
    await page.waitForTimeout(500); // the subscription is open
    const sent = Date.now();
    await setStatus(to);
    restore.push(() => setStatus(from));
    await page.waitForFunction(({ id, to }) => window.__explorer.status(id) === to, { id, to }, { timeout: 5_000 });
    t.diagnostic(`${id}: ${from} → ${to} drawn ${Date.now() - sent} ms after the mutation was sent`);
    const now = await hook(page);
    assert.ok((await page.evaluate(() => window.__explorer.liveEvents)) >= 1, 'no live event counted');
    assert.deepEqual(now.counts, before.counts, 'the counts changed');
    const classes = await page.evaluate((id) => window.__explorer.info(id) && window.__explorer.status(id), id);
    assert.equal(classes, to);
    await screenshot(page, 'explorer-live.png');
  }));

  it('draws a chain over the map of the region: regions coloured as the API counts, links as arcs', (t) => withExplorer(t, async ({ page }) => {
    const chain = 'robots'; // the seeds give it links of three kinds and firms in several regions
    await pick(page, chain);
    const m = await openMap(page);
    const api = await graphql(page, `query($id: ID!) {
      regions { code stats(chainMapId: $id) { enterprises openBottlenecks } }
      rdManufacturingLinks(filter: {chainMapId: $id}, first: 100) { totalCount nodes { kind fromRegion { code } toRegion { code } } }
    }`, { id: chain });
    const stats = new Map(api.regions.map((r) => [r.code, r.stats]));

    // 16 + 16 districts, 11 cities and Xiong'an; each coloured by the API's count for it.
    assert.equal(m.regions, 44);
    const drawn = await page.locator('[data-testid="map"] path.unit').evaluateAll((ps) => ps.map((p) => [p.dataset.code, Number(p.dataset.value)]));
    assert.equal(drawn.length, 44);
    assert.ok(drawn.some(([c]) => c === '133100') && drawn.some(([c]) => c === '120119'), 'Xiong\'an or Jizhou is not drawn');
    for (const [code, value] of drawn) assert.equal(value, stats.get(code)?.enterprises, `firms in ${code}`);
    assert.ok(drawn.some(([, v]) => v > 0), 'no region has a firm of the chain');

    // Every link with both ends placed is drawn, folded into one arc per pair of regions.
    const links = api.rdManufacturingLinks;
    assert.equal(m.linksTotal, links.totalCount);
    const placed = (kind) => links.nodes.filter((l) => l.fromRegion && l.toRegion && l.kind !== kind).length;
    assert.ok(placed() > 0, 'the chain has no link to draw');
    assert.equal(m.linksDrawn, placed());
    const arcs = await page.locator('[data-testid="map"] path.arc').evaluateAll((ps) => ps.map((p) => Number(p.dataset.count)));
    assert.equal(arcs.length, m.arcs);
    assert.equal(arcs.reduce((a, b) => a + b, 0), m.linksDrawn);
    await screenshot(page, 'explorer-map.png');

    // Filtering a kind out takes its links off the map.
    const kind = links.nodes.find((l) => l.fromRegion && l.toRegion).kind;
    await page.locator(`[data-testid="link-kinds"] input[data-kind="${kind}"]`).uncheck();
    await page.waitForFunction((n) => window.__explorer.map.linksDrawn === n, placed(kind));
    t.diagnostic(`${chain}: ${links.totalCount} links, ${m.arcs} arcs; without ${kind}: ${placed(kind)} links drawn`);

    // Colouring by open bottlenecks.
    await page.getByTestId('metric-bottlenecks').click();
    await page.waitForFunction(() => window.__explorer.map.metric === 'bottlenecks');
    const values = (await page.evaluate(() => window.__explorer.map)).values;
    for (const [code, v] of Object.entries(values)) assert.equal(v, stats.get(code)?.openBottlenecks, `open bottlenecks in ${code}`);
    await screenshot(page, 'explorer-map-bottlenecks.png');
  }));

  it('lists a region’s firms and bottlenecks on a click, and opens a firm in the chain view', (t) => withExplorer(t, async ({ page }) => {
    await pick(page, 'nev-icv');
    const m = await openMap(page);
    // The Hebei city or Xiong'an with the most firms of the chain, clicked with the mouse at its centre.
    const [code, firms] = Object.entries(m.values).filter(([c]) => c.startsWith('13')).sort((a, b) => b[1] - a[1])[0];
    assert.ok(firms > 0, 'no Hebei region has a firm of the chain');
    const at = await page.evaluate((c) => window.__explorer.mapPosition(c), code);
    await page.mouse.click(at.x, at.y);
    await page.waitForFunction((c) => window.__explorer.map?.selected === c && window.__explorer.map.listed, code);
    const { listed } = await page.evaluate(() => window.__explorer.map);
    // The list the panel shows has as many firms as the map's colour says.
    assert.equal(listed.enterprises, firms, `${code}: ${firms} firms coloured, ${listed.enterprises} listed`);
    const names = page.getByTestId('region-firms').locator('li');
    assert.equal(await names.count(), Math.min(firms, 50));
    // The links it lists as arriving (rdManufacturingLinks) are those its arcs stand for (rdLinkFlows).
    const arriving = await page.getByTestId('region-links-in').locator('li').count();
    const arcs = await page.locator(`[data-testid="map"] path.arc[data-to="${code}"]`).evaluateAll((ps) => ps.reduce((n, p) => n + Number(p.dataset.count), 0));
    assert.equal(arriving, arcs, `${code}: ${arriving} links listed as arriving, arcs stand for ${arcs}`);
    t.diagnostic(`nev-icv in ${code}: ${firms} firms, ${listed.bottlenecks} open bottlenecks, ${arriving} links arriving`);
    await screenshot(page, 'explorer-map-region.png', { chinese: true });

    // A firm of the list opens in the chain view, selected.
    await names.first().getByRole('button').click();
    await page.waitForFunction(() => window.__explorer.view === 'chain' && window.__explorer.selected);
    await page.getByTestId('details').waitFor();
    assert.equal(await page.getByTestId('details').getAttribute('data-type'), 'Enterprise');
  }));
});

// openMap shows the map tab and waits until it has drawn the chain; it returns the map's state.
async function openMap(page) {
  await page.getByTestId('tab-map').click();
  await page.waitForFunction(() => window.__explorer.map?.ready);
  return page.evaluate(() => window.__explorer.map);
}

// graphql asks the page's API a query, as the page would.
async function graphql(page, query, variables) {
  const body = await page.evaluate(async ({ query, variables }) => {
    const res = await fetch('/graphql', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return res.json();
  }, { query, variables });
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}
