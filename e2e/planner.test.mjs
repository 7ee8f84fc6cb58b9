// The planner's view (issue 21), served by `chainmap serve` against the test Neo4j with the curated seeds: a
// region's page opened from the map (its chains, its gaps and candidates, its exposure, its changes), the
// scenario toggle on the map (removed regions hatched, the regions where firms are cut off outlined, the broken
// segments listed), and the printable region page. What the page shows is compared with what the API answers.
// Writes explorer-region-page.png, explorer-map-scenario.png and report-region.png to env.screenshots.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { env, isLocalUrl, keepFailureScreenshot, keepScreenshot, launchBrowser, requestProblem, startServer } from './lib.mjs';

const VIEWPORT = { width: 1600, height: 1000 };

async function loadSeeds() {
  try {
    await promisify(execFile)(env.bin, ['load', '-connect-timeout', '15s'], {
      env: { ...process.env, NEO4J_URI: env.neo4jUri, NEO4J_USER: env.neo4jUser, NEO4J_PASSWORD: env.neo4jPassword },
      timeout: 120_000,
    });
  } catch (err) {
    assert.fail(`\`chainmap load\` into the test Neo4j at ${env.neo4jUri} failed (make test-neo4j; make build):\n${err.stderr || err.message}`);
  }
}

let server;
let chrome;
let setup;

async function prepare() {
  await loadSeeds();
  server = await startServer();
  chrome = await launchBrowser();
}

