// End to end: lessons 1 to 5 walked with the keyboard alone (Tab,
// Shift+Tab, Enter, Space, arrows, Escape), reaching every control the text
// asks for: next lesson, Run, the Scenario tab and its editor, the sequence
// diagram's arrows, a topology box and its inspector, Check over N seeds,
// and a failing seed's run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appUnderTest } from './app-under-test.mjs';

const app = appUnderTest();

/** The accessible-ish name of the focused element. */
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return '';
    return el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '';
  });

/**
 * Presses Tab (or Shift+Tab) until the focused element's name matches
 * `name`. A code editor takes Tab to indent: Escape leaves it first.
 */
async function tabTo(page, name, { back = false, max = 250, role = null } = {}) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate(() => document.activeElement?.tagName === 'TEXTAREA')) {
      await page.keyboard.press('Escape');
    }
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    const roleNow = await page.evaluate(() => document.activeElement?.getAttribute('role'));
    if (role && roleNow !== role) continue;
    if (name instanceof RegExp ? name.test(now) : now === name) return now;
  }
  throw new Error(`${name} not reached with ${back ? 'Shift+Tab' : 'Tab'}`);
}

/** Waits (up to 2 s) for the focus to reach an element named `name`. */
async function focusReaches(page, name) {
  for (let i = 0; i < 40 && (await focused(page)) !== name; i++) {
    await page.waitForTimeout(50);
  }
  assert.equal(await focused(page), name);
}

async function nextLesson(page, title) {
  await tabTo(page, new RegExp(`^Next: ${title}`));
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: new RegExp(title) }).waitFor();
}

async function runWithKeys(page, heading) {
  await tabTo(page, 'Run');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: heading }).waitFor({ timeout: 60_000 });
}

test('lessons 1 to 5 with the keyboard alone', async () => {
  const { page, errors } = await app.freshPage('#/lesson/welcome');
  await page.getByRole('heading', { level: 1, name: 'Welcome to Event Playground' }).waitFor();

  // 1 → 2: the skip link, then the link to the next lesson.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await nextLesson(page, 'Who waits for whom');

  // 2: run, open the Scenario tab, read and leave its editor.
  await runWithKeys(page, /^Seed 1: /);
  // The tabs are one Tab stop (the selected tab, as the ARIA tabs pattern
  // has it); an arrow key selects the other tab.
  await tabTo(page, 'Code', { role: 'tab' });
  await page.keyboard.press('ArrowRight');
  await focusReaches(page, 'Scenario');
  await tabTo(page, 'Scenario (TOML)');
  assert.match(await page.evaluate(() => document.activeElement.value), /network_latency/);
  await page.keyboard.press('Escape');
  // Arrow keys move between the tabs.
  await tabTo(page, 'Scenario', { back: true, role: 'tab' });
  await page.keyboard.press('ArrowLeft');
  await focusReaches(page, 'Code');
  await nextLesson(page, 'Rate limits');

  // 3: check over all seeds.
  await runWithKeys(page, /^Seed 1: /);
  await tabTo(page, /^Check over \d+ seeds$/, { back: true });
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: /over \d+ seeds$|in \d+\/\d+ seeds$/ }).waitFor({ timeout: 120_000 });
  await nextLesson(page, 'Fire and forget');

  // 4: a topology box opens its inspector with Space.
  await runWithKeys(page, /^Seed \d+: /);
  await tabTo(page, /^store store .*Inspect$/);
  await page.keyboard.press(' ');
  await page.getByRole('region', { name: 'Inspector: The store' }).waitFor();
  await nextLesson(page, 'The out-of-order save bug');

  // 5: the diagram's Tab stop is the stale write; Down moves on; a
  // failing seed of the check opens with Enter.
  await runWithKeys(page, 'Seed 136: some checks failed');
  const staleArrow = await tabTo(page, /stale overwrite of v1\.2$/);
  await page.keyboard.press('ArrowDown');
  // The next row is focused once drawn (the next animation frame).
  for (let i = 0; i < 40 && (await focused(page)) === staleArrow; i++) {
    await page.waitForTimeout(50);
  }
  assert.match(await focused(page), /^at \d+ ms, /);
  assert.doesNotMatch(await focused(page), /stale overwrite/);
  await tabTo(page, 'Check over 200 seeds', { back: true });
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Some checks failed over 200 seeds' }).waitFor({ timeout: 120_000 });
  const seed = (await tabTo(page, /^Open seed \d+$/)).match(/\d+/)[0];
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: `Seed ${seed}: some checks failed` }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});
