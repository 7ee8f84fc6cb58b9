// Shared helpers of the end-to-end tests: configuration, a headless Debian Chromium, the chainmap API server,
// failure screenshots, and logging in to Neo4j Browser.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

export const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..');

export const env = {
  neo4jHttp: process.env.CHAINMAP_TEST_NEO4J_HTTP || 'http://127.0.0.1:7475',
  neo4jUri: process.env.CHAINMAP_TEST_NEO4J_URI || 'bolt://127.0.0.1:7688',
  neo4jUser: process.env.CHAINMAP_TEST_NEO4J_USER || 'neo4j',
  neo4jPassword: process.env.CHAINMAP_TEST_NEO4J_PASSWORD || 'chainmap-test',
  chromium: process.env.CHAINMAP_CHROMIUM || '/usr/bin/chromium',
  bin: resolve(here, process.env.CHAINMAP_BIN || '../bin/chainmap'),
  // Pictures of passing runs go to docs/screenshots/latest/ (ignored by git); `make screenshots` points this at
  // docs/screenshots, whose pictures the README shows.
  screenshots: resolve(repoRoot, process.env.CHAINMAP_SCREENSHOTS || 'docs/screenshots/latest'),
};

// Hosts the tests talk to; any other request is aborted at once so that an offline machine never stalls a page.
const localHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);
export const isLocalUrl = (u) => {
  try {
    const { protocol, hostname } = new URL(u);
    return !/^(https?|wss?):$/.test(protocol) || localHosts.has(hostname);
  } catch {
    return false;
  }
};