// open loads the explorer at a hash and waits for the map; problems collects failed requests and page errors.
async function open(t, hash) {
  await setup;
  const context = await chrome.newContext({ viewport: VIEWPORT });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const problems = [];
  page.on('requestfailed', (r) => {
    const problem = requestProblem(r);
    if (problem) problems.push(problem);
  });
  page.on('response', (r) => r.status() >= 400 && isLocalUrl(r.url()) && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  t.after(() => context.close());
  await page.goto(`${server.url}/explore#${hash}`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => window.__explorer?.map?.ready);
  return { page, problems };
}

async function run(t, hash, fn) {
  const opened = await open(t, hash);
  try {
    await fn(opened);
    assert.deepEqual(opened.problems, [], 'the page had failed requests or errors');
  } catch (err) {
    await keepFailureScreenshot(t, opened.page);
    throw err;
  }
}

async function graphql(query, variables) {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

async function screenshot(page, name) {
  await page.mouse.move(5, VIEWPORT.height - 5);
  await page.waitForTimeout(300);
  await keepScreenshot(page, name);
}

const GAPS = `query($code: String!, $chain: ID!) { regionChainGaps(regionCode: $code, chainMapId: $chain, first: 3) {
  gaps { segment { id } status firmCandidates { enterprise { id } score } } } }`;

// Why each part of each score gives its points, in both languages, in the order the region page draws the parts
// (the lists of each gap in turn; parts without points are not drawn).
const REASONS = `query($code: String!, $chain: ID!) { regionChainGaps(regionCode: $code, chainMapId: $chain, first: 3) {
  gaps { firmCandidates { parts { ...Why } } rdCandidates { parts { ...Why } } parks { parts { ...Why } } } } }
  fragment Why on ScorePart { points zh: note(lang: ZH) en: note(lang: EN) }`;

describe('planner view', { timeout: 180_000 }, () => {
  before(async () => {
    setup = prepare();
    await setup.catch(() => {});
  });
  after(async () => {
    await chrome?.close();
    await server?.stop();
  });

  it('opens a region’s page from the map: its gaps and candidates as the API ranks them, its exposure, its changes', (t) =>
    run(t, 'chain=hydrogen&view=map', async ({ page }) => {
      // Click Baoding on the map, then its page.
      const at = await page.evaluate(() => window.__explorer.mapPosition('130600'));
      await page.mouse.click(at.x, at.y);
      await page.getByTestId('open-region-page').click();
      const rp = page.locator('[data-testid="region-page"][data-ready="1"]');
      await rp.waitFor();
      assert.equal(await rp.getAttribute('data-code'), '130600');
      assert.match(new URL(page.url()).hash, /region=130600/);

      const api = (await graphql(GAPS, { code: '130600', chain: 'hydrogen' })).regionChainGaps;
      const shown = await rp.getByTestId('gap').evaluateAll((gs) => gs.map((g) => ({
        segment: g.dataset.segment, status: g.dataset.status,
        firms: [...g.querySelectorAll('[data-testid="candidate"][data-list="firm"]')].map((c) => [c.dataset.id, Number(c.dataset.score)]),
      })));
      assert.deepEqual(shown, api.gaps.map((g) => ({
        segment: g.segment.id, status: g.status, firms: g.firmCandidates.map((c) => [c.enterprise.id, c.score]),
      })));
      assert.ok(shown.length > 0, 'Baoding lacks no hydrogen segment?');
      // Every candidate's bar is its parts; each part explains itself on hover.
      const titles = await rp.locator('.parts .part').evaluateAll((ps) => ps.map((p) => p.getAttribute('title')));
      assert.ok(titles.length > 0 && titles.every((x) => /^[^+]+ \+\d+: .+/.test(x)), `part titles ${titles.slice(0, 3)}`);

      // The exposure is the scenario of the region, kept to the chain.
      const s = (await graphql(`{ scenario(remove: {regionCodes: ["130600"]}, chainMapId: "hydrogen") { cutOffTotal segmentsLost } }`)).scenario;
      const exposure = rp.getByTestId('exposure');
      assert.equal(Number(await exposure.getAttribute('data-cut-off')), s.cutOffTotal);
      assert.equal(Number(await exposure.getAttribute('data-lost')), s.segmentsLost);
      const changes = rp.getByTestId('changes');
      const c = (await graphql(`{ changesSummary(chainMapId: "hydrogen", regionCode: "130600") { eventsTotal } }`)).changesSummary;
      assert.equal(Number(await changes.getAttribute('data-events')), c.eventsTotal);
      // The downloads and the printable page are linked.
      for (const href of await rp.locator('.actions a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
        const res = await fetch(server.url + href);
        assert.equal(res.status, 200, `${href}: ${res.status}`);
      }
      await screenshot(page, 'explorer-region-page.png');

      // Each part's reason on hover is the API's sentence in the language shown: Chinese, then English after the
      // switch (no new request: the page asked for both), then Chinese again.
      const reasons = (await graphql(REASONS, { code: '130600', chain: 'hydrogen' })).regionChainGaps.gaps
        .flatMap((g) => [...g.firmCandidates, ...g.rdCandidates, ...g.parks]).flatMap((c) => c.parts.filter((p) => p.points > 0));
      const said = () => rp.locator('.parts .part').evaluateAll((ps) => ps.map((p) => p.getAttribute('title').replace(/^[^:]+: /, '')));
      assert.deepEqual(await said(), reasons.map((p) => p.zh));
      assert.ok(reasons.every((p) => /\p{Script=Han}/u.test(p.zh) && !/nearest site|active in|no move/.test(p.zh)), 'a reason is not Chinese');
      await page.getByTestId('lang-en').click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      assert.deepEqual(await said(), reasons.map((p) => p.en));
      await page.getByTestId('lang-zh').click();
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');

      // Another chain of the region, from its page.
      await rp.locator('[data-testid="region-chains"] button[data-chain="nev-icv"]').click();
      await page.waitForFunction(() => window.__explorer.chainMapId === 'nev-icv');
      await page.locator('[data-testid="region-page"][data-ready="1"]').waitFor();
      const nev = (await graphql(GAPS, { code: '130600', chain: 'nev-icv' })).regionChainGaps;
      const segments = await page.getByTestId('gap').evaluateAll((gs) => gs.map((g) => g.dataset.segment));
      assert.deepEqual(segments, nev.gaps.map((g) => g.segment.id));
    }));

  it('removes regions on the map: hatched, with what the chain loses and where firms are cut off', (t) =>
    run(t, 'chain=nev-icv&view=map', async ({ page }) => {
      await page.getByTestId('scenario-toggle').check();
      const at = await page.evaluate(() => window.__explorer.mapPosition('130900'));
      await page.mouse.click(at.x, at.y);
      await page.locator('[data-testid="scenario-panel"][data-ready="1"]').waitFor();
      assert.equal(await page.locator('[data-testid="removed-region"][data-code="130900"]').count(), 1, 'Cangzhou is not hatched');

      const s = (await graphql(`{ scenario(remove: {regionCodes: ["130900"]}, chainMapId: "nev-icv", first: 12) {
        segmentsTotal cutOffTotal segments { segment { id } status } cutOff { enterprise { id } } } }`)).scenario;
      const result = page.getByTestId('scenario-result');
      assert.equal(Number(await result.getAttribute('data-cut-off')), s.cutOffTotal);
      const broken = await result.getByTestId('broken-segment').evaluateAll((ls) => ls.map((l) => [l.dataset.segment, l.dataset.status]));
      assert.deepEqual(broken, s.segments.map((x) => [x.segment.id, x.status]));
      assert.ok(s.cutOffTotal > 0 && s.cutOff.some((c) => c.enterprise.id === 'beijing-hyundai'), 'Beijing Hyundai is not cut off');
      // Beijing Hyundai sits in Shunyi: its district is outlined as a place where the loss lands.
      assert.ok(await page.locator('.scenario-layer .landed[data-code="110113"]').count(), 'Shunyi is not outlined');
      await screenshot(page, 'explorer-map-scenario.png');

      // A second region adds to the scenario; clicking it again takes it out.
      const tj = await page.evaluate(() => window.__explorer.mapPosition('120116'));
      await page.mouse.click(tj.x, tj.y);
      await page.locator('[data-testid="removed-region"][data-code="120116"]').waitFor();
      await page.mouse.click(tj.x, tj.y);
      await page.locator('[data-testid="removed-region"][data-code="120116"]').waitFor({ state: 'detached' });
      await page.locator('[data-testid="scenario-panel"][data-ready="1"]').waitFor();
    }));

  it('prints a region’s page: gaps with every part of every score, exposure, changes', async (t) => {
    await setup;
    const context = await chrome.newContext({ viewport: { width: 1200, height: 1600 } });
    t.after(() => context.close());
    const page = await context.newPage();
    try {
      const res = await page.goto(`${server.url}/report/region/130600?chainMapId=hydrogen&lang=zh`, { waitUntil: 'load' });
      assert.equal(res.status(), 200);
      for (const want of ['补链', '风险：若本地停摆', '本地的变化', '环节匹配']) {
        assert.ok((await page.content()).includes(want), `no "${want}"`);
      }
      await keepScreenshot(page, 'report-region.png');
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      assert.ok(pdf.length > 20_000, `a PDF of ${pdf.length} bytes`);
      assert.deepEqual(chrome.blocked, [], 'the page tried to load something from elsewhere');
    } catch (err) {
      await keepFailureScreenshot(t, page);
      throw err;
    }
  });
});
