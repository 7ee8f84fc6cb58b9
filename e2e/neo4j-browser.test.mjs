// Neo4j Browser (served by the test Neo4j at :7475/browser/) loads, logs in over Bolt, runs a read query, and
// shows a clear error for a wrong password. Only reads: nothing is written to the database.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { env, here, isLocalUrl, launchBrowser } from './lib.mjs';

// ?connectURL=bolt://neo4j@host:port fills the connect form (scheme, address, user); the password stays empty.
function browserUrl() {
  const bolt = new URL(env.neo4jUri);
  bolt.username = env.neo4jUser;
  return `${env.neo4jHttp}/browser/?connectURL=${encodeURIComponent(bolt.href.replace(/\/$/, ''))}`;
}

// withBrowser opens Neo4j Browser in a fresh context, waits for its connect form and runs fn({page, problems}),
// problems being the requests to local hosts that failed or answered with an error status. On failure it saves a
// screenshot under e2e/test-results/; the context is closed afterwards, whatever happened.
async function withBrowser(t, fn) {
  const context = await (await ready()).newContext();
  let page;
  try {
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
    return await fn(await openPage(page));
  } catch (err) {
    const shot = join(here, 'test-results', `${t.name.replace(/[^\w.-]+/g, '-')}.png`);
    mkdirSync(dirname(shot), { recursive: true });
    if (await page?.screenshot({ path: shot }).then(() => true, () => false)) t.diagnostic(`screenshot: ${shot}`);
    throw err;
  } finally {
    await context.close();
  }
}

async function openPage(page) {
  const problems = [];
  page.on('requestfailed', (r) => {
    if (isLocalUrl(r.url())) problems.push(`${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && r.url().startsWith(env.neo4jHttp)) problems.push(`${r.url()}: HTTP ${r.status()}`);
  });
  await page.goto(browserUrl(), { waitUntil: 'domcontentloaded' });
  await page.getByTestId('password').waitFor();
  return { page, problems };
}

// connect fills the password, clicks Connect and returns 'connected' or the error shown in the connect frame.
async function connect(page, password) {
  await page.getByTestId('password').fill(password);
  await page.getByTestId('connect').click();
  const connected = page.getByText('You are connected as user');
  const error = page.getByTestId('frameStatusbar').locator('span[title^="Neo."]');
  await connected.or(error).first().waitFor();
  if (await connected.isVisible()) return 'connected';
  return (await error.first().innerText()).trim();
}

// The preconditions are checked inside each test (not in a before hook) so that a missing Chromium or Neo4j
// counts as failed tests, not as cancelled ones.
let started;
function ready() {
  started ??= (async () => {
    try {
      const res = await fetch(`${env.neo4jHttp}/`, { signal: AbortSignal.timeout(5_000) });
      assert.ok(res.ok, `HTTP ${res.status}`);
    } catch (err) {
      assert.fail(
        `the test Neo4j does not answer at ${env.neo4jHttp} (${err.message}); start it with \`make test-neo4j\` ` +
          'or set CHAINMAP_TEST_NEO4J_HTTP',
      );
    }
    return launchBrowser();
  })();
  return started;
}

describe('Neo4j Browser', { timeout: 60_000 }, () => {
  after(async () => {
    const chrome = await started?.catch(() => null);
    if (!chrome) return;
    const hosts = [...new Set(chrome.blocked.map((u) => new URL(u).host))];
    if (hosts.length) console.log(`aborted ${chrome.blocked.length} requests to other hosts: ${hosts.join(', ')}`);
    await chrome.close();
  });

  it('loads at :7475/browser/, logs in, and runs a query', (t) => withBrowser(t, async ({ page, problems }) => {
    const bolt = new URL(env.neo4jUri);
    assert.equal(await page.getByTestId('bolt-scheme-select').inputValue(), `${bolt.protocol}//`);
    assert.equal(await page.getByTestId('boltaddress').inputValue(), bolt.host);
    assert.equal(await page.getByTestId('username').inputValue(), env.neo4jUser);

    let outcome = await connect(page, env.neo4jPassword);
    if (outcome.includes('AuthenticationRateLimit')) {
      // Earlier wrong-password attempts (other tests) lock the user for 5 s; a successful login resets the count.
      t.diagnostic(`rate-limited, retrying once: ${outcome}`);
      await page.waitForTimeout(6_000);
      outcome = await connect(page, env.neo4jPassword);
    }
    assert.equal(outcome, 'connected', `login as ${env.neo4jUser} failed`);
    await page.getByTestId('disconnectedBanner').waitFor({ state: 'detached' });

    // Dismiss the usage-statistics banner, if shown, so that the screenshot shows the result (cosmetic only).
    const banner = page.getByText('To help make Neo4j Browser better').locator('xpath=..');
    await banner.locator(':scope > span').last().click({ timeout: 2_000 }).catch(() => {});

    const query = 'MATCH (n) RETURN count(n) AS nodes';
    await page.getByTestId('activeEditor').click();
    await page.keyboard.type(query);
    await page.getByTestId('editor-Run').click();

    const frame = page.getByTestId('frame').filter({ has: page.getByTestId('frameCommand').getByText(query, { exact: true }) });
    const status = frame.getByTestId('frameStatusbar');
    await status.getByText(/completed|Error/).first().waitFor(); // 'completed after 3 ms' or 'in less than 1 ms'
    assert.match(await status.innerText(), /Started streaming 1 records/);
    const table = frame.getByTestId('frame-loaded-contents').getByRole('table');
    // Data columns carry an explicit role; the row-number column has none.
    const headers = (await table.locator('th[role=columnheader]').allInnerTexts()).map((h) => h.trim());
    assert.deepEqual(headers, ['nodes']);
    const cells = await table.locator('td[role=cell]').allInnerTexts();
    assert.equal(cells.length, 1);
    assert.match(cells[0].trim(), /^\d+$/, `count(n) is not a number: ${cells[0]}`);
    t.diagnostic(`nodes in the test database: ${cells[0].trim()}`);

    mkdirSync(env.screenshots, { recursive: true });
    await page.screenshot({ path: join(env.screenshots, 'neo4j-browser.png') });
    assert.deepEqual(problems, [], 'local requests failed');
  }));

  it('shows a clear error for a wrong password', (t) => withBrowser(t, async ({ page }) => {
    const outcome = await connect(page, `wrong-${process.pid}-${Date.now()}`);
    t.diagnostic(outcome);
    // Unauthorized, or AuthenticationRateLimit when earlier wrong attempts locked the user: both say why.
    assert.match(outcome, /Neo\.ClientError\.Security\.(Unauthorized|AuthenticationRateLimit)/);
    assert.equal(await page.getByText('You are connected as user').count(), 0);
    assert.ok(await page.getByTestId('disconnectedBanner').isVisible(), 'the not-connected banner is gone');
  }));
});
