// Neo4j Browser (served by the test Neo4j at :7475/browser/) loads, logs in over Bolt, runs a read query, and
// shows a clear error for a wrong password. Only reads: nothing is written to the database.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { browserUrl, connect, env, isLocalUrl, keepFailureScreenshot, keepScreenshot, launchBrowser, logIn } from './lib.mjs';

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
    await keepFailureScreenshot(t, page);
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

    await logIn(t, page);

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

    await keepScreenshot(page, 'neo4j-browser.png');
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
