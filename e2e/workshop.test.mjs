// End to end: nothing lost and shareable links, in the built app served
// under a sub-path. Code and seed survive a reload and a new page in the same
// profile; a damaged saved record is recovered with a notice; a share link
// opened in a fresh profile shows the same code, seed and result; damaged
// links say so in words and leave saved work alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { launch, collectErrors } from './browser.mjs';
import { appUnderTest, ARTIFACTS, ROOT } from './app-under-test.mjs';
import { readShareLink, shareHash } from './workshop-helpers.mjs';

const LESSON = '#/lesson/version-store';
const MINE = 'fn handler(event, context) {\n    // my saved work\n}';

const app = appUnderTest();

const fresh = (ctx = app.context, hash = LESSON) => app.freshPage(hash, ctx);

const playgroundOf = (page) => page.getByRole('region', { name: 'Playground' });
const editorOf = (page) =>
  playgroundOf(page).getByRole('textbox', { name: 'Code of function save' });
const seedOf = (page) => playgroundOf(page).getByRole('spinbutton', { name: 'Seed' });

async function writeWork(page, code, seed) {
  await editorOf(page).fill(code);
  await seedOf(page).fill(String(seed));
  await seedOf(page).press('Tab');
}

test('code and seed survive a reload and a new page in the same profile', async () => {
  const { page, errors } = await fresh();
  await writeWork(page, MINE, 4242);
  await page.reload();
  assert.equal(await editorOf(page).inputValue(), MINE);
  assert.equal(await seedOf(page).inputValue(), '4242');
  await page.close();
  const again = await app.context.newPage();
  await again.goto(app.url + LESSON);
  assert.equal(await editorOf(again).inputValue(), MINE);
  assert.equal(await seedOf(again).inputValue(), '4242');
  await again.close();
  assert.deepEqual(errors, []);
});

test('corrupted saved records are set aside with a notice, never a blank page', async () => {
  const { page } = await fresh();
  await page.evaluate(() => {
    localStorage.setItem('event-playground.progress', '{not json');
    localStorage.setItem('event-playground.code.version-store', '{"version":99,"code":"x"}');
  });
  await page.reload();
  await page.getByText('Your saved progress could not be read').waitFor();
  await page.getByText('is from another version of the app (format 99)').waitFor();
  assert.match(await editorOf(page).inputValue(), /store\.put\(save\.doc, save\)/);
  await page.close();
});

