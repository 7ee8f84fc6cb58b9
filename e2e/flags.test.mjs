// Readers' reports in the explorer (issue 18): a reader says a record is wrong from its panel ("This is wrong ·
// 报告错误": note and source), and an editor, with a token entered once, lists the open reports and settles them —
// one fixed by an edit (the change that fixed it picked from the edits made since), one rejected with a
// reason. Runs `chainmap serve` against the test Neo4j with the seeds loaded and an editor's API key. Writes
// explorer-flag.png and explorer-flags-editor.png to env.screenshots.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isLocalUrl, keepChineseScreenshot, keepFailureScreenshot, keepScreenshot, launchBrowser, loadSeeds, requestProblem, startServer } from './lib.mjs';

const VIEWPORT = { width: 1600, height: 1000 };
const EDITOR_KEY = 'e2e-flags-editor-key-0000';
const marker = `e2e-${Date.now()}`; // finds this run's reports among those earlier runs left

let server;
let chrome;
let setup;

async function prepare() {
  await loadSeeds();
  server = await startServer({ extraEnv: { CHAINMAP_API_KEYS: `e2e-editor:editor:${EDITOR_KEY}` } });
  chrome = await launchBrowser();
}

// api runs a GraphQL request against the test server (as the editor when token is given) and returns its data.
async function api(query, variables = {}, token = '') {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

// open opens a page of the explorer in a fresh context (a fresh browser tab: no token kept) and collects its
// problems: failed local requests, error responses, console errors, uncaught errors.
async function open(t, hash, context) {
  await setup;
  const ctx = context ?? (await chrome.newContext({ viewport: VIEWPORT }));
  ctx.setDefaultTimeout(20_000);
  const page = await ctx.newPage();
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
  if (!context) t.after(() => ctx.close());
  // English: the assertions read English labels (Chinese, the default, is tested in front-door.test.mjs).
  await page.goto(`${server.url}/explore#lang=en&${hash}`, { waitUntil: 'domcontentloaded' });
  return { page, problems, context: ctx };
}

async function check(t, opened, fn) {
  try {
    await fn();
    assert.deepEqual(opened.problems, [], 'the page had failed requests or errors');
  } catch (err) {
    await keepFailureScreenshot(t, opened.page);
    throw err;
  }
}

// The records this run flags: a bottleneck and an enterprise of the hydrogen chain.
let bottleneck;
let firm;

// flag opens a record's panel and sends a report through the form; it returns the panel's open count before.
async function flag(t, page, { id, field, note, source, picture }) {
  const section = page.getByTestId('flag-section');
  await page.waitForFunction((id) => window.__explorer.selected === id && document.querySelector('[data-testid=flag-section]'), id);
  const before = Number(await section.getAttribute('data-open'));
  await page.getByTestId('flag-button').click();
  await page.getByTestId('flag-field').selectOption(field);
  // Markup is refused, with the reason shown, and nothing is sent.
  await page.getByTestId('flag-note').fill(`<b>${note}</b>`);
  await page.getByTestId('flag-submit').click();
  await assert.doesNotReject(page.getByTestId('flag-error').waitFor());
  assert.match(await page.getByTestId('flag-error').innerText(), /plain text/);
  await page.getByTestId('flag-note').fill(note);
  await page.getByTestId('flag-source').fill(source);
  assert.equal(await page.getByTestId('flag-error').count(), 0, 'the error stays after the note was changed');
  if (picture) {
    await page.getByTestId('flag-form').scrollIntoViewIfNeeded();
    await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height - 5);
    await keepChineseScreenshot(page, picture);
  }
  await page.getByTestId('flag-submit').click();
  await page.getByTestId('flag-done').waitFor();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=flag-section]')?.dataset.open) === n, before + 1);
  assert.match(await page.getByTestId('flag-count').innerText(), new RegExp(`${before + 1} open report`));
  t.diagnostic(`${id}: ${before} → ${before + 1} open reports`);
  return before;
}