// requestProblem is how a failed request reads among a test's problems, or null for one that is not the page's
// own (another host) or that the page aborts on purpose: the live subscription (SSE) when the chain changes or
// the page closes, a /graphql query it no longer needs (a reload; the chain, region or language changed), a
// download (a navigation the page gives up while the file still comes).
export function requestProblem(r) {
  if (!isLocalUrl(r.url())) return null;
  const error = r.failure()?.errorText;
  const stream = (r.headers().accept ?? '').includes('text/event-stream');
  if (error === 'net::ERR_ABORTED' && (stream || r.url().endsWith('/graphql') || /\/export\//.test(r.url()))) return null;
  return `request failed: ${r.url()}: ${error}`;
}

// launchBrowser starts Debian's Chromium (no Playwright browser download) with a fresh profile. It throws, and so
// fails the test, when Chromium is missing. blocked lists the external URLs that were aborted.
export async function launchBrowser() {
  if (!existsSync(env.chromium)) {
    throw new Error(
      `Chromium not found at ${env.chromium}: install it with ` +
        '`apt-get update && apt-get install -y chromium fonts-wqy-zenhei` (or set CHAINMAP_CHROMIUM)',
    );
  }
  // Playwright refuses --user-data-dir in args for launch(): it gives each launch a fresh temporary profile of its
  // own (playwright_chromiumdev_profile-*, under TMPDIR) and removes it on close.
  const browser = await chromium.launch({
    executablePath: env.chromium,
    headless: true,
    timeout: 30_000,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
  const blocked = [];
  return {
    browser,
    blocked,
    // newContext returns a context whose requests to other hosts are aborted (and recorded in blocked).
    async newContext(options = {}) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, ...options });
      await context.route((url) => !isLocalUrl(url.href), (route) => {
        blocked.push(route.request().url());
        return route.abort('blockedbyclient');
      });
      return context;
    },
    close: () => browser.close(),
  };
}

export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

// startServer runs `chainmap serve` on a free port against the test Neo4j and waits for /healthz.
// It resolves to {url, stop, output()}; stop() ends the server and waits for it to exit.
// CHAINMAP_E2E_PORT, if set, is the first of the ports the servers take (one more each), instead of free ones.
let nextPort = Number(process.env.CHAINMAP_E2E_PORT) || 0;

export async function startServer({ timeoutMs = 30_000, extraEnv = {} } = {}) {
  if (!existsSync(env.bin)) throw new Error(`chainmap binary not found at ${env.bin}: run \`make build\` (or set CHAINMAP_BIN)`);
  const port = nextPort ? nextPort++ : await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawn(env.bin, ['serve', '-port', String(port)], {
    env: { ...process.env, NEO4J_URI: env.neo4jUri, NEO4J_USER: env.neo4jUser, NEO4J_PASSWORD: env.neo4jPassword, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`chainmap serve exited with ${child.exitCode}:\n${log}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`chainmap serve did not answer ${url}/healthz within ${timeoutMs} ms:\n${log}`);
    }
    await new Promise((ok) => setTimeout(ok, 200));
  }
  return { url, stop, output: () => log };
}

// loadSeeds writes the curated seeds (embedded in the binary) to the test Neo4j; `load` is idempotent.
export async function loadSeeds() {
  try {
    await promisify(execFile)(env.bin, ['load', '-connect-timeout', '15s'], {
      env: { ...process.env, NEO4J_URI: env.neo4jUri, NEO4J_USER: env.neo4jUser, NEO4J_PASSWORD: env.neo4jPassword },
      timeout: 300_000,
    });
  } catch (err) {
    assert.fail(
      `\`chainmap load\` into the test Neo4j at ${env.neo4jUri} failed (start it with \`make test-neo4j\`; ` +
        `build the binary with \`make build\`):\n${err.stderr || err.message}`,
    );
  }
}

// keepScreenshot saves a picture of the page as <name> in env.screenshots.
export async function keepScreenshot(page, name) {
  mkdirSync(env.screenshots, { recursive: true });
  await page.screenshot({ path: join(env.screenshots, name) });
}

// keepChineseScreenshot takes the explorer's picture in Chinese, as planners see it, and switches back to the
// language the test reads (the header's switch, clicked through the DOM so that an open dialog does not stand in
// the way).
export async function keepChineseScreenshot(page, name) {
  const was = await page.evaluate(() => document.documentElement.lang);
  const switchTo = async (testId, lang) => {
    await page.getByTestId(testId).dispatchEvent('click');
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  };
  if (was !== 'zh-CN') await switchTo('lang-zh', 'zh-CN');
  await keepScreenshot(page, name);
  if (was !== 'zh-CN') await switchTo(`lang-${was}`, was);
}

// keepFailureScreenshot saves a picture of the page under e2e/test-results/, named after the failed test t.
export async function keepFailureScreenshot(t, page) {
  const shot = join(here, 'test-results', `${t.name.replace(/[^\w.-]+/g, '-')}.png`);
  mkdirSync(dirname(shot), { recursive: true });
  if (await page?.screenshot({ path: shot }).then(() => true, () => false)) t.diagnostic(`screenshot: ${shot}`);
}

// Neo4j Browser, served by the test Neo4j.

// browserUrl opens Browser with ?connectURL=bolt://neo4j@host:port, which fills the connect form (scheme,
// address, user); the password stays empty.
export function browserUrl() {
  const bolt = new URL(env.neo4jUri);
  bolt.username = env.neo4jUser;
  return `${env.neo4jHttp}/browser/?connectURL=${encodeURIComponent(bolt.href.replace(/\/$/, ''))}`;
}

// connect fills the password, clicks Connect and returns 'connected' or the error shown in the connect frame.
export async function connect(page, password) {
  await page.getByTestId('password').fill(password);
  await page.getByTestId('connect').click();
  const connected = page.getByText('You are connected as user');
  const error = page.getByTestId('frameStatusbar').locator('span[title^="Neo."]');
  await connected.or(error).first().waitFor();
  if (await connected.isVisible()) return 'connected';
  return (await error.first().innerText()).trim();
}

// logIn connects with the test password and fails the test t if Browser does not connect. A wrong-password test
// locks the user for 5 s (AuthenticationRateLimit), so a rate-limited login is retried once after that. It then
// dismisses the usage-statistics banner, if shown, so that screenshots show the results (cosmetic only).
export async function logIn(t, page) {
  let outcome = await connect(page, env.neo4jPassword);
  if (outcome.includes('AuthenticationRateLimit')) {
    t.diagnostic(`rate-limited, retrying once: ${outcome}`);
    await page.waitForTimeout(6_000);
    outcome = await connect(page, env.neo4jPassword);
  }
  assert.equal(outcome, 'connected', `login as ${env.neo4jUser} failed`);
  await page.getByTestId('disconnectedBanner').waitFor({ state: 'detached' });
  const banner = page.getByText('To help make Neo4j Browser better').locator('xpath=..');
  await banner.locator(':scope > span').last().click({ timeout: 2_000 }).catch(() => {});
}
