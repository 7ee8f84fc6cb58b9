// The explorer as the planners' front door (issue 18): `/` opens it, in Chinese unless English was chosen (the
// switch in the header, kept across reloads); "Download Excel" gives exactly the firms on screen (the chain's, or
// the chain's in the region picked on the map), read back with ExcelJS; "Print report" opens the chain's report
// (or the region's page); every string of the explorer has both languages (web/src/explore/i18n.ts). Writes
// front-door-{zh,en}.png to env.screenshots.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { isLocalUrl, keepFailureScreenshot, keepScreenshot, launchBrowser, loadSeeds, requestProblem, startServer } from './lib.mjs';

const VIEWPORT = { width: 1600, height: 1000 };
const CJK = /[\u4e00-\u9fff]/;

let server;
let chrome;
let setup;
let downloads;

async function prepare() {
  await loadSeeds();
  server = await startServer();
  chrome = await launchBrowser();
  downloads = await mkdtemp(join(tmpdir(), 'chainmap-front-door-'));
}

// open opens path (`/` unless said) in a fresh context, waits for the chain to be drawn, and counts the clicks
// made through click(). problems collects failed requests, error responses and page errors.
async function open(t, path = '/') {
  await setup;
  const context = await chrome.newContext({ viewport: VIEWPORT, acceptDownloads: true });
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
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  t.after(() => context.close());
  await page.goto(`${server.url}${path}`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => window.__explorer?.ready);
  let clicks = 0;
  const click = async (locator) => {
    clicks++;
    await locator.click();
  };
  const select = async (locator, value) => {
    clicks++; // a pick in a list is one click for the planner (open and choose)
    await locator.selectOption(value);
  };
  return { page, context, problems, click, select, clicks: () => clicks };
}

async function run(t, opened, fn) {
  try {
    await fn(opened);
    assert.deepEqual(opened.problems, [], 'the page had failed requests or errors');
  } catch (err) {
    await keepFailureScreenshot(t, opened.page);
    throw err;
  }
}