describe('readers flag records, editors settle the flags', { timeout: 300_000 }, () => {
  before(async () => {
    setup = prepare();
    await setup.catch(() => {}); // reported by each test
    if (server) {
      const d = await api(`{ bottlenecks(filter: {chainMapId: "hydrogen"}, first: 1) { nodes { id status } }
        enterprises(filter: {chainMapId: "hydrogen"}, first: 1) { nodes { id } } }`);
      bottleneck = d.bottlenecks.nodes[0];
      firm = d.enterprises.nodes[0];
    }
  });

  after(async () => {
    await chrome?.close();
    await server?.stop();
  });

  it('a reader reports a wrong bottleneck and a wrong firm from their panels', async (t) => {
    for (const [i, r] of [
      { id: bottleneck.id, type: 'Bottleneck', field: 'status', note: `${marker}: 已进入中试，应为攻关中 (in progress since 2024)`,
        source: 'https://www.example.gov.cn/h2/2024-pilot.html', picture: 'explorer-flag.png' },
      { id: firm.id, type: 'Enterprise', field: 'sites', note: `${marker}: the Tianjin plant closed in 2021`,
        source: 'https://www.example.com.cn/news/plant-closed' },
    ].entries()) {
      const opened = await open(t, `chain=hydrogen&node=${r.id}`);
      await check(t, opened, async () => {
        const { page } = opened;
        await page.waitForFunction(() => window.__explorer?.ready);
        await page.getByTestId('details').waitFor();
        assert.equal(await page.getByTestId('details').getAttribute('data-type'), r.type, `record ${i}`);
        await flag(t, page, r);
      });
    }
  });

  it('an editor, with a token entered once, fixes one report by an edit and rejects the other', async (t) => {
    const opened = await open(t, 'chain=hydrogen&view=flags');
    await check(t, opened, async () => {
      const { page, context } = opened;
      const view = page.getByTestId('flags-view');
      await view.waitFor();
      // A wrong token is told so.
      await page.getByTestId('token-input').fill('not-a-key-of-this-server');
      await page.getByTestId('token-submit').click();
      await page.getByTestId('flags-error').waitFor();
      assert.match(await page.getByTestId('flags-error').innerText(), /unknown API key/);
      opened.problems.length = 0; // the refused token's 200 response carries the error; nothing else may fail
      await page.getByTestId('token-forget').click();
      await page.getByTestId('token-input').fill(EDITOR_KEY);
      await page.getByTestId('token-submit').click();

      const item = (text) => page.getByTestId('flag-item').filter({ hasText: text });
      const fixMe = item(`${marker}: 已进入中试`);
      const rejectMe = item(`${marker}: the Tianjin plant`);
      await fixMe.waitFor();
      await rejectMe.waitFor();
      assert.equal(await fixMe.getAttribute('data-record'), bottleneck.id);
      assert.equal(await fixMe.getAttribute('data-status'), 'OPEN');
      assert.match(await fixMe.innerText(), /by anonymous \(addr:127\.0\.0\.1\)/);

      // The token is kept for the tab: a reload lists the reports without asking again.
      await page.reload({ waitUntil: 'domcontentloaded' });
      await fixMe.waitFor();
      assert.equal(await page.getByTestId('token-form').count(), 0, 'the token was asked for again');

      // The kind of record and the field a report names are said in the language shown, not as the API names them.
      const badges = (card) => Promise.all([card.locator('.badge[data-kind]').textContent(), card.locator('.badge.field').textContent()]);
      const switchTo = async (lang, htmlLang) => {
        await page.getByTestId(`lang-${lang}`).dispatchEvent('click');
        await page.waitForFunction((l) => document.documentElement.lang === l, htmlLang);
      };
      assert.deepEqual(await badges(fixMe), ['Bottleneck', 'Status']);
      assert.deepEqual(await badges(rejectMe), ['Enterprise', 'Sites']);
      await switchTo('zh', 'zh-CN');
      assert.deepEqual(await badges(fixMe), ['瓶颈', '状态']);
      assert.deepEqual(await badges(rejectMe), ['企业', '地点']);
      await switchTo('en', 'en');

      // The editor fixes the bottleneck (its status, through the API), then names that change.
      const from = bottleneck.status;
      const to = from === 'OPEN' ? 'IN_PROGRESS' : 'OPEN';
      const setStatus = (s) => api(`mutation($id: ID!, $s: BottleneckStatus!) { setBottleneckStatus(id: $id, status: $s) { id } }`,
        { id: bottleneck.id, s }, EDITOR_KEY);
      await setStatus(to);
      t.after(() => setStatus(from));
      await rejectMe.getByTestId('flag-reject').click();
      await rejectMe.getByTestId('flag-resolution-note').fill('The 2021 closure was of a warehouse; the plant still runs (annual report 2023).');
      await fixMe.getByTestId('flag-edited').click();
      // The edits since the report (of the bottleneck, or loads) are offered; the editor picks the status change.
      const choice = fixMe.getByTestId('flag-edit-choice');
      await choice.waitFor();
      const offered = await choice.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, text: o.textContent })));
      const edit = offered.find((o) => o.text.includes(`setBottleneckStatus ${bottleneck.id}`));
      assert.ok(edit, `the status change is not offered: ${JSON.stringify(offered)}`);
      await choice.selectOption(edit.value);
      await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height - 5);
      await keepChineseScreenshot(page, 'explorer-flags-editor.png');

      await fixMe.getByTestId('flag-resolve-submit').click();
      await fixMe.waitFor({ state: 'detached' }); // the open list no longer has it
      await rejectMe.getByTestId('flag-resolve-submit').click();
      await rejectMe.waitFor({ state: 'detached' });

      // All reports: both settled, with who, how and why.
      await page.getByTestId('flags-status').selectOption('ALL');
      await fixMe.waitFor();
      assert.equal(await fixMe.getAttribute('data-status'), 'RESOLVED');
      assert.match(await fixMe.getByTestId('flag-resolution').innerText(), /Fixed by change #\d+ by e2e-editor/);
      assert.equal(await rejectMe.getAttribute('data-status'), 'REJECTED');
      assert.match(await rejectMe.getByTestId('flag-resolution').innerText(), /Rejected by e2e-editor .*warehouse/);

      // A reader sees the open counts fall back; the editor forgets the token.
      const flags = await api(`query($b: ID!, $f: ID!) { bottleneck(id: $b) { flags { open } } enterprise(id: $f) { flags { open } } }`,
        { b: bottleneck.id, f: firm.id });
      t.diagnostic(`open reports now: ${JSON.stringify(flags)}`);
      await page.getByTestId('token-forget').click();
      await page.getByTestId('token-form').waitFor();
      const stored = await page.evaluate(() => sessionStorage.getItem('chainmap.editorToken'));
      assert.equal(stored, null);
      void context;
    });
  });
});
