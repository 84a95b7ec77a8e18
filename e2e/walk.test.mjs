// End to end: the workshop walk (issue 18). Every step a lesson asks for
// can be done, seen and stopped: the skip link keeps the lesson, the stale
// write of lesson 5 is in view after Run and counted once, a latency check
// over no data fails, a slow check has Stop and leaving it is clean, a
// failing seed opens its run, the scenario is editable, lessons link to
// the next one, and axe finds no serious violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { appUnderTest, ARTIFACTS } from './app-under-test.mjs';
import { readShareLink } from './workshop-helpers.mjs';
import { seriousViolations } from './axe.mjs';

const app = appUnderTest();

const playgroundOf = (page) => page.getByRole('region', { name: 'Playground' });

async function openLesson(id, viewport = { width: 1280, height: 800 }) {
  const { page, errors } = await app.freshPage(`#/lesson/${id}`);
  await page.setViewportSize(viewport);
  return { page, errors, playground: playgroundOf(page) };
}

/** True when `inner` lies horizontally inside `outer` (bounding boxes). */
function inside(inner, outer) {
  return inner.x >= outer.x - 1 && inner.x + inner.width <= outer.x + outer.width + 1;
}

test('the skip link moves focus to the lesson and keeps its route', async () => {
  const { page, errors } = await openLesson('fire-and-forget');
  await page.getByRole('heading', { level: 1, name: /Fire and forget/ }).waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to the lesson');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  assert.match(page.url(), /#\/lesson\/fire-and-forget$/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
  await page.getByRole('heading', { level: 1, name: /Fire and forget/ }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Lesson not found' }).count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

for (const [width, height] of [[1024, 768], [1280, 800], [1920, 1080]]) {
  test(`lesson 5 seed 136 at ${width}x${height}: one stale write, in view after Run, its words whole`, async () => {
    const { page, errors, playground } = await openLesson('out-of-order-bug', { width, height });
    await playground.getByRole('button', { name: 'Run', exact: true }).click();
    await playground.getByRole('heading', { name: 'Seed 136: some checks failed' }).waitFor();
    // The metrics count one stale overwrite; so does the diagram.
    const row = playground.getByRole('row', { name: /^Stale overwrites/ });
    assert.equal((await row.getByRole('cell').innerText()).trim(), '1');
    const seq = page.getByRole('region', { name: 'Sequence diagram' });
    await seq.scrollIntoViewIfNeeded();
    const stale = seq.getByRole('img', { name: /stale overwrite of v1\.2$/ });
    assert.equal(await stale.count(), 1, 'one arrow marked stale');
    await seq.getByRole('img', { name: /writes doc-1 v1\.1 to the store, replacing v1\.0$/ }).waitFor();
    // Without pressing anything: the stale arrow's label and the store
    // lifeline are inside the diagram's box.
    const box = await seq.locator('.sequence-scroll').boundingBox();
    const label = await stale.locator('.seq-label').boundingBox();
    assert.ok(inside(label, box), `label ${JSON.stringify(label)} outside ${JSON.stringify(box)}`);
    const store = await seq.locator('.sequence-head.seq-lifeline-store').boundingBox();
    assert.ok(inside(store, box), `store ${JSON.stringify(store)} outside ${JSON.stringify(box)}`);
    // The topology fits its box: the store node is on screen.
    const topology = await page.locator('.topology').boundingBox();
    const storeNode = await page.getByRole('button', { name: /^store store/ }).boundingBox();
    assert.ok(inside(storeNode, topology), 'store node inside the topology box');
    // Focused, the arrow's words are shown whole, wrapped, never cut.
    await stale.focus();
    const detail = seq.locator('.sequence-detail');
    assert.match(await detail.innerText(), /stale overwrite of v1\.2$/);
    assert.ok(await detail.evaluate((el) => el.scrollWidth <= el.clientWidth), 'detail line not cut');
    await page.screenshot({ path: join(ARTIFACTS, `walk-lesson5-${width}.png`) });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('a latency check over no processed message fails and says why', async () => {
  const { page, errors, playground } = await openLesson('limits');
  const editor = playground.getByRole('textbox', { name: 'Code of function save' });
  await editor.fill('fn handler(event, context) {\n    throw "down";\n}');
  await playground.getByRole('button', { name: 'Run', exact: true }).click();
  await playground.getByRole('heading', { name: /^Seed 1: / }).waitFor({ timeout: 120_000 });
  const p99 = playground.locator('.run li', { hasText: 'p99 from save to processed at most 2 s' });
  assert.match(await p99.innerText(), /^Failed/);
  assert.match(await p99.innerText(), /nothing to measure it over: 0 messages processed of \d+ messages sent/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a slow check has Stop in view, and leaving one cancels it without a panic', async () => {
  const { page, errors, playground } = await openLesson('limits');
  const editor = playground.getByRole('textbox', { name: 'Code of function save' });
  await editor.fill('fn handler(event, context) {\n    loop { }\n}');
  await playground.getByRole('button', { name: /^Check over \d+ seeds$/ }).click();
  const stop = playground.getByRole('button', { name: 'Stop the check' });
  await stop.waitFor();
  assert.ok(await stop.isVisible());
  const { y, height } = await stop.boundingBox();
  assert.ok(y >= 0 && y + height <= 800, `Stop at y=${y} is off screen`);
  await stop.click();
  await playground.getByRole('heading', { name: /^(Stopped after \d+ of \d+ seeds|Some checks failed in the \d+ of \d+ seeds checked before Stop)/ }).waitFor();
  await stop.waitFor({ state: 'detached' });

  // Start it again and leave the lesson while it runs.
  await playground.getByRole('button', { name: /^Check over \d+ seeds$/ }).click();
  await stop.waitFor();
  await page.getByRole('navigation', { name: 'Lessons' }).getByRole('link', { name: /Welcome/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Welcome to Event Playground' }).waitFor();
  await page.waitForTimeout(1500);
  assert.deepEqual(errors, [], 'no panic after leaving a running check');
  await page.close();
});

test('each failing seed of a check opens that exact run', async () => {
  const { page, errors, playground } = await openLesson('out-of-order-bug');
  await playground.getByRole('button', { name: 'Check over 200 seeds' }).click();
  await playground.getByRole('heading', { name: 'Some checks failed over 200 seeds' }).waitFor({ timeout: 120_000 });
  const seeds = playground.getByRole('group', { name: 'Failing seeds' });
  const second = seeds.getByRole('button', { name: /^Open seed \d+$/ }).nth(1);
  const seed = (await second.innerText()).match(/\d+/)[0];
  await second.click();
  await playground.getByRole('heading', { name: `Seed ${seed}: some checks failed` }).waitFor();
  assert.equal(await playground.getByRole('spinbutton', { name: 'Seed' }).inputValue(), seed);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Scenario tab edits the system with sim diagnostics, is saved and shared', async () => {
  const { page, errors, playground } = await openLesson('out-of-order-bug');
  const tab = playground.getByRole('tab', { name: 'Scenario' });
  await tab.click();
  const toml = playground.getByRole('textbox', { name: 'Scenario (TOML)' });
  const original = await toml.inputValue();
  assert.match(original, /interval_ms = 100\n/);
  // A typo is reported as sim reports it, and Run refuses to use it.
  await toml.fill(original.replace('interval_ms = 100\n', 'intervall_ms = 1000\n'));
  const problems = playground.getByRole('list', { name: 'Problems in the scenario' });
  await problems.getByText(/^scenario:\d+:\d+: .*intervall_ms.*did you mean `interval_ms`/).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'walk-scenario-tab-error.png') });
  await playground.getByRole('button', { name: 'Run', exact: true }).click();
  await playground.getByText(/fix them in the Scenario tab first/).waitFor();
  // Saves 1 s apart: the bug does not show (as the lesson's table says).
  await toml.fill(original.replace('interval_ms = 100\n', 'interval_ms = 1000\n'));
  await playground.getByText('Your edit is valid: Run and Check use it.').waitFor();
  await playground.getByRole('button', { name: 'Run', exact: true }).click();
  await playground.getByRole('heading', { name: 'Seed 136: every check passed' }).waitFor();
  // Kept across a reload, and carried by a share link.
  await page.reload();
  await playground.getByRole('tab', { name: 'Scenario' }).click();
  assert.match(await toml.inputValue(), /interval_ms = 1000\n/);
  await playground.getByRole('button', { name: 'Copy share link' }).click();
  const link = await playground.getByRole('textbox', { name: 'Share link' }).inputValue();
  assert.match(readShareLink(link).scenario, /interval_ms = 1000\n/);
  const other = await app.context.newPage();
  await other.goto(link);
  await playgroundOf(other).getByRole('tab', { name: 'Scenario' }).click();
  assert.match(await playgroundOf(other).getByRole('textbox', { name: 'Scenario (TOML)' }).inputValue(), /interval_ms = 1000\n/);
  await other.close();
  // Arrow keys move between the tabs; Reset puts the lesson's back.
  await tab.focus();
  await page.keyboard.press('ArrowLeft');
  assert.equal(await playground.getByRole('tab', { name: 'Code' }).getAttribute('aria-selected'), 'true');
  await page.keyboard.press('ArrowRight');
  await playground.getByRole('button', { name: 'Reset the scenario' }).click();
  assert.equal(await toml.inputValue(), original);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a lesson links to the next one, also in presenter mode', async () => {
  const { page, errors } = await openLesson('welcome');
  const pager = page.getByRole('navigation', { name: 'Previous and next lesson' });
  await pager.getByRole('link', { name: /^Next: Who waits for whom/ }).click();
  await page.getByRole('heading', { level: 1, name: /Who waits for whom/ }).waitFor();
  await page.getByRole('button', { name: 'Presenter mode' }).click();
  await pager.getByRole('link', { name: /^Next: Rate limits/ }).click();
  // Presenter mode hides the lesson text: the route and the playground's
  // own scenario say which lesson is open.
  await page.waitForURL(/#\/lesson\/throttling-and-retries$/);
  await playgroundOf(page).getByRole('button', { name: 'Run', exact: true }).waitFor();
  await pager.getByRole('link', { name: /^Previous: Who waits/ }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'walk-presenter-pager.png') });
  await page.getByRole('button', { name: 'Presenter mode' }).click();
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a phone the header and the lesson list fold away', async () => {
  const { page, errors } = await openLesson('out-of-order-bug', { width: 390, height: 844 });
  const toggle = page.getByRole('button', { name: /^Lessons: 5\. The out-of-order save bug/ });
  await toggle.waitFor();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  const nav = page.getByRole('navigation', { name: 'Lessons' });
  assert.equal(await nav.getByRole('link', { name: /Welcome/ }).isVisible(), false);
  const header = await page.locator('.app-header').boundingBox();
  const list = await nav.boundingBox();
  assert.ok(header.height + list.height < 844 * 0.25, `header ${header.height} + list ${list.height} px`);
  await page.screenshot({ path: join(ARTIFACTS, 'walk-phone-folded.png') });
  await toggle.click();
  await nav.getByRole('link', { name: /Welcome/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Welcome to Event Playground' }).waitFor();
  assert.equal(await page.getByRole('button', { name: /^Lessons: 1\. Welcome/ }).getAttribute('aria-expanded'), 'false');
  assert.deepEqual(errors, []);
  await page.close();
});

for (const theme of ['light', 'dark']) {
  test(`axe finds no serious or critical violation, ${theme} theme`, async () => {
    const { page, errors } = await openLesson('welcome');
    await page.getByLabel('Theme').selectOption(theme);
    const scan = async (what) => {
      const found = await seriousViolations(page);
      assert.deepEqual(found, [], `${what} (${theme})`);
    };
    await page.getByRole('heading', { level: 1, name: 'Welcome to Event Playground' }).waitFor();
    await scan('Welcome');
    await page.goto(app.url + '#/lesson/out-of-order-bug');
    await playgroundOf(page).getByRole('button', { name: 'Run', exact: true }).click();
    await playgroundOf(page).getByRole('heading', { name: 'Seed 136: some checks failed' }).waitFor();
    await scan('a lesson after a run');
    await page.getByRole('button', { name: 'Presenter mode' }).click();
    await scan('presenter mode');
    await page.getByRole('button', { name: 'Presenter mode' }).click();
    await page.goto(app.url + '#/work');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await scan('Your work');
    await page.goto(app.url + '#/load');
    await page.getByRole('heading', { level: 1, name: 'Load a lesson' }).waitFor();
    await scan('Load a lesson');
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('screenshots of lesson 5 after Run at four sizes, both themes', async () => {
  const { page, errors } = await openLesson('out-of-order-bug');
  for (const theme of ['light', 'dark']) {
    await page.getByLabel('Theme').selectOption(theme);
    for (const [width, height] of [[390, 844], [1024, 768], [1280, 800], [1920, 1080]]) {
      await page.setViewportSize({ width, height });
      await page.goto(app.url + '#/lesson/welcome');
      await page.goto(app.url + '#/lesson/out-of-order-bug');
      await playgroundOf(page).getByRole('button', { name: 'Run', exact: true }).click();
      await playgroundOf(page).getByRole('heading', { name: 'Seed 136: some checks failed' }).waitFor();
      const seq = page.getByRole('region', { name: 'Sequence diagram' });
      await seq.scrollIntoViewIfNeeded();
      const stale = seq.getByRole('img', { name: /stale overwrite of v1\.2$/ });
      const box = await seq.locator('.sequence-scroll').boundingBox();
      const label = await stale.locator('.seq-label').boundingBox();
      assert.ok(inside(label, box), `${theme} ${width}x${height}: stale label out of its box`);
      await stale.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, `walk-${theme}-${width}x${height}.png`) });
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});
