// Static hosting: the build in dist/ is complete for any static host under
// any sub-path: the service worker precaches exactly the built files, the
// CSP carries the hash of Trunk's inline loader (no placeholder left), and
// no page of the app reports a CSP violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { serveDist } from './static-server.mjs';
import { launch, collectErrors } from './browser.mjs';
import { shareHash, watchCsp } from './workshop-helpers.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = process.env.E2E_DIST ?? join(ROOT, 'dist');
const SUB_PATH = '/workshop/event-playground/';

let server;
let context;

before(async () => {
  server = await serveDist(DIST, SUB_PATH);
  context = await launch();
});

after(async () => {
  await context?.close();
  await server?.close();
});

test('the service worker precaches every built file, all relative', async () => {
  const sw = await readFile(join(DIST, 'sw.js'), 'utf8');
  const precache = JSON.parse(sw.match(/^const PRECACHE = (.*);$/m)[1]);
  assert.match(sw, /^const VERSION = '[0-9a-f]{16}';$/m);
  const files = (await readdir(DIST)).filter((f) => f !== 'sw.js' && f !== 'index.html');
  assert.deepEqual([...precache].sort(), ['./', ...files.map((f) => `./${f}`)].sort());
  assert.ok(files.some((f) => f.endsWith('.wasm')) && files.some((f) => f.endsWith('.js')));
});

test("the CSP allows Trunk's inline loader by its hash and nothing inline else", async () => {
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)[1];
  assert.ok(!csp.includes('inline-script-hashes'), csp);
  assert.ok(!/script-src[^;]*'unsafe-(inline|eval)'/.test(csp), csp);
  const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)];
  assert.ok(inline.length >= 1);
  for (const [, text] of inline) {
    const hash = createHash('sha256').update(text).digest('base64');
    assert.ok(csp.includes(`'sha256-${hash}'`), `no hash for an inline script in ${csp}`);
  }
});

test('every page of the app runs under the CSP without a violation', async () => {
  const page = await context.newPage();
  const errors = collectErrors(page);
  const csp = await watchCsp(page);
  const scenario = shareHash({ target: { kind: 'scenario', toml: '[scenario]\nname = "Tiny"\n\n[[queues]]\nname = "q"\n' }, code: '', seed: 1 });
  for (const hash of ['', '#/lesson/out-of-order-bug', '#/lesson/workflows', '#/load', '#/work', scenario, '#/lesson/no-such-lesson']) {
    await page.goto(server.url + hash);
    await page.locator('main#main').waitFor();
    await page.waitForTimeout(200);
  }
  // Presenter mode and the shortcuts overlay.
  await page.getByRole('button', { name: 'Presenter mode' }).click();
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  // The playground runs (the split handle and charts set style attributes).
  await page.goto(`${server.url}#/lesson/out-of-order-bug`);
  const playground = page.getByRole('region', { name: 'Playground' });
  await playground.getByRole('button', { name: 'Run', exact: true }).click();
  await playground.getByRole('heading', { name: /^Seed \d+:/ }).waitFor({ timeout: 60_000 });
  assert.deepEqual(await csp(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a deep link under the sub-path opens its lesson on a fresh load', async () => {
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${server.url}#/lesson/fifo`);
  await page.getByRole('heading', { level: 1, name: /FIFO/ }).waitFor();
  assert.equal(await page.title(), 'FIFO queues: order, and what it costs — Event Playground');
  // Every asset came from under the sub-path.
  const outside = await page.evaluate((prefix) =>
    performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => !p.startsWith(prefix)),
  SUB_PATH);
  assert.deepEqual(outside, []);
  assert.deepEqual(errors, []);
  await page.close();
});
