// The simulator is a second wasm file (src/ui/simulator/door.rs,
// scripts/split-wasm.mjs): the first page does without it, the first
// playground fetches it once, and a failed fetch is explained where the
// playground would be, with a way to try again. Service workers are blocked
// here so every fetch the page makes is seen (offline.test.mjs covers the
// cached copy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { appUnderTest, ARTIFACTS } from './app-under-test.mjs';

const SIMULATOR = /\/split_simulator-[0-9a-f]+\.wasm$/;
const app = appUnderTest({ serviceWorkers: 'block' });

const playgroundOf = (page) => page.getByRole('region', { name: 'Playground' });

function simulatorFetches(page) {
  const urls = [];
  page.on('request', (req) => {
    if (SIMULATOR.test(new URL(req.url()).pathname)) urls.push(req.url());
  });
  return urls;
}

test('the first page loads without the simulator; the first playground fetches it once', async () => {
  const page = await app.context.newPage();
  const fetched = simulatorFetches(page);
  await page.goto(app.url);
  await page.getByRole('heading', { level: 1, name: 'Welcome to Event Playground' }).waitFor();
  // The page is interactive: the lesson list answers.
  await page.getByRole('link', { name: /out-of-order/i }).click();
  await page.getByRole('heading', { level: 1, name: /out-of-order/i }).waitFor();
  await playgroundOf(page).getByRole('button', { name: 'Run', exact: true }).waitFor();
  assert.equal(fetched.length, 1, `simulator fetched ${fetched.length} times`);

  // Another playground, and the first page again: no second fetch.
  await page.goto(`${app.url}#/lesson/version-store`);
  await playgroundOf(page).getByRole('button', { name: 'Run', exact: true }).waitFor();
  assert.equal(fetched.length, 1);
  await page.close();

  // Before any playground, nothing of the simulator was asked for.
  const fresh = await app.context.newPage();
  const none = simulatorFetches(fresh);
  await fresh.goto(app.url);
  await fresh.getByRole('heading', { level: 1, name: 'Welcome to Event Playground' }).waitFor();
  await fresh.getByRole('link', { name: 'Your work' }).click();
  await fresh.getByRole('heading', { level: 1, name: 'Your work' }).waitFor();
  assert.deepEqual(none, []);
  await fresh.close();
});

test('a simulator that cannot be fetched is explained beside the lesson, and Try again loads it', async () => {
  const page = await app.context.newPage();
  // Hold the fetch to see the loading state, then fail it.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(SIMULATOR, async (route) => {
    await held;
    await route.abort('internetdisconnected');
  });
  await page.goto(`${app.url}#/lesson/out-of-order-bug`);
  await page.getByRole('heading', { level: 1, name: /out-of-order/i }).waitFor();
  const status = page.getByRole('status').filter({ hasText: 'Loading the simulator' });
  await status.waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'simulator-loading.png') });
  release();

  const alert = page.getByRole('alert').filter({ hasText: 'The simulator could not be loaded' });
  await alert.waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'simulator-load-failed.png') });
  // The lesson text is still there to read.
  assert.ok(await page.getByRole('heading', { level: 1, name: /out-of-order/i }).isVisible());

  await page.unroute(SIMULATOR);
  await alert.getByRole('button', { name: 'Try again' }).click();
  const playground = playgroundOf(page);
  await playground.getByRole('button', { name: 'Run', exact: true }).click();
  await playground.getByRole('heading', { name: /^Seed \d+:/ }).waitFor({ timeout: 60_000 });
  assert.equal(await alert.count(), 0);
  await page.close();
});
