// Offline: after one visit, the release build under a sub-path works with
// the network off (the server stopped and the browser offline): reload, a
// deep link, a lesson's playground. A new release replaces the cache.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { serveDist } from './static-server.mjs';
import { launch, collectErrors } from './browser.mjs';
import { copyOfDist, waitForServiceWorker, watchCsp } from './workshop-helpers.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUB_PATH = '/workshop/event-playground/';

let dist;

before(async () => {
  dist = await copyOfDist(ROOT);
});

after(async () => {
  await rm(dist, { recursive: true, force: true });
});

test('after one visit the app works offline: reload, deep link and playground', async () => {
  const server = await serveDist(dist, SUB_PATH);
  const context = await launch();
  try {
    const page = await context.newPage();
    const errors = collectErrors(page);
    const csp = await watchCsp(page);
    await page.goto(server.url);
    await page.getByRole('heading', { level: 1, name: 'Welcome to Event Playground' }).waitFor();
    await waitForServiceWorker(page);
    assert.deepEqual(errors, []);
    assert.deepEqual(await csp(), []);

    // The network goes away: the server stops and the browser is offline.
    await server.close();
    await context.setOffline(true);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Welcome to Event Playground' }).waitFor();

    const deep = await context.newPage();
    await deep.goto(`${server.url}#/lesson/out-of-order-bug`);
    await deep.getByRole('heading', { level: 1, name: /out-of-order/i }).waitFor();
    const playground = deep.getByRole('region', { name: 'Playground' });
    // The simulation runs offline too (it is all in the wasm).
    await playground.getByRole('button', { name: 'Run', exact: true }).click();
    await playground.getByRole('heading', { name: /^Seed \d+:/ }).waitFor({ timeout: 60_000 });
    assert.equal(await deep.title(), 'The out-of-order save bug — Event Playground');
  } finally {
    await context.close();
    await server.close().catch(() => {});
  }
});

test('a new release replaces the cache and deletes the old one', async () => {
  const server = await serveDist(dist, SUB_PATH);
  const context = await launch();
  try {
    const page = await context.newPage();
    await page.goto(server.url);
    await waitForServiceWorker(page);
    const cacheNames = () => page.evaluate(() => caches.keys());
    const first = await cacheNames();
    assert.equal(first.length, 1, `${first}`);
    assert.match(first[0], /^event-playground:http:\/\/127\.0\.0\.1:\d+\/workshop\/event-playground\/:[0-9a-f]{16}$/);

    // A new build: same files, a new version in sw.js.
    const swPath = join(dist, 'sw.js');
    const sw = await readFile(swPath, 'utf8');
    await writeFile(swPath, sw.replace(/const VERSION = '[0-9a-f]+';/, "const VERSION = '0123456789abcdef';"));
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await page.waitForFunction(
      async () => {
        const keys = await caches.keys();
        return keys.length === 1 && keys[0].endsWith(':0123456789abcdef');
      },
      null,
      { polling: 200, timeout: 20_000 },
    );
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Welcome to Event Playground' }).waitFor();
  } finally {
    await context.close();
    await server.close();
  }
});

test('where service workers are unavailable the app still works', async () => {
  const server = await serveDist(dist, SUB_PATH);
  const context = await launch({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${server.url}#/lesson/fifo`);
    await page.getByRole('heading', { level: 1, name: /FIFO/ }).waitFor();
    assert.equal(await page.evaluate(() => navigator.serviceWorker?.controller ?? null), null);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await server.close();
  }
});
