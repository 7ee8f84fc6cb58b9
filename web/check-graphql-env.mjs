// Fails when src/explore/graphql-env.d.ts is not what gql.tada generates from schema/schema.graphql today: the
// explorer's documents are typed against that file, so a stale one would let `npm run typecheck` pass against an
// old schema. `npm run typecheck` runs this first; `npm run generate` writes the file anew.
//
//   node check-graphql-env.mjs
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = path.dirname(fileURLToPath(import.meta.url));
const checkedIn = path.join(root, 'src', 'explore', 'graphql-env.d.ts');
const work = await mkdtemp(path.join(tmpdir(), 'chainmap-graphql-env-'));
try {
  const fresh = path.join(work, 'graphql-env.d.ts');
  // The schema and the output's settings are the gql.tada plugin's in tsconfig.json.
  await promisify(execFile)(path.join(root, 'node_modules', '.bin', 'gql.tada'), ['generate', 'output', '--output', fresh], {
    cwd: root,
    timeout: 120_000,
  });
  const [want, have] = await Promise.all([readFile(fresh, 'utf8'), readFile(checkedIn, 'utf8').catch(() => null)]);
  if (want !== have) {
    console.error(`${path.relative(root, checkedIn)} is not what gql.tada generates from schema/schema.graphql: run \`npm run generate\` in web/ and commit it`);
    process.exitCode = 1;
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