test('a browser that refuses to store (quota) keeps the work on screen and says how to keep it', async () => {
  const page = await app.context.newPage();
  const errors = collectErrors(page);
  // Storage full: every write throws, as Chromium does over quota.
  await page.addInitScript(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await page.goto(app.url + LESSON);
  await writeWork(page, MINE, 11);
  const alert = playgroundOf(page).getByRole('alert').filter({ hasText: 'did not let this page save your work' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /Copy share link to keep it/);
  // The work is still on screen and still runs.
  assert.equal(await editorOf(page).inputValue(), MINE);
  await playgroundOf(page).getByRole('button', { name: 'Run', exact: true }).click();
  await playgroundOf(page).getByRole('heading', { name: /^Seed 11: / }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

async function resultOf(page) {
  await playgroundOf(page).getByRole('button', { name: 'Run', exact: true }).click();
  const heading = playgroundOf(page).getByRole('heading', { name: /^Seed \d+: / });
  await heading.waitFor();
  return heading.textContent();
}

test('a share link opens in a fresh profile with the same code, seed and result', async () => {
  const { page } = await fresh();
  const code = (await editorOf(page).inputValue()) + '\n// shared by the instructor\n';
  await writeWork(page, code, 77);
  const result = await resultOf(page);
  await playgroundOf(page).getByRole('button', { name: 'Copy share link' }).click();
  const link = await playgroundOf(page).getByRole('textbox', { name: 'Share link' }).inputValue();
  assert.match(link, /\/workshop\/event-playground\/.*#\/share\/v1\/[A-Za-z0-9_-]+$/);
  await page.close();

  const other = await launch();
  try {
    const p = await other.newPage();
    const errors = collectErrors(p);
    await p.goto(link);
    const banner = p.getByText('You are viewing a shared version of this lesson.');
    await banner.waitFor();
    await banner.scrollIntoViewIfNeeded();
    for (const scheme of ['light', 'dark']) {
      await p.emulateMedia({ colorScheme: scheme });
      await p.screenshot({ path: join(ARTIFACTS, `shared-view-${scheme}.png`) });
    }
    assert.equal(await editorOf(p).inputValue(), code);
    assert.equal(await seedOf(p).inputValue(), '77');
    assert.equal(await resultOf(p), result);
    // Viewing saved nothing; keeping does.
    assert.equal(await p.evaluate(() => localStorage.getItem('event-playground.code.version-store')), null);
    await p.getByRole('button', { name: 'Keep this version' }).click();
    await p.waitForURL(/#\/lesson\/version-store$/);
    assert.equal(await editorOf(p).inputValue(), code);
    assert.deepEqual(errors, []);
  } finally {
    await other.close();
  }
});

test('damaged, truncated and newer links say so and leave saved work untouched', async () => {
  const { page } = await fresh();
  await writeWork(page, MINE, 5);
  await playgroundOf(page).getByRole('button', { name: 'Copy share link' }).click();
  const link = await playgroundOf(page).getByRole('textbox', { name: 'Share link' }).inputValue();
  const hash = link.slice(link.indexOf('#'));
  const cases = [
    [hash.slice(0, hash.length - 9), /damaged|cut off|could not be read/],
    ['#/share/v1/%%%garbage%%%', /characters a share link never has/],
    ['#/share/v1/', /empty/],
    [hash.replace('/v1/', '/v9/'), /newer version of Event Playground/],
  ];
  for (const [bad, message] of cases) {
    await page.goto(app.url + bad);
    await page.getByRole('heading', { name: 'This share link cannot be opened' }).waitFor();
    const text = await page.getByRole('alert').filter({ hasText: 'share link' }).textContent();
    assert.match(text, message, bad);
    assert.match(text, /Your saved work was not changed\./);
  }
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(ARTIFACTS, `damaged-link-${scheme}.png`) });
  }
  await page.goto(app.url + LESSON);
  assert.equal(await editorOf(page).inputValue(), MINE);
  assert.equal(await seedOf(page).inputValue(), '5');
  await page.close();
});

const scenarioChoice = (page) => page.getByRole('combobox', { name: 'Scenario' });

test("a link from a lesson's other scenario block opens on that block", async () => {
  const { page } = await fresh(app.context, '#/lesson/fifo');
  // The FIFO lesson opens on its story; its exercise is the main block.
  const story = (await editorOf(page).inputValue()) + '\n// the story block, shared\n';
  await editorOf(page).fill(story);
  await playgroundOf(page).getByRole('button', { name: 'Copy share link' }).click();
  const storyLink = await playgroundOf(page).getByRole('textbox', { name: 'Share link' }).inputValue();
  assert.deepEqual(readShareLink(storyLink).target, { kind: 'lesson', id: 'fifo', block: 0 });
  await scenarioChoice(page).selectOption({ label: 'Exercise: FIFO batches with a flaky store' });
  const exercise = (await editorOf(page).inputValue()) + '\n// the exercise, shared\n';
  await editorOf(page).fill(exercise);
  await playgroundOf(page).getByRole('button', { name: 'Copy share link' }).click();
  const exerciseLink = await playgroundOf(page).getByRole('textbox', { name: 'Share link' }).inputValue();
  assert.deepEqual(readShareLink(exerciseLink).target, { kind: 'lesson', id: 'fifo' });
  await page.close();

  const other = await launch();
  try {
    const p = await other.newPage();
    const errors = collectErrors(p);
    for (const [link, code, block] of [
      [storyLink, story, 'Saves in order, one group per document'],
      [exerciseLink, exercise, 'Exercise: FIFO batches with a flaky store'],
    ]) {
      await p.goto(link);
      await p.getByText('You are viewing a shared version of this lesson.').waitFor();
      assert.equal(await scenarioChoice(p).evaluate((s) => s.selectedOptions[0].text), block);
      assert.equal(await editorOf(p).inputValue(), code);
    }
    // Back to my saved code: this profile saved nothing, so the starting code.
    await p.getByRole('link', { name: 'Back to my saved code' }).click();
    await p.getByText('You are viewing a shared version of this lesson.').waitFor({ state: 'detached' });
    assert.notEqual(await editorOf(p).inputValue(), exercise);
    assert.deepEqual(errors, []);
  } finally {
    await other.close();
  }
});

test('a link can carry a whole scenario: it opens in its own playground, runs, and shares on', async () => {
  const toml = await readFile(join(ROOT, 'scenarios', 'workflow.toml'), 'utf8');
  const code = 'fn handler(event, context) {\n    for record in event.Records {\n        workflows.start("publish", record.body);\n    }\n}\n';
  const hash = shareHash({ target: { kind: 'scenario', toml }, code, seed: 9 });
  const other = await launch();
  try {
    const p = await other.newPage();
    const errors = collectErrors(p);
    await p.goto(app.url + hash);
    await p.getByRole('heading', { level: 1, name: 'Shared scenario: Saves through a workflow' }).waitFor();
    await p.getByText('You are viewing a shared scenario.').waitFor();
    assert.equal(await p.title(), 'Shared scenario — Event Playground');
    const editor = playgroundOf(p).getByRole('textbox', { name: 'Code of function start' });
    assert.equal(await editor.inputValue(), code);
    assert.equal(await seedOf(p).inputValue(), '9');
    await playgroundOf(p).getByRole('button', { name: 'Run', exact: true }).click();
    await playgroundOf(p).getByRole('heading', { name: /^Seed 9: / }).waitFor();
    for (const scheme of ['light', 'dark']) {
      await p.emulateMedia({ colorScheme: scheme });
      await p.screenshot({ path: join(ARTIFACTS, `shared-scenario-${scheme}.png`) });
    }
    // Nothing is saved from a shared scenario.
    assert.deepEqual(await p.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('.code.'))), []);
    // Its own share link carries the scenario on, with the edits.
    await editor.fill(code + '// edited\n');
    await playgroundOf(p).getByRole('button', { name: 'Copy share link' }).click();
    await playgroundOf(p).getByText('Link copied: it holds this scenario').or(
      playgroundOf(p).getByText('Copy the link below: it holds this scenario')).waitFor();
    const again = readShareLink(await playgroundOf(p).getByRole('textbox', { name: 'Share link' }).inputValue());
    assert.deepEqual(again, { target: { kind: 'scenario', toml }, code: code + '// edited\n', seed: 9 });
    assert.deepEqual(errors, []);
  } finally {
    await other.close();
  }
});

test('a shared scenario with errors is explained line by line and not run', async () => {
  const { page, errors } = await fresh();
  await writeWork(page, MINE, 3);
  const broken = '[scenario]\nname = "Broken"\n\n[[queues]]\nname = "q"\nvisibility_timeout_ms = "soon"\n';
  await page.goto(app.url + shareHash({ target: { kind: 'scenario', toml: broken }, code: '', seed: 1 }));
  await page.getByRole('heading', { name: 'This shared scenario cannot be run' }).waitFor();
  const alert = await page.getByRole('alert').filter({ hasText: 'shared scenario' }).textContent();
  // The problem is named with its line and column in the scenario.
  assert.match(alert, /shared scenario:6:\d+: `queues\[0\]\.visibility_timeout_ms`/);
  assert.match(alert, /Your saved work was not changed\./);
  await page.goto(app.url + LESSON);
  assert.equal(await editorOf(page).inputValue(), MINE);
  assert.deepEqual(errors, []);
  await page.close();
});
