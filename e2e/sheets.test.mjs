// A planner corrects one fact through a spreadsheet round trip, in the explorer: download the chain's firms as
// Excel, edit the workbook (here with a script, ExcelJS, as Excel would save it), upload it, check the preview
// (exactly the one change), apply it, and see the corrected record. The clicks are counted. A file with bad rows
// is refused with each row, column and reason, and nothing is written. Writes sheets-{dialog,preview,applied,
// record,problems}.png to env.screenshots; `chainmap load -reset` puts the seeds back afterwards.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { env, keepChineseScreenshot, keepFailureScreenshot, keepScreenshot, launchBrowser, requestProblem, startServer } from './lib.mjs';

const KEY = 'e2e-sheets-editor-key-0001';
const FIRM = 'sinohytec';
const CORRECTED = 'SinoHytec Co., Ltd.';

async function chainmap(...args) {
  try {
    await promisify(execFile)(env.bin, [...args, '-connect-timeout', '15s'], {
      env: { ...process.env, NEO4J_URI: env.neo4jUri, NEO4J_USER: env.neo4jUser, NEO4J_PASSWORD: env.neo4jPassword },
      timeout: 180_000,
    });
  } catch (err) {
    assert.fail(`\`chainmap ${args.join(' ')}\` against the test Neo4j at ${env.neo4jUri} failed:\n${err.stderr || err.message}`);
  }
}

let server;
let chrome;
let setup;
const dir = mkdtempSync(join(tmpdir(), 'chainmap-sheets-'));

async function prepare() {
  await chainmap('load', '-reset');
  server = await startServer({ extraEnv: { CHAINMAP_API_KEYS: `planner:editor:${KEY}` } });
  chrome = await launchBrowser();
}

