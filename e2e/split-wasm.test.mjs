// The checks scripts/split-wasm.mjs makes on the build it rewrites: the
// integrity it replaces must be that of the file Trunk wrote, and the first
// page's download is measured against its budget (no browser needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SplitError, firstPageGzipBytes, replaceIntegrity } from '../scripts/split-wasm.mjs';

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const page = (name, bytes) =>
  `<html><head><link rel="preload" href="./${name}" integrity="${sri(bytes)}" as="fetch">` +
  `<link rel="modulepreload" href="./other.js" integrity="${sri('other')}"></head></html>`;

test('the integrity of the file Trunk wrote is replaced by the new file\'s, and nothing else changes', () => {
  const index = page('app_bg.wasm', 'trunk wrote this');
  const out = replaceIntegrity(index, 'app_bg.wasm', Buffer.from('trunk wrote this'), Buffer.from('the cut shell'));
  assert.ok(out.includes(`href="./app_bg.wasm" integrity="${sri('the cut shell')}"`));
  assert.ok(!out.includes(sri('trunk wrote this')));
  assert.ok(out.includes(`integrity="${sri('other')}"`), 'the other tag keeps its hash');
});

test('an integrity that is not the file Trunk wrote is refused, not overwritten', () => {
  const index = page('app_bg.wasm', 'an older build');
  assert.throws(
    () => replaceIntegrity(index, 'app_bg.wasm', Buffer.from('trunk wrote this'), Buffer.from('new')),
    (err) => err instanceof SplitError && /integrity for \.\/app_bg\.wasm is not that of the file Trunk wrote/.test(err.message),
  );
});

test('a file named by no tag, or by two, is refused', () => {
  const bytes = Buffer.from('x');
  assert.throws(() => replaceIntegrity(page('app_bg.wasm', bytes), 'missing.wasm', bytes, bytes), /in 0 link tags, not 1/);
  const twice = page('app_bg.wasm', bytes).replace('</head>', `<link href="./app_bg.wasm" integrity="${sri(bytes)}"></head>`);
  assert.throws(() => replaceIntegrity(twice, 'app_bg.wasm', bytes, bytes), /in 2 link tags, not 1/);
});

test('the first page counts every file gzipped except those fetched later', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'split-wasm-test-'));
  try {
    const shell = Buffer.from('shell '.repeat(1000));
    const simulator = Buffer.from('simulator '.repeat(5000));
    await writeFile(join(dir, 'index.html'), '<html></html>');
    await writeFile(join(dir, 'app_bg.wasm'), shell);
    await writeFile(join(dir, 'split_simulator-1.wasm'), simulator);
    const expected = gzipSync('<html></html>', { level: 9 }).length + gzipSync(shell, { level: 9 }).length;
    assert.equal(await firstPageGzipBytes(dir, ['split_simulator-1.wasm']), expected);
    assert.ok(await firstPageGzipBytes(dir, []) > expected, 'the simulator counts when it is not lazy');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
