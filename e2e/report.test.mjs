// The printable chain report at /report/{chainMapId}, served by `chainmap serve` against the test Neo4j with
// the curated seeds loaded: Chromium opens it, prints it to PDF (A4, the page's print stylesheet), and the PDF
// is checked with poppler (pdfinfo, pdftotext, pdftoppm to PNG). Writes report-screen.png and
// report-print-{1,last}.png to env.screenshots.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { env, keepFailureScreenshot, keepScreenshot, launchBrowser, startServer } from './lib.mjs';

const run = promisify(execFile);

async function loadSeeds() {
  try {
    await run(env.bin, ['load', '-connect-timeout', '15s'], {
      env: { ...process.env, NEO4J_URI: env.neo4jUri, NEO4J_USER: env.neo4jUser, NEO4J_PASSWORD: env.neo4jPassword },
      timeout: 120_000,
    });
  } catch (err) {
    assert.fail(`\`chainmap load\` into the test Neo4j at ${env.neo4jUri} failed (make test-neo4j; make build):\n${err.stderr || err.message}`);
  }
}

// poppler runs a poppler-utils tool; a missing one fails the test with how to install it.
async function poppler(tool, args) {
  try {
    return (await run(tool, args, { timeout: 60_000, maxBuffer: 32 << 20 })).stdout;
  } catch (err) {
    if (err.code === 'ENOENT') assert.fail(`${tool} not found: apt-get install -y poppler-utils`);
    throw err;
  }
}

let server;
let chrome;
let setup;
const work = mkdtempSync(join(tmpdir(), 'chainmap-report-'));

async function prepare() {
  await loadSeeds();
  server = await startServer();
  chrome = await launchBrowser();
}

describe('chain report', () => {
  before(() => {
    setup = prepare();
    return setup.catch(() => {});
  });
  after(async () => {
    await chrome?.close();
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('prints to a PDF of a few A4 pages with every section and the sources', async (t) => {
    await setup;
    const context = await chrome.newContext({ viewport: { width: 1200, height: 1400 } });
    t.after(() => context.close());
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    try {
      // In Chinese, as a planner reads it (the explorer's links carry its language).
      const res = await page.goto(`${server.url}/report/hydrogen?lang=zh`, { waitUntil: 'load' });
      assert.equal(res.status(), 200);
      await keepScreenshot(page, 'report-screen.png');
      // On screen the table of contents shows; in print it does not.
      assert.ok(await page.locator('nav').isVisible());
      await page.emulateMedia({ media: 'print' });
      assert.ok(!(await page.locator('nav').isVisible()), 'the table of contents shows in print');

      const pdf = join(work, 'report.pdf');
      await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
      const info = await poppler('pdfinfo', [pdf]);
      const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
      t.diagnostic(`PDF: ${pages} pages, ${statSync(pdf).size} bytes; ${/^Page size:.*$/m.exec(info)?.[0]}`);
      assert.ok(pages >= 2 && pages <= 25, `${pages} pages`);
      assert.match(info, /Page size:.*\(A4\)/, 'not A4');

      const text = await poppler('pdftotext', ['-layout', pdf, '-']);
      for (const want of ['氢能产业链', '产业链环节', '企业分布', '卡点堵点', '攻关进展', '津冀制造', '覆盖缺口', '图谱发布以来的变化',
        '区域指标', '资料来源']) {
        assert.ok(text.includes(want), `the PDF has no "${want}"`);
      }
      // The sources start on a page of their own (break-before: page) and are all there.
      const sources = await page.locator('ol.sources li').count();
      assert.ok(sources > 10, `${sources} sources`);
      const pagesText = text.split('\f');
      const sourcesPage = pagesText.findIndex((p) => p.includes('9 · 资料来源'));
      assert.ok(sourcesPage > 0 && pagesText[sourcesPage].trimStart().startsWith('9 · 资料来源'), 'the sources do not start a page');

      // Every page rendered to PNG; each has something on it (a blank A4 page at 50 dpi compresses to ~1 KB).
      await poppler('pdftoppm', ['-png', '-r', '50', pdf, join(work, 'page')]);
      const pngs = readdirSync(work).filter((f) => f.startsWith('page') && f.endsWith('.png')).sort();
      assert.equal(pngs.length, pages);
      for (const png of pngs) assert.ok(statSync(join(work, png)).size > 3_000, `${png} looks blank`);
      await poppler('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, join(work, 'first')]);
      await poppler('pdftoppm', ['-png', '-r', '80', '-f', String(sourcesPage + 1), '-l', String(sourcesPage + 1), '-singlefile', pdf, join(work, 'sources')]);
      mkdirSync(env.screenshots, { recursive: true });
      copyFileSync(join(work, 'first.png'), join(env.screenshots, 'report-print-1.png'));
      copyFileSync(join(work, 'sources.png'), join(env.screenshots, 'report-print-sources.png'));

      assert.deepEqual(problems, []);
      assert.deepEqual(chrome.blocked, [], 'the report tried to load something from elsewhere');
    } catch (err) {
      await keepFailureScreenshot(t, page);
      throw err;
    }
  });

  it('answers 404 for a chain map that does not exist', async () => {
    await setup;
    const res = await fetch(`${server.url}/report/no-such-map`);
    assert.equal(res.status, 404);
  });
});
