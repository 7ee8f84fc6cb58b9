// The developer kit's examples (examples/), run against `chainmap serve` on the test Neo4j with the curated
// seeds loaded: the TypeScript example's types are what gql.tada generates from schema/schema.graphql, it
// typechecks and compiles against them, and its query and its subscription (graphql-sse) run; the Python
// example's query and export download run when python3 is installed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { env, repoRoot, startServer } from './lib.mjs';

const run = promisify(execFile);
const ts = join(repoRoot, 'examples', 'typescript');
const editorKey = 'example-editor-key-000000';
let server;
let setup;
const work = mkdtempSync(join(tmpdir(), 'chainmap-devkit-'));

async function prepare() {
  try {
    await run(env.bin, ['load', '-connect-timeout', '15s'], {
      env: { ...process.env, NEO4J_URI: env.neo4jUri, NEO4J_USER: env.neo4jUser, NEO4J_PASSWORD: env.neo4jPassword },
      timeout: 120_000,
    });
  } catch (err) {
    assert.fail(`\`chainmap load\` into the test Neo4j at ${env.neo4jUri} failed (make test-neo4j; make build):\n${err.stderr || err.message}`);
  }
  server = await startServer({ extraEnv: { CHAINMAP_API_KEYS: `example:editor:${editorKey}` } });
}

// tool runs a program of the example's node_modules/.bin (installed by `make examples-deps`).
async function tool(name, args, opts = {}) {
  const bin = join(ts, 'node_modules', '.bin', name);
  assert.ok(existsSync(bin), `${bin} is missing: run \`make examples-deps\` (npm ci in examples/typescript)`);
  return run(bin, args, { cwd: ts, timeout: 180_000, ...opts });
}

describe('developer kit examples', () => {
  before(() => {
    setup = prepare();
    return setup.catch(() => {});
  });
  after(async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('TypeScript: the checked-in types are what gql.tada generates from schema/schema.graphql', async () => {
    const out = join(work, 'graphql-env.d.ts');
    await tool('gql.tada', ['generate', 'output', '--output', out]);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(join(ts, 'src', 'graphql-env.d.ts'), 'utf8'),
      'examples/typescript/src/graphql-env.d.ts is stale: run `npm run generate` in examples/typescript and commit it');
  });

  it('TypeScript: typechecks and compiles against the generated types, then its query runs', async () => {
    await setup;
    await tool('tsc', []); // into examples/typescript/dist (git ignores it), beside its node_modules
    const { stdout } = await run(process.execPath, [join(ts, 'dist', 'query.js'), 'hydrogen'], {
      env: { ...process.env, CHAINMAP_URL: `${server.url}/graphql` }, timeout: 60_000,
    });
    assert.match(stdout, /^\d+ open chokepoints in hydrogen/);
    assert.match(stdout, /^- \[\d\] .+ source\(s\), e\.g\. https?:\/\//m);
  });

  it('TypeScript: the subscription over graphql-sse sees the source the example creates', async () => {
    await setup;
    await tool('tsc', []);
    const { stdout } = await run(process.execPath, [join(ts, 'dist', 'subscribe.js')], {
      env: { ...process.env, CHAINMAP_URL: `${server.url}/graphql`, CHAINMAP_TOKEN: editorKey }, timeout: 60_000,
    });
    const id = stdout.match(/^created source (example-[a-z0-9]+)/m)?.[1];
    assert.ok(id, `no source created:\n${stdout}`);
    assert.match(stdout, new RegExp(`^change \\d+: createSource ${id} by example$`, 'm'));
  });

  it('Python: the query and the export download run', async (t) => {
    await setup;
    const python = ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => existsSync(p));
    if (!python) {
      t.skip('python3 is not installed');
      return;
    }
    const { stdout } = await run(python, [join(repoRoot, 'examples', 'python', 'chainmap_example.py'), 'hydrogen'], {
      env: { ...process.env, CHAINMAP_URL: server.url }, timeout: 60_000,
    });
    assert.match(stdout, /^Hydrogen energy: \d+ segments/m);
    assert.match(stdout, /^bottlenecks\.csv: \d+ bytes, [1-9]\d* bottlenecks /m);
    assert.match(stdout, /^as expected: BAD_USER_INPUT: filter\.regionCode/m);
  });
});