// excelFirms downloads the workbook a click on locator gives and returns the ids and names of its firms.
async function excelFirms(page, click, locator) {
  const [download] = await Promise.all([page.waitForEvent('download'), click(locator)]);
  const file = join(downloads, `${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(file);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const sheet = book.getWorksheet('enterprises');
  assert.ok(sheet, `no enterprises sheet in ${download.suggestedFilename()}: ${book.worksheets.map((w) => w.name)}`);
  const header = sheet.getRow(1).values;
  const col = (name) => header.indexOf(name);
  assert.ok(col('id') > 0, `no id column: ${header}`);
  const firms = [];
  sheet.eachRow((row, n) => {
    if (n > 1) firms.push({ id: String(row.getCell(col('id')).value), nameZh: col('nameZh') > 0 ? row.getCell(col('nameZh')).value : null });
  });
  return { name: download.suggestedFilename(), url: download.url(), firms };
}

const sorted = (xs) => [...xs].sort();

describe('the front door', { timeout: 180_000 }, () => {
  before(async () => {
    setup = prepare();
    await setup.catch(() => {});
  });

  after(async () => {
    await chrome?.close();
    await server?.stop();
    if (downloads) await rm(downloads, { recursive: true, force: true });
  });

  it('every string of the explorer has Chinese and English', async () => {
    const { STRINGS, LANGS } = await import('../web/src/explore/i18n.ts');
    const entries = Object.entries(STRINGS);
    assert.ok(entries.length > 100, `only ${entries.length} strings`);
    assert.deepEqual(LANGS.map(([l]) => l), ['zh', 'en'], 'Chinese first');
    for (const [key, e] of entries) {
      for (const lang of ['zh', 'en']) {
        assert.ok(lang in e, `${key} lacks ${lang}`);
        const v = typeof e[lang] === 'function' ? e[lang](1, 2, 3, 4, 5, 6) : e[lang];
        assert.equal(typeof v, 'string', `${key}.${lang} is not a string`);
        assert.ok(v.trim() !== '', `${key}.${lang} is empty`);
      }
      // A Chinese entry says something in Chinese (a dash or a name in Latin letters excepted).
      const zh = typeof e.zh === 'function' ? e.zh('x', 1, 2, 3, 4, 5) : e.zh;
      if (!/^[—\s]*$/.test(zh) && !/^(GraphQL|Excel|CSV)/.test(zh)) assert.match(zh, CJK, `${key}.zh is not Chinese: ${zh}`);
    }
  });

  it('every kind of record a reader can flag, and every field of it, is said in both languages (the editors\' list)', async () => {
    const { STRINGS } = await import('../web/src/explore/i18n.ts');
    const sdl = await readFile(new URL('../schema/schema.graphql', import.meta.url), 'utf8');
    const kinds = /^union FlaggedRecord = (.+)$/m.exec(sdl)?.[1].split('|').map((k) => k.trim()) ?? [];
    assert.ok(kinds.length >= 9, `${kinds.length} kinds of flagged record read from schema/schema.graphql`);
    // Not facts a reader points at: the id, the flags themselves and figures computed from other records.
    const notFacts = new Set(['id', 'flags', 'stats', 'progress', 'sourcesAsOf']);
    for (const kind of kinds) {
      assert.ok(`type.${kind}` in STRINGS, `the editors' list cannot say the kind ${kind}`);
      const body = new RegExp(`\\ntype ${kind}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(sdl)?.[1] ?? '';
      const fields = [...body.matchAll(/^ {2}([a-zA-Z]+)[(:]/gm)].map((m) => m[1]).filter((f) => !notFacts.has(f));
      assert.ok(fields.length > 3, `${kind}: ${fields.length} fields read`);
      for (const f of fields) assert.ok(`field.${f}` in STRINGS, `the editors' list cannot say the field ${kind}.${f}`);
    }
  });

  it('every error code and reason of the API (docs/api.md) is said in both languages', async () => {
    const { STRINGS } = await import('../web/src/explore/i18n.ts');
    const doc = await readFile(new URL('../docs/api.md', import.meta.url), 'utf8');
    const table = (heading) => {
      const at = doc.indexOf(heading);
      assert.ok(at >= 0, `docs/api.md has no "${heading}"`);
      const rows = [];
      for (const line of doc.slice(at).split('\n').slice(1)) {
        const m = /^\| `([A-Z_]+)` \|/.exec(line);
        if (m) rows.push(m[1]);
        else if (rows.length && !line.startsWith('|')) break;
      }
      return rows;
    };
    const codes = table('| code |');
    const reasons = table('| reason |');
    assert.ok(codes.length >= 12 && reasons.length >= 10, `${codes.length} codes, ${reasons.length} reasons read from docs/api.md`);
    for (const c of codes) assert.ok(`error.${c}` in STRINGS, `the explorer cannot say the code ${c}`);
    for (const r of reasons) assert.ok(`errorReason.${r}` in STRINGS, `the explorer cannot say the reason ${r}`);
  });

  it('/ opens the explorer, in Chinese, with a link to the GraphQL IDE', async (t) => {
    const opened = await open(t, '/');
    await run(t, opened, async ({ page }) => {
      assert.equal(new URL(page.url()).pathname, '/', 'the explorer is not served at /');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
      assert.equal(await page.getByTestId('brand').innerText(), '京津冀产业链图谱');
      assert.equal(await page.getByTestId('tab-chain').innerText(), '链条');
      assert.equal(await page.getByTestId('lang-zh').getAttribute('aria-checked'), 'true');
      const ide = page.getByTestId('ide-link');
      assert.equal(await ide.getAttribute('href'), '/graphql');
      assert.match(await ide.innerText(), /GraphQL/);
      // Record names in Chinese: the chain picker names the chains by their Chinese names.
      const options = await page.getByTestId('chain-picker').locator('option').allInnerTexts();
      assert.ok(options.every((o) => CJK.test(o)), `a chain not named in Chinese: ${options}`);
      // The data's date, and how each record is known, are shown.
      assert.match(await page.getByTestId('data-as-of').innerText(), /^数据截至 \d{4}(-\d\d){0,2}$/);
      assert.match(await page.getByTestId('overview').getByTestId('confidence').innerText(), /^(有来源|示意)$/);
      await keepScreenshot(page, 'front-door-zh.png');
    });
  });

  it('switches to English and keeps the choice across a reload', async (t) => {
    const opened = await open(t, '/#chain=hydrogen');
    await run(t, opened, async ({ page }) => {
      const legend = page.getByTestId('legend');
      assert.match(await legend.innerText(), /北京/);
      assert.equal(await page.getByTestId('tab-map').innerText(), '地图');
      await page.getByTestId('lang-en').click();
      await page.getByTestId('tab-map').getByText('Map', { exact: true }).waitFor();
      assert.match(await legend.innerText(), /Beijing/);
      assert.doesNotMatch(await legend.innerText(), /北京/);
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      const chainOption = page.getByTestId('chain-picker').locator('option[value=hydrogen]');
      assert.doesNotMatch(await chainOption.innerText(), CJK, 'the chain keeps its Chinese name in English');
      assert.match(new URL(page.url()).hash, /lang=en/);
      await keepScreenshot(page, 'front-door-en.png');

      // A reload keeps English, even from an address without the choice (localStorage).
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => window.__explorer?.ready);
      assert.equal(await page.getByTestId('tab-map').innerText(), 'Map');
      await page.goto(`${server.url}/`, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => window.__explorer?.ready);
      assert.equal(await page.getByTestId('tab-map').innerText(), 'Map');

      // And back to Chinese, kept too.
      await page.getByTestId('lang-zh').click();
      assert.equal(await page.getByTestId('tab-map').innerText(), '地图');
      assert.doesNotMatch(new URL(page.url()).hash, /lang=/);
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => window.__explorer?.ready);
      assert.equal(await page.getByTestId('tab-map').innerText(), '地图');
    });
  });

  it('Download Excel gives the firms of the chain on screen', async (t) => {
    const opened = await open(t, '/');
    await run(t, opened, async ({ page, click, select, clicks }) => {
      await select(page.getByTestId('chain-picker'), 'hydrogen');
      await page.waitForFunction(() => window.__explorer.ready && window.__explorer.chainMapId === 'hydrogen');
      const drawn = await page.evaluate(() => window.__explorer.nodes('Enterprise'));
      const { name, url, firms } = await excelFirms(page, click, page.getByTestId('download-excel'));
      t.diagnostic(`${name}: ${firms.length} firms, ${drawn.length} drawn; ${clicks()} clicks from the front door`);
      assert.match(url, /\/export\/enterprises\.xlsx\?chainMapId=hydrogen$/);
      assert.deepEqual(sorted(firms.map((f) => f.id)), sorted(drawn), 'the workbook does not hold the firms drawn');
      assert.equal(clicks(), 2);
    });
  });

  it('Download Excel gives the firms of the chain in the region picked on the map', async (t) => {
    const opened = await open(t, '/');
    await run(t, opened, async ({ page, click, select, clicks }) => {
      await select(page.getByTestId('chain-picker'), 'hydrogen');
      await page.waitForFunction(() => window.__explorer.ready && window.__explorer.chainMapId === 'hydrogen');
      await click(page.getByTestId('tab-map'));
      await page.waitForFunction(() => window.__explorer.map?.ready);
      // The city with the most of the chain's firms (a planner picks their own from the list).
      const code = await page.evaluate(() => {
        const { values } = window.__explorer.map;
        return Object.keys(values).sort((a, b) => values[b] - values[a])[0];
      });
      await select(page.getByTestId('region-picker'), code);
      const listed = page.getByTestId('region-firms').locator('li');
      await page.waitForFunction(() => window.__explorer.map?.listed);
      const total = (await page.evaluate(() => window.__explorer.map.listed)).enterprises;
      assert.ok(total > 0 && total <= 50, `${code}: ${total} firms listed; want a region whose whole list shows`);
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid=region-firms] li').length === n, total);
      const onScreen = await listed.evaluateAll((lis) => lis.map((li) => li.dataset.id));
      // Each listed firm says how it is known.
      const known = await listed.getByTestId('confidence').allInnerTexts();
      assert.equal(known.length, onScreen.length);
      assert.ok(known.every((k) => k === '有来源' || k === '示意'), `confidence labels: ${known}`);

      const { name, url, firms } = await excelFirms(page, click, page.getByTestId('download-excel'));
      t.diagnostic(`${name} for ${code}: ${firms.length} firms; ${clicks()} clicks from the front door`);
      assert.equal(new URL(url).search, `?chainMapId=hydrogen&regionCode=${code}`);
      assert.deepEqual(sorted(firms.map((f) => f.id)), sorted(onScreen), 'the workbook does not hold the firms listed');
      assert.equal(clicks(), 4);

      // The region's unresolved bottlenecks, as listed, download too.
      const bnHref = await page.getByTestId('download-bottlenecks').getAttribute('href');
      const csv = await (await fetch(`${server.url}${bnHref}`)).text();
      const rows = csv.replace(/^\ufeff/, '').trim().split('\n').length - 1;
      const bns = await page.evaluate(() => window.__explorer.map.listed.bottlenecks);
      assert.equal(rows, bns, `${bnHref}: ${rows} rows, ${bns} bottlenecks listed`);
    });
  });

  it('Print report opens the chain’s report, and the region’s page from the map', async (t) => {
    const opened = await open(t, '/#chain=hydrogen');
    await run(t, opened, async ({ page, context, click, clicks }) => {
      const [report] = await Promise.all([context.waitForEvent('page'), click(page.getByTestId('print-report'))]);
      await report.waitForLoadState('load');
      assert.equal(new URL(report.url()).pathname, '/report/hydrogen');
      assert.match(await report.title(), /产业链报告/, 'the report is not in the explorer’s Chinese');
      t.diagnostic(`the chain's report in ${clicks()} click(s) from the chain on screen`);
      assert.equal(clicks(), 1);
      await report.close();

      await click(page.getByTestId('tab-map'));
      await page.waitForFunction(() => window.__explorer.map?.ready);
      await page.getByTestId('region-picker').selectOption('130600');
      await page.getByTestId('export-bar').and(page.locator('[data-region="130600"]')).waitFor();
      const [regionPage] = await Promise.all([context.waitForEvent('page'), page.getByTestId('print-report').click()]);
      await regionPage.waitForLoadState('load');
      const u = new URL(regionPage.url());
      assert.equal(u.pathname + u.search, '/report/region/130600?chainMapId=hydrogen&lang=zh');
      await regionPage.close();
    });
  });
});
