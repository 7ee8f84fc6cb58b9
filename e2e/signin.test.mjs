// Reads restricted (CHAINMAP_READS=viewer): the explorer, which sends no token, says that it needs a sign-in
// and links to the sign-in page; after signing in with a viewer's key the chain is drawn and live updates
// flow, and the printable report, which sent the browser to sign in, opens. A wrong key is refused with a
// message. Writes explorer-signin.png to env.screenshots.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { env, isLocalUrl, keepFailureScreenshot, keepScreenshot, launchBrowser, startServer } from './lib.mjs';

const VIEWER_KEY = 'e2e-viewer-key-0123456789';

let server;
let chrome;
let setup;

async function prepare() {
  await promisify(execFile)(env.bin, ['load', '-connect-timeout', '15s'], {
    env: { ...process.env, NEO4J_URI: env.neo4jUri, NEO4J_USER: env.neo4jUser, NEO4J_PASSWORD: env.neo4jPassword },
    timeout: 120_000,
  });
  server = await startServer({ extraEnv: { CHAINMAP_READS: 'viewer', CHAINMAP_API_KEYS: `vera:viewer:${VIEWER_KEY}` } });
  chrome = await launchBrowser();
}

describe('sign-in where reads need a token', () => {
  before(() => {
    setup = prepare();
    return setup.catch(() => {});
  });
  after(async () => {
    await chrome?.close();
    await server?.stop();
  });

  it('the explorer asks to sign in, and draws the chain once signed in', async (t) => {
    await setup;
    const context = await chrome.newContext({ viewport: { width: 1400, height: 900 } });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('response', (r) => {
      // Before signing in, the API's 401s are expected; nothing else may fail.
      if (r.status() >= 400 && r.status() !== 401 && isLocalUrl(r.url())) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    t.after(() => context.close());
    try {
      await page.goto(`${server.url}/explore#chain=hydrogen&lang=en`, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => window.__explorer?.signInNeeded);
      const banner = await page.getByTestId('error').innerText();
      assert.match(banner, /signed-in readers/);
      await keepScreenshot(page, 'explorer-signin.png');

      await page.getByTestId('signin').click();
      await page.waitForURL(/\/signin\?next=/);
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', 'the sign-in page is not in the explorer’s English');
      await page.fill('#token', 'not-the-key-0000000000');
      await page.click('button[type=submit] >> text=Sign in');
      assert.match(await page.locator('.msg').innerText(), /not accepted/);

      await page.fill('#token', VIEWER_KEY);
      await page.click('button[type=submit] >> text=Sign in');
      await page.waitForURL(/\/explore#.*chain=hydrogen/);
      await page.waitForFunction(() => window.__explorer?.ready);
      const state = await page.evaluate(() => ({ error: window.__explorer.error, nodes: window.__explorer.nodeCount, need: window.__explorer.signInNeeded }));
      assert.equal(state.error, null);
      assert.equal(state.need, false);
      assert.ok(state.nodes > 10, `only ${state.nodes} nodes drawn`);
      assert.deepEqual(problems, []);
    } catch (err) {
      await keepFailureScreenshot(t, page);
      throw err;
    }
  });

  it('the sign-in page speaks the explorer’s Chinese, refusals included', async (t) => {
    await setup;
    // Chromium asks for English (Accept-Language en-US); the explorer is in Chinese, and the sign-in page follows it.
    const context = await chrome.newContext({ viewport: { width: 1000, height: 700 } });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    t.after(() => context.close());
    try {
      await page.goto(`${server.url}/explore#chain=hydrogen`, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => window.__explorer?.signInNeeded);
      assert.match(await page.getByTestId('error').innerText(), /已登录的读者/);
      await page.getByTestId('signin').click();
      await page.waitForURL(/\/signin\?next=/);
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
      assert.equal(await page.locator('h1').innerText(), '登录');
      await page.fill('#token', 'not-the-key-0000000000');
      await page.getByTestId('signin-submit').click();
      assert.match(await page.locator('.msg').innerText(), /该令牌未被接受/);
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN', 'the refusal is not in Chinese');
      await keepScreenshot(page, 'signin-refused-zh.png');
      await page.fill('#token', VIEWER_KEY);
      await page.getByTestId('signin-submit').click();
      await page.waitForURL(/\/explore#.*chain=hydrogen/);
      await page.waitForFunction(() => window.__explorer?.ready);
    } catch (err) {
      await keepFailureScreenshot(t, page);
      throw err;
    }
  });

  it('the report sends a browser to sign in and back', async (t) => {
    await setup;
    const context = await chrome.newContext();
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    t.after(() => context.close());
    try {
      const anonymous = await fetch(`${server.url}/report/hydrogen`);
      assert.equal(anonymous.status, 401, 'a client that is not a browser gets 401');
      await page.goto(`${server.url}/report/hydrogen`);
      await page.waitForURL(/\/signin\?next=%2Freport%2Fhydrogen/);
      await page.fill('#token', VIEWER_KEY);
      await page.click('button[type=submit] >> text=Sign in');
      await page.waitForURL(/\/report\/hydrogen$/);
      await page.waitForLoadState('load');
      assert.match(await page.title(), /chain report/);
    } catch (err) {
      await keepFailureScreenshot(t, page);
      throw err;
    }
  });
});
