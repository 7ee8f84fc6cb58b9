// Builds the browser assets that the Go server embeds (go:embed web/dist/...).
//
//   node build.mjs            production build (minified), what `npm run build` runs
//   node build.mjs --dev      unminified, with inline source maps, for debugging
//
// Each page is one entry in PAGES below and gets its own folder in dist/:
// dist/<name>/{index.html, <name>.js, <name>.css, extra files}. Asset URLs in
// index.html are rooted at `base` (the URL prefix the Go server serves that
// folder under), so index.html also works when served from another path
// (GraphiQL's index.html is served at both /graphql and /graphiql/).
// To add a page, add an entry here and create src/<name>/{main.tsx, index.html}.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { regionsTopology } from './regions-geo.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));
const dev = process.argv.includes('--dev');

/** A module made at build time: `import x from name` gets the JSON value that make() resolves to. */
function virtualModule(name, make) {
  return {
    name,
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${name}$`) }, () => ({ path: name, namespace: 'virtual' }));
      build.onLoad({ filter: /.*/, namespace: 'virtual' }, async () => ({ contents: JSON.stringify(await make()), loader: 'json' }));
    },
  };
}

/** @type {{name: string, base: string, copy?: string[], plugins?: import('esbuild').Plugin[]}[]} */
const PAGES = [
  { name: 'graphiql', base: '/graphiql/', copy: ['favicon.svg'] },
  { name: 'explore', base: '/explore/', copy: ['favicon.svg'], plugins: [virtualModule('virtual:regions', regionsTopology)] },
];

const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const pages = only.length ? PAGES.filter((p) => only.includes(p.name)) : PAGES;
if (only.length && pages.length !== only.length) {
  console.error(`unknown page(s): ${only.join(', ')}; known: ${PAGES.map((p) => p.name).join(', ')}`);
  process.exit(2);
}

const hash = (buf) => createHash('sha256').update(buf).digest('hex').slice(0, 12);

async function buildPage({ name, base, copy = [], plugins = [] }) {
  const started = performance.now();
  const srcDir = path.join(root, 'src', name);
  const outDir = path.join(root, 'dist', name);
  // Start clean so no stale file gets embedded, but keep dist/ itself (dist/.gitkeep).
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [{ in: path.join(srcDir, 'main.tsx'), out: name }],
    outdir: outDir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    minify: !dev,
    sourcemap: dev ? 'inline' : false,
    legalComments: dev ? 'inline' : 'eof',
    // Anything url()-referenced from CSS that is not already a data: URI is
    // emitted next to the bundle and referenced relatively.
    loader: {
      '.woff': 'file',
      '.woff2': 'file',
      '.ttf': 'file',
      '.eot': 'file',
      '.svg': 'file',
      '.png': 'file',
      '.gif': 'file',
    },
    assetNames: '[name]-[hash]',
    define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
    logLevel: 'warning',
    metafile: true,
    plugins,
  });

  const js = await readFile(path.join(outDir, `${name}.js`));
  const css = await readFile(path.join(outDir, `${name}.css`));
  const html = (await readFile(path.join(srcDir, 'index.html'), 'utf8'))
    .replaceAll('%ASSET_BASE%', base)
    .replaceAll('%JS_HASH%', hash(js))
    .replaceAll('%CSS_HASH%', hash(css));
  const leftover = html.match(/%[A-Z_]+%/);
  if (leftover) throw new Error(`src/${name}/index.html: unknown placeholder ${leftover[0]}`);
  await writeFile(path.join(outDir, 'index.html'), html);
  for (const f of copy) await copyFile(path.join(srcDir, f), path.join(outDir, f));

  // Guard the "offline" promise: nothing we ship may point at another host.
  for (const file of await readdir(outDir)) {
    if (!/\.(html|css)$/.test(file)) continue;
    const text = await readFile(path.join(outDir, file), 'utf8');
    const remote = text.match(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]+|url\(\s*["']?(?:https?:)?\/\/[^)]+\)|@import\s+(?:url\()?["']?(?:https?:)?\/\//i);
    if (remote) throw new Error(`dist/${name}/${file} references a remote resource: ${remote[0]}`);
  }

  const files = await readdir(outDir);
  const ms = Math.round(performance.now() - started);
  console.log(`dist/${name}/ built in ${ms} ms${dev ? ' (dev)' : ''}:`);
  for (const f of files.sort()) {
    const size = (await readFile(path.join(outDir, f))).length;
    console.log(`  ${f.padEnd(24)} ${(size / 1024).toFixed(1).padStart(8)} KiB`);
  }
  return result;
}

try {
  for (const page of pages) await buildPage(page);
} catch (err) {
  // esbuild has already printed its diagnostics for build failures.
  if (!err?.errors) console.error(err?.message ?? err);
  process.exit(1);
}