// openExplorer opens the hydrogen chain; clicks counts the clicks a person makes.
async function openExplorer(t) {
  await setup;
  const context = await chrome.newContext({ viewport: { width: 1500, height: 950 }, acceptDownloads: true });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const problems = [];
  page.on('requestfailed', (r) => {
    const problem = requestProblem(r);
    if (problem) problems.push(problem);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  t.after(() => context.close());
  // English: the assertions read English labels and the firm's English name (Chinese is the default).
  await page.goto(`${server.url}/explore#chain=hydrogen&lang=en`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => window.__explorer?.ready && window.__explorer.chainMapId === 'hydrogen', null, { timeout: 90_000 });
  let clicks = 0;
  const click = async (locator) => {
    clicks++;
    await locator.click();
  };
  return { page, problems, click, clicks: () => clicks };
}

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

// editCell opens a workbook with ExcelJS, sets the cell of column in the row of id, and saves it as Excel would.
async function editCell(path, sheet, id, column, value) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.getWorksheet(sheet);
  assert.ok(ws, `no sheet ${sheet} in the download`);
  const header = ws.getRow(1).values; // 1-based
  const col = header.indexOf(column);
  assert.ok(col > 0, `no column ${column} in ${header}`);
  let found = false;
  ws.eachRow((row) => {
    if (row.getCell(1).value === id) {
      row.getCell(col).value = value;
      found = true;
    }
  });
  assert.ok(found, `no row ${id}`);
  const out = path.replace(/\.xlsx$/, '-edited.xlsx');
  await wb.xlsx.writeFile(out);
  return out;
}

describe('spreadsheets in the explorer', { concurrency: false }, () => {
  before(() => {
    setup = prepare();
    setup.catch(() => {});
  });
  after(async () => {
    await server?.stop();
    await chrome?.close();
    await chainmap('load', '-reset'); // the seeds' values back for the other tests
  });

  it('corrects one fact through an Excel round trip, counted in clicks', (t) => withExplorer(t, async ({ page, click, clicks }) => {
    await click(page.getByTestId('sheets-open'));
    await page.getByTestId('sheets').waitFor();
    await keepScreenshot(page, 'sheets-dialog.png');

    const [download] = await Promise.all([page.waitForEvent('download'), click(page.getByTestId('download-enterprises-xlsx'))]);
    assert.equal(download.suggestedFilename(), 'enterprises.xlsx');
    const saved = join(dir, 'enterprises.xlsx');
    await download.saveAs(saved);

    const edited = await editCell(saved, 'enterprises', FIRM, 'nameEn', CORRECTED); // Excel, outside the browser

    await page.getByTestId('sheets-token').fill(KEY); // typed once per session, not a click
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), click(page.getByTestId('sheets-file'))]);
    await chooser.setFiles(edited);

    const preview = page.getByTestId('sheets-preview');
    await preview.waitFor();
    const records = page.getByTestId('sheets-record');
    assert.equal(await records.count(), 1, 'the preview shows more than the one change');
    const rec = records.first();
    assert.equal(await rec.getAttribute('data-id'), FIRM);
    assert.equal(await rec.getAttribute('data-status'), 'CHANGED');
    assert.deepEqual(await rec.locator('.change').evaluateAll((els) => els.map((e) => e.dataset.column)), ['nameEn']);
    assert.match(await rec.innerText(), /SinoHytec → SinoHytec Co\., Ltd\./);
    assert.match(await page.getByTestId('sheets-summary').innerText(), /1 changed · 0 added · \d+ unchanged/);
    await keepChineseScreenshot(page, 'sheets-preview.png');

    await click(page.getByTestId('sheets-apply'));
    await page.getByTestId('sheets-applied').waitFor();
    const summary = await page.getByTestId('sheets-summary').innerText();
    assert.match(summary, /Applied: 1 changed .* 1 change-log entry \(#\d+\)/);
    const seq = Number(summary.match(/#(\d+)/)[1]);
    await keepScreenshot(page, 'sheets-applied.png');

    await click(page.getByTestId('sheets-show'));
    await page.waitForFunction((id) => window.__explorer.selected === id, FIRM);
    await page.getByTestId('details-name').getByText(CORRECTED).waitFor();
    await keepScreenshot(page, 'sheets-record.png');

    t.diagnostic(`the round trip took ${clicks()} clicks (open, download, choose the file, apply, show the record) and the editor token typed once`);
    assert.equal(clicks(), 5);

    // The API has it, and the change log names the editor.
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: `{ enterprise(id: "${FIRM}") { name }
        changes(after: "${seq - 1}", first: 1) { edges { node { seq recordId operation author } } } }` }),
    });
    const body = await res.json();
    assert.equal(body.data?.enterprise.name, CORRECTED, JSON.stringify(body));
    assert.deepEqual(body.data.changes.edges.map((e) => e.node),
      [{ seq: String(seq), recordId: FIRM, operation: 'importSheet', author: 'planner' }]);

    // The export now has it too.
    const csv = await (await fetch(`${server.url}/export/enterprises.csv?chainMapId=hydrogen`)).text();
    assert.ok(csv.includes(CORRECTED), 'the export does not show the correction');
  }));

  it('lists the bad rows of a file with row, column and reason, and writes nothing', (t) => withExplorer(t, async ({ page, click }) => {
    await click(page.getByTestId('sheets-open'));
    await page.getByTestId('sheets-token').fill(KEY);
    const bad = join(dir, 'sites.csv');
    writeFileSync(bad, '\ufeffid,enterprise,kind,region\nsinohytec-new-plant,sinohytec,FACTORY,130700\nsinohytec-new-lab,sinohytec,RD,999999\n');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), click(page.getByTestId('sheets-file'))]);
    await chooser.setFiles(bad);
    const error = page.getByTestId('sheets-error');
    await error.waitFor();
    const rows = await page.getByTestId('sheets-problems').locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    assert.deepEqual(rows.map((r) => r.slice(0, 3)), [['sites', 'C2', 'kind']], JSON.stringify(rows));
    assert.match(rows[0][3], /"FACTORY" is not one of HQ, RD/);
    await keepChineseScreenshot(page, 'sheets-problems.png');
    assert.equal(await page.getByTestId('sheets-apply').count(), 0, 'an Apply button for a refused file');

    // Fixed, the unknown region remains: the graph says so, row by row.
    writeFileSync(bad, '\ufeffid,enterprise,kind,region\nsinohytec-new-plant,sinohytec,MANUFACTURING,130700\nsinohytec-new-lab,sinohytec,RD,999999\n');
    const [again] = await Promise.all([page.waitForEvent('filechooser'), click(page.getByTestId('sheets-file'))]);
    await again.setFiles(bad);
    await page.getByTestId('sheets-problems').getByText('unknown region "999999"').waitFor();
    const problem = await page.getByTestId('sheets-problems').locator('tbody tr').first().innerText();
    assert.match(problem, /sites\s+D3\s+region/);
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: `{ enterprise(id: "sinohytec") { sites { id } } }` }),
    });
    const sites = (await res.json()).data.enterprise.sites.map((s) => s.id);
    assert.ok(!sites.includes('sinohytec-new-plant'), 'a refused file wrote a site');
  }));
});
