// Cuts the app's wasm in two (called by post-build.mjs, in Trunk's staging
// folder, before the CSP and service-worker steps):
//
//   the shell      lessons, markdown, navigation, saved work: what the first
//                  page needs;
//   the simulator  engine, rhai, scenarios and the playground, fetched the
//                  first time a page shows a playground (src/ui/simulator/door.rs).
//
// Trunk cannot split, so it builds and binds the whole wasm as usual
// (index.html sets the `split` feature and no wasm-opt); this step then
// redoes the binding from cargo's output, cut at the split point:
//
//   1. wasm-split-cli cuts cargo's wasm (linked with --emit-relocs, see
//      .cargo/config.toml) into the shell, the simulator and a small JS
//      loader, __wasm_split.js;
//   2. wasm-bindgen binds the shell under Trunk's own file names, replacing
//      Trunk's output (the inline loader script names them);
//   3. in release builds wasm-opt shrinks both wasm files;
//   4. the simulator and the loader get content hashes in their names (a
//      host may cache them for long) and index.html's integrity attributes
//      are recomputed for the files that changed.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = 'event-playground';
const SPLIT_NAME = 'split_simulator';

/** A failed step: thrown, so that the temp folder is removed on the way out. */
export class SplitError extends Error {}

function fail(message) {
  throw new SplitError(`split-wasm.mjs: ${message}`);
}

/** The first page may download at most this much, gzipped (docs/performance.md, "Download size"). */
export const FIRST_PAGE_BUDGET_BYTES = 600 * 1024;

