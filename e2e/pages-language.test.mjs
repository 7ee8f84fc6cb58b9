// The server's printable pages speak the explorer's language (issue 18): "Print report" opens the chain's report
// and the region's page in the language the explorer shows, switched or not; the explorer's cookie makes a report
// opened by its address alone follow the switch (Chromium itself asks for English, Accept-Language en-US); a bad
// address answers with an error page in that language. Writes report-zh.png and report-en.png to env.screenshots.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isLocalUrl, keepFailureScreenshot, keepScreenshot, launchBrowser, loadSeeds, startServer } from './lib.mjs';

let server;
let chrome;
let setup;

async function prepare() {
  await loadSeeds();
  server = await startServer();
  chrome = await launchBrowser();
}

// pageLanguage reads what a printable page says about itself: <html lang>, its first heading and its section titles.
async function pageLanguage(page) {
  return page.evaluate(() => ({
    lang: document.documentElement.lang,
    h1: document.querySelector('h1')?.textContent ?? '',
    h2: [...document.querySelectorAll('h2')].map((h) => h.textContent.trim()),
    th: [...document.querySelectorAll('th')].map((h) => h.textContent.trim()).filter(Boolean),
  }));
}

const CJK = /[\u4e00-\u9fff]/;

// inEnglish: every section title and table header is English (record names are data, and are not checked).
function assertEnglish(seen, what) {
  assert.equal(seen.lang, 'en', `${what}: <html lang="${seen.lang}">`);
  for (const h of [...seen.h2, ...seen.th]) assert.doesNotMatch(h, CJK, `${what}: a Chinese heading in English: ${h}`);
}
function assertChinese(seen, what) {
  assert.equal(seen.lang, 'zh-CN', `${what}: <html lang="${seen.lang}">`);
  assert.ok(seen.h2.length > 2, `${what}: ${seen.h2.length} sections`);
  for (const h of seen.h2) assert.match(h, CJK, `${what}: a section title not in Chinese: ${h}`);
}

describe('the printable pages in the explorer’s language', { timeout: 240_000 }, () => {
  before(() => {
    setup = prepare();
    return setup.catch(() => {});
  });
  after(async () => {
    await chrome?.close();
    await server?.stop();
  });

  it('Print report opens in Chinese, and in English once switched; the region page too', async (t) => {
    await setup;
    const context = await chrome.newContext({ viewport: { width: 1400, height: 900 } });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => r.status() >= 400 && isLocalUrl(r.url()) && problems.push(`HTTP ${r.status()}: ${r.url()}`));
    t.after(() => context.close());
    const printed = async () => {
      const [report] = await Promise.all([context.waitForEvent('page'), page.getByTestId('print-report').click()]);
      await report.waitForLoadState('load');
      const seen = { url: new URL(report.url()), ...(await pageLanguage(report)) };
      return { report, seen };
    };
    try {
      await page.goto(`${server.url}/#chain=hydrogen`, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => window.__explorer?.ready);

      // The explorer opens in Chinese: so does its report, although Chromium asks for English.
      let { report, seen } = await printed();
      assert.equal(seen.url.searchParams.get('lang'), 'zh');
      assertChinese(seen, 'the report from the Chinese explorer');
      assert.ok(seen.h2.some((h) => h.includes('产业链环节')), seen.h2.join(' | '));
      await report.setViewportSize({ width: 1200, height: 1300 });
      await keepScreenshot(report, 'report-zh.png');
      await report.close();

      // Switched to English: the report follows.
      await page.getByTestId('lang-en').click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      ({ report, seen } = await printed());
      assert.equal(seen.url.searchParams.get('lang'), 'en');
      assertEnglish(seen, 'the report from the English explorer');
      assert.ok(seen.h2.some((h) => h.includes('Segments, upstream → downstream')), seen.h2.join(' | '));
      assert.match(seen.h1, /^Hydrogen/, 'the chain is not named in English first');
      await report.setViewportSize({ width: 1200, height: 1300 });
      await keepScreenshot(report, 'report-en.png');

      // Opened by its address alone, the report follows the switch (the explorer's cookie) ...
      await report.goto(`${server.url}/report/hydrogen`);
      assertEnglish(await pageLanguage(report), 'the report by its address after switching to English');
      // ... and so does an error page.
      const bad = await report.goto(`${server.url}/report/no-such-map`);
      assert.equal(bad.status(), 404);
      assert.match(await report.locator('[role=alert]').innerText(), /There is no chain map no-such-map/);
      await report.close();

      // The region's page from the map, in English.
      await page.getByTestId('tab-map').click();
      await page.waitForFunction(() => window.__explorer.map?.ready);
      await page.getByTestId('region-picker').selectOption('130600');
      await page.getByTestId('export-bar').and(page.locator('[data-region="130600"]')).waitFor();
      ({ report, seen } = await printed());
      assert.equal(seen.url.pathname, '/report/region/130600');
      assertEnglish(seen, 'the region page from the English explorer');
      await report.close();

      // Back to Chinese: the region page, and a report by its address, are Chinese again.
      await page.getByTestId('lang-zh').click();
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      ({ report, seen } = await printed());
      assertChinese(seen, 'the region page from the Chinese explorer');
      await report.goto(`${server.url}/report/hydrogen`);
      assertChinese(await pageLanguage(report), 'the report by its address after switching back to Chinese');
      const badZh = await report.goto(`${server.url}/report/Bad_Id`);
      assert.equal(badZh.status(), 400);
      assert.match(await report.locator('[role=alert]').innerText(), /不是产业链图谱的编号/);
      await report.close();

      // The 404 and 400 above were asked for.
      assert.deepEqual(problems.filter((p) => !/no-such-map|Bad_Id/.test(p)), []);
    } catch (err) {
      await keepFailureScreenshot(t, page);
      throw err;
    }
  });
});
