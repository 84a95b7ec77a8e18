// End to end: the "Your work" page. Export everything to a file, reset
// everything, import the file and get it all back; reset one lesson and
// keep the others; refuse a bad file and replace nothing. Each step that
// throws work away asks first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { collectErrors } from './browser.mjs';
import { appUnderTest, ARTIFACTS } from './app-under-test.mjs';

const MINE = 'fn handler(event, context) {\n    // exported and imported\n}';
const OTHER = 'fn handler(event, context) {\n    // the FIFO lesson\n}';

const app = appUnderTest({ acceptDownloads: true });

const playgroundOf = (page) => page.getByRole('region', { name: 'Playground' });
const editorOf = (page) => playgroundOf(page).getByRole('textbox', { name: 'Code of function save' });
const seedOf = (page) => playgroundOf(page).getByRole('spinbutton', { name: 'Seed' });
const nav = (page) => page.getByRole('navigation', { name: 'Lessons' });
const workTable = (page) => page.getByRole('table', { name: 'Saved in this browser' });

/** A page in an empty profile state, with code in two lessons and one lesson done. */
async function pageWithWork() {
  const page = await app.context.newPage();
  const errors = collectErrors(page);
  await page.goto(app.url + '#/lesson/version-store');
  await page.evaluate(() => {
    localStorage.clear();
    localStorage.setItem('event-playground.progress', JSON.stringify({ version: 1, done: ['welcome'] }));
  });
  await page.reload();
  await editorOf(page).fill(MINE);
  await seedOf(page).fill('4242');
  await seedOf(page).press('Tab');
  await page.goto(app.url + '#/lesson/fifo');
  await editorOf(page).fill(OTHER);
  return { page, errors };
}

async function openWork(page) {
  await page.getByRole('link', { name: 'Your work' }).click();
  await page.getByRole('heading', { level: 1, name: 'Your work' }).waitFor();
}

test('export, reset everything, import: all the work comes back', async () => {
  const { page, errors } = await pageWithWork();
  await openWork(page);
  assert.equal(await page.title(), 'Your work — Event Playground');
  const table = workTable(page);
  await table.getByRole('row', { name: /Fix it with a version store.*Code saved/ }).waitFor();
  await table.getByRole('row', { name: /Welcome.*Done/ }).waitFor();
  for (const theme of ['light', 'dark']) {
    await page.getByLabel('Theme').selectOption(theme);
    await page.screenshot({ path: join(ARTIFACTS, `your-work-${theme}.png`) });
  }

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export my work' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'event-playground-work.json');
  const file = join(ARTIFACTS, 'exported-work.json');
  await download.saveAs(file);
  const exported = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(exported.app, 'event-playground');
  assert.deepEqual(exported.done, ['welcome']);
  assert.equal(exported.lessons['version-store'].code, MINE);
  assert.equal(exported.lessons['version-store'].seed, 4242);
  // The FIFO lesson opens on its first scenario block, which saves apart.
  assert.equal(exported.lessons['fifo/1'].code, OTHER);
  await page.getByRole('status').filter({ hasText: 'Exported code of 2 lessons and 1 lesson done' }).waitFor();

  // Reset everything asks first; Cancel keeps everything.
  await page.getByRole('button', { name: 'Reset everything' }).click();
  const question = page.getByRole('alertdialog', { name: 'Remove all my work' });
  await question.getByRole('button', { name: 'Cancel' }).click();
  await question.waitFor({ state: 'detached' });
  await table.getByRole('row', { name: /Welcome/ }).waitFor();
  await page.getByRole('button', { name: 'Reset everything' }).click();
  await question.getByRole('button', { name: 'Remove all my work' }).click();
  await page.getByText('Nothing is saved in this browser yet.').waitFor();
  assert.equal(await nav(page).getByRole('link', { name: /\(done\)/ }).count(), 0);
  await page.goto(app.url + '#/lesson/version-store');
  assert.notEqual(await editorOf(page).inputValue(), MINE);

  // Import asks first, then everything is back.
  await openWork(page);
  await page.getByLabel('Import work from a file').setInputFiles(file);
  const replace = page.getByRole('alertdialog', { name: 'Replace my work with this file' });
  await replace.getByText('The file holds code of 2 lessons and 1 lesson done.').waitFor();
  await replace.getByRole('button', { name: 'Replace my work with this file' }).click();
  await page.getByRole('status').filter({ hasText: 'Imported code of 2 lessons and 1 lesson done.' }).waitFor();
  await nav(page).getByRole('link', { name: /Welcome.*\(done\)/ }).waitFor();
  await table.getByRole('row', { name: /FIFO queues.*Code saved/ }).waitFor();
  await page.goto(app.url + '#/lesson/version-store');
  assert.equal(await editorOf(page).inputValue(), MINE);
  assert.equal(await seedOf(page).inputValue(), '4242');
  await page.reload();
  assert.equal(await editorOf(page).inputValue(), MINE);
  await page.goto(app.url + '#/lesson/fifo');
  assert.equal(await editorOf(page).inputValue(), OTHER);
  assert.deepEqual(errors, []);
  await page.close();
});

test('resetting one lesson asks first and leaves the others alone', async () => {
  const { page, errors } = await pageWithWork();
  await openWork(page);
  const table = workTable(page);
  await table.getByRole('button', { name: 'Reset FIFO queues: order, and what it costs' }).click();
  const question = page.getByRole('alertdialog', { name: 'Reset this lesson' });
  await question.getByText(/Reset “FIFO queues: order, and what it costs”\?/).waitFor();
  // Focus starts on Cancel, so Escape (or Enter) is the safe answer.
  await page.keyboard.press('Escape');
  await question.waitFor({ state: 'detached' });
  await table.getByRole('row', { name: /FIFO queues/ }).waitFor();
  await table.getByRole('button', { name: 'Reset FIFO queues: order, and what it costs' }).click();
  await question.getByRole('button', { name: 'Reset this lesson' }).click();
  await page.getByRole('status').filter({ hasText: '“FIFO queues: order, and what it costs” was reset.' }).waitFor();
  assert.equal(await table.getByRole('row', { name: /FIFO queues/ }).count(), 0);
  await table.getByRole('row', { name: /Fix it with a version store/ }).waitFor();
  await page.goto(app.url + '#/lesson/fifo');
  assert.notEqual(await editorOf(page).inputValue(), OTHER);
  await page.goto(app.url + '#/lesson/version-store');
  assert.equal(await editorOf(page).inputValue(), MINE);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a file that is not an export is refused in words and replaces nothing', async () => {
  const { page, errors } = await pageWithWork();
  await openWork(page);
  const cases = [
    ['notes.json', '{"hello": "world"}', /not an Event Playground export/],
    ['broken.json', '{"app": "event-playground", "version": 1, "done": [', /not an Event Playground export/],
    ['newer.json', '{"app":"event-playground","version":7,"done":[],"lessons":{}}', /newer version of Event Playground/],
  ];
  for (const [name, text, message] of cases) {
    await page.getByLabel('Import work from a file').setInputFiles({
      name,
      mimeType: 'application/json',
      buffer: Buffer.from(text),
    });
    const alert = page.getByRole('alert').filter({ hasText: message });
    await alert.waitFor();
    assert.equal(await page.getByRole('alertdialog').count(), 0, name);
  }
  await workTable(page).getByRole('row', { name: /Fix it with a version store/ }).waitFor();
  await page.goto(app.url + '#/lesson/version-store');
  assert.equal(await editorOf(page).inputValue(), MINE);
  assert.deepEqual(errors, []);
  await page.close();
});
