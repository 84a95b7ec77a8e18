// Trunk post_build hook (see Trunk.toml), run on every build, release or
// debug, `trunk build` or `trunk serve`, in Trunk's staging folder:
//
// 0. The wasm is cut into the app shell and the simulator (split-wasm.mjs).
// 1. Content-Security-Policy: Trunk injects an inline <script type="module">
//    that loads the wasm (and, under `trunk serve`, the live-reload script).
//    Their text names the hashed assets, so it changes per build; this writes
//    each inline script's sha256 into the CSP meta tag's placeholder
//    'inline-script-hashes', so no 'unsafe-inline' is needed (except under
//    `trunk serve`, see below).
// 2. Service worker: writes the list of files to precache and a version
//    derived from their contents into sw.js, so a new release gets a new
//    cache and the old one is deleted.
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { SplitError, splitWasm } from './split-wasm.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('post-build.mjs: TRUNK_STAGING_DIR is not set (run it from Trunk)');
  process.exit(1);
}

try {
  await splitWasm(staging);
} catch (err) {
  console.error(err instanceof SplitError ? err.message : err);
  process.exit(1);
}

const PLACEHOLDER = "'inline-script-hashes'";
const SW = 'sw.js';

const indexPath = join(staging, 'index.html');
let index = await readFile(indexPath, 'utf8');
if (!index.includes(PLACEHOLDER)) {
  console.error(`post-build.mjs: index.html has no ${PLACEHOLDER} in its Content-Security-Policy`);
  process.exit(1);
}
const hashes = [];
// Inline scripts: no src attribute. The hash is over the exact text.
for (const match of index.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
  hashes.push(`'sha256-${createHash('sha256').update(match[1], 'utf8').digest('base64')}'`);
}
// Under `trunk serve` the live-reload script holds {{__TRUNK_ADDRESS__}},
// which the dev server replaces per request (with the Host it was asked
// for), so no hash can be known here: the dev server alone allows inline
// scripts. `trunk build`, release or debug, never has the marker.
const devServer = index.includes('{{__TRUNK_ADDRESS__}}');
index = index.split(PLACEHOLDER).join(devServer ? "'unsafe-inline'" : hashes.join(' '));
await writeFile(indexPath, index);

async function filesUnder(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

const files = (await filesUnder(staging))
  .map((path) => relative(staging, path).split(sep).join('/'))
  .filter((name) => name !== SW)
  .sort();
const version = createHash('sha256');
for (const name of files) {
  version.update(name).update('\0').update(await readFile(join(staging, name))).update('\0');
}
// './' is the page itself (index.html under the folder's own URL).
const precache = ['./', ...files.filter((n) => n !== 'index.html').map((n) => `./${n}`)];

const swPath = join(staging, SW);
let sw = await readFile(swPath, 'utf8');
const before = sw;
sw = sw
  .replace(/^const VERSION = .*;$/m, `const VERSION = '${version.digest('hex').slice(0, 16)}';`)
  .replace(/^const PRECACHE = .*;$/m, `const PRECACHE = ${JSON.stringify(precache)};`);
if (sw === before) {
  console.error('post-build.mjs: sw.js has no VERSION/PRECACHE lines to fill in');
  process.exit(1);
}
await writeFile(swPath, sw);
console.log(`post-build.mjs: CSP with ${devServer ? "'unsafe-inline' (trunk serve)" : `${hashes.length} inline script hash(es)`}; sw.js precaches ${precache.length} files`);