async function tool(name, args) {
  try {
    return await run(name, args, { maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    if (err.code === 'ENOENT') fail(`${name} is not on PATH (scripts/tools.sh installs it)`);
    fail(`${name} ${args.join(' ')} failed:\n${err.stderr || err.message}`);
  }
}

const sha = (algorithm, bytes, encoding) => createHash(algorithm).update(bytes).digest(encoding);

export async function splitWasm(staging) {
  const profile = process.env.TRUNK_PROFILE === 'release' ? 'release' : 'debug';
  const source = process.env.TRUNK_SOURCE_DIR ?? process.cwd();
  const targetDir = process.env.CARGO_TARGET_DIR ?? join(source, 'target');
  const cargoWasm = join(targetDir, 'wasm32-unknown-unknown', profile, `${BIN}.wasm`);

  // Trunk's names: <stem>.js and <stem>_bg.wasm.
  const bound = (await readdir(staging)).filter((n) => n.startsWith(BIN) && n.endsWith('_bg.wasm'));
  if (bound.length !== 1) fail(`expected one ${BIN}*_bg.wasm in ${staging}, found ${bound.length}`);
  const stem = bound[0].slice(0, -'_bg.wasm'.length);
  const cargoTime = (await stat(cargoWasm).catch(() => fail(`no ${cargoWasm}: did cargo build it?`))).mtimeMs;
  const stagedTime = (await stat(join(staging, bound[0]))).mtimeMs;
  if (cargoTime > stagedTime) fail(`${cargoWasm} is newer than Trunk's output: two builds at once?`);

  // The cut needs the linker's relocations (.cargo/config.toml asks for
  // them; a RUSTFLAGS variable in the environment overrides that file).
  if (!(await readFile(cargoWasm)).includes('reloc.CODE')) {
    fail(`${cargoWasm} has no relocations: build it with -C link-args=--emit-relocs ` +
      '(.cargo/config.toml sets it; RUSTFLAGS in the environment replaces that setting)');
  }

  const work = await mkdtemp(join(tmpdir(), 'split-wasm-'));
  try {
    // 1. Cut. The shell is written as <stem>.wasm; the loader imports
    //    initSync from ./<stem>.js, the JS wasm-bindgen writes next.
    await tool('wasm-split-cli', [cargoWasm, work, '--out-name', stem]);
    const split = join(work, `${SPLIT_NAME}.wasm`);
    await stat(split).catch(() =>
      fail(`wasm-split-cli wrote no ${SPLIT_NAME}.wasm: is the split point (src/ui/simulator/door.rs) built with --features split?`),
    );

    // 2. Bind the shell (the flags Trunk uses, plus what a split needs).
    await tool('wasm-bindgen', [
      '--target=web', '--no-typescript', '--keep-lld-exports', '--no-demangle',
      `--out-dir=${work}/bound`, `--out-name=${stem}`, join(work, `${stem}.wasm`),
    ]);
    const shellWasm = join(work, 'bound', `${stem}_bg.wasm`);

    // 3. Shrink (as Trunk would: -Oz, whole-program flow analysis, -Oz).
    if (profile === 'release') {
      const opt = (file) => tool('wasm-opt', [`--output=${file}`, '-Oz', file, '--gufa', '-Oz']);
      await Promise.all([opt(shellWasm), opt(split)]);
    }

    // 4. Content-hashed names for the simulator and its loader.
    const splitBytes = await readFile(split);
    const splitName = `${SPLIT_NAME}-${sha('sha256', splitBytes, 'hex').slice(0, 16)}.wasm`;
    let loader = await readFile(join(work, '__wasm_split.js'), 'utf8');
    if (!loader.includes(`"./${SPLIT_NAME}.wasm"`)) fail(`__wasm_split.js does not name ./${SPLIT_NAME}.wasm`);
    loader = loader.split(`"./${SPLIT_NAME}.wasm"`).join(`"./${splitName}"`);
    const loaderName = `__wasm_split-${sha('sha256', loader, 'hex').slice(0, 16)}.js`;
    let glue = await readFile(join(work, 'bound', `${stem}.js`), 'utf8');
    // Only the module specifier changes: the import object's key is the
    // wasm's import module name and stays "./__wasm_split.js".
    const specifier = /from\s*(["'])\.\/__wasm_split\.js\1/;
    if (!specifier.test(glue)) fail(`${stem}.js does not import ./__wasm_split.js`);
    glue = glue.replace(specifier, `from "./${loaderName}"`);

    const shellBytes = await readFile(shellWasm);
    const indexPath = join(staging, 'index.html');
    let index = await readFile(indexPath, 'utf8');
    for (const [name, bytes] of [[`${stem}.js`, glue], [`${stem}_bg.wasm`, shellBytes]]) {
      index = replaceIntegrity(index, name, await readFile(join(staging, name)), bytes);
    }
    await writeFile(join(staging, `${stem}.js`), glue);
    await writeFile(join(staging, `${stem}_bg.wasm`), shellBytes);
    await writeFile(join(staging, loaderName), loader);
    await writeFile(join(staging, splitName), splitBytes);

    await writeFile(indexPath, index);
    const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
    const firstPage = await firstPageGzipBytes(staging, [splitName, 'sw.js']);
    console.log(`split-wasm.mjs: shell ${kb(shellBytes.length)}, simulator ${kb(splitBytes.length)} (${splitName}); first page ${kb(firstPage)} gzipped`);
    if (firstPage > FIRST_PAGE_BUDGET_BYTES) {
      fail(`the first page downloads ${kb(firstPage)} gzipped, over its budget of ${kb(FIRST_PAGE_BUDGET_BYTES)}: ` +
        'move what a lesson\'s text does not need behind the simulator (src/ui/simulator/door.rs)');
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * `index` with the integrity of `./<name>` changed from `before`'s to
 * `after`'s. Fails unless exactly one tag names the file and its integrity
 * is that of `before` (the file Trunk wrote): a changed page or a changed
 * Trunk must not leave a stale hash that browsers would refuse.
 */
export function replaceIntegrity(index, name, before, after) {
  const expected = `integrity="sha384-${sha('sha384', before, 'base64')}"`;
  const tags = [...index.matchAll(/<link\b[^>]*>/g)].filter((m) => m[0].includes(`href="./${name}"`));
  if (tags.length !== 1) fail(`index.html names ./${name} in ${tags.length} link tags, not 1`);
  const tag = tags[0][0];
  if (!tag.includes(expected)) fail(`index.html's integrity for ./${name} is not that of the file Trunk wrote`);
  const replaced = tag.replace(expected, `integrity="sha384-${sha('sha384', after, 'base64')}"`);
  return index.replace(tag, () => replaced);
}

/**
 * Gzipped bytes of every file in `dir` but `lazy` (fetched later: the
 * simulator, the service worker): what the first page downloads.
 */
export async function firstPageGzipBytes(dir, lazy) {
  let total = 0;
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if (lazy.includes(name) || !(await stat(path)).isFile()) continue;
    total += gzipSync(await readFile(path), { level: 9 }).length;
  }
  return total;
}
