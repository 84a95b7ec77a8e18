// End to end: the release build in dist/, served under a sub-path, in real
// headless Chromium. Run by scripts/test.sh after `trunk build --release`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { serveDist } from './static-server.mjs';
import { launch, collectErrors } from './browser.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUB_PATH = '/workshop/event-playground/';

let server;
let context;

before(async () => {
  server = await serveDist(process.env.E2E_DIST ?? join(ROOT, 'dist'), SUB_PATH);
  context = await launch();
});

after(async () => {
  await context?.close();
  await server?.close();
});

async function openPage(hash = '') {
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url + hash);
  return { page, errors };
}

test('the release build under a sub-path shows the Welcome lesson without errors', async () => {
  const { page, errors } = await openPage();
  await page.getByRole('heading', { level: 1, name: 'Welcome to Event Playground' }).waitFor();
  await page.getByRole('navigation', { name: 'Lessons' }).getByRole('link', { name: /Welcome/ }).waitFor();
  assert.equal(await page.title(), 'Welcome: what this playground teaches — Event Playground');
  assert.deepEqual(errors, []);

  // The screenshot in the README comes from here.
  await mkdir(join(ROOT, 'docs'), { recursive: true });
  await page.screenshot({ path: join(ROOT, 'docs', 'screenshot.png') });
  await page.close();
});

test('a deep link to a lesson survives a reload', async () => {
  const { page, errors } = await openPage('#/lesson/welcome');
  const current = page.getByRole('navigation', { name: 'Lessons' }).locator('a[aria-current="page"]');
  await current.waitFor();
  assert.match(await current.innerText(), /Welcome/);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Welcome to Event Playground' }).waitFor();
  assert.match(page.url(), /#\/lesson\/welcome$/);
  assert.match(await current.innerText(), /Welcome/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link to a missing lesson says so, also after a reload', async () => {
  const { page, errors } = await openPage('#/lesson/no-such-lesson');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /no-such-lesson/);
  await page.reload();
  await alert.waitFor();
  await alert.getByRole('link', { name: /Welcome/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Welcome to Event Playground' }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('the theme switch changes the colours and is remembered', async () => {
  const { page, errors } = await openPage();
  const theme = page.getByLabel('Theme');
  await theme.waitFor();
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await theme.selectOption('light');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
  const light = await background();

  await theme.selectOption('dark');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  const dark = await background();
  assert.notEqual(light, dark, 'dark and light backgrounds differ');
  await mkdir(join(ROOT, 'e2e', 'artifacts'), { recursive: true });
  await page.screenshot({ path: join(ROOT, 'e2e', 'artifacts', 'welcome-dark.png') });

  await page.reload();
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  assert.equal(await page.getByLabel('Theme').inputValue(), 'dark');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the keyboard reaches the skip link, the header controls and the lessons', async () => {
  const { page } = await openPage();
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to the lesson');
  const focusable = [];
  for (let i = 0; i < 7; i++) {
    await page.keyboard.press('Tab');
    focusable.push(await page.evaluate(() => {
      const el = document.activeElement;
      return el?.getAttribute('aria-label') ?? (el?.tagName === 'SELECT' ? 'select' : el?.textContent);
    }));
  }
  for (const control of ['Your work', 'Presenter mode', 'Keyboard shortcuts', 'select']) {
    assert.ok(focusable.includes(control), `${control} not reached by Tab: ${focusable}`);
  }
  await page.close();
});
