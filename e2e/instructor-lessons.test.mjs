// Instructors' lessons: a lesson file loaded from disk (file input) or from
// a path on the same site, in the release build under a sub-path. Hostile
// HTML in a lesson must not run; bad files say what is wrong and replace
// nothing; other origins are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { serveDist } from './static-server.mjs';
import { launch, collectErrors } from './browser.mjs';
import { copyOfDist, readShareLink, watchCsp } from './workshop-helpers.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUB_PATH = '/workshop/event-playground/';
const ARTIFACTS = join(ROOT, 'e2e', 'artifacts');

// Every trick below would set window.__pwned or change the title if it ran.
const HOSTILE = `+++
id = "hostile"
title = "A hostile lesson"
order = 1
+++

# A hostile lesson

This text must still show.

<script>window.__pwned = 'script'; document.title = 'pwned';</script>

<img src="x" onerror="window.__pwned = 'onerror'; document.title = 'pwned'">

<a href="#" onclick="window.__pwned = 'onclick'">click the handler</a>

[click the javascript link](javascript:window.__pwned='javascript-link')

<iframe src="javascript:parent.__pwned='iframe'"></iframe>
<iframe srcdoc="<script>parent.__pwned='srcdoc'</script>"></iframe>
<object data="data:text/html,<script>parent.__pwned='object'</script>"></object>
<svg onload="window.__pwned='svg'"></svg>
<style>body { display: none; }</style>
<div style="display:none">styled</div>

The last paragraph shows too.
`;

// A lesson with a scenario, like a built-in one: lesson 5 under a new id.
async function scenarioLesson() {
  const text = await readFile(join(ROOT, 'lessons', '05-out-of-order-bug.md'), 'utf8');
  return text.replace('id = "out-of-order-bug"', 'id = "my-out-of-order"').replace(
    'title = "The out-of-order save bug"',
    'title = "My own out-of-order lesson"',
  );
}

let dist;
let server;
let context;

before(async () => {
  dist = await copyOfDist(ROOT);
  await mkdir(join(dist, 'my-lessons'), { recursive: true });
  await writeFile(join(dist, 'my-lessons', 'mine.md'), await scenarioLesson());
  await writeFile(join(dist, 'my-lessons', 'broken.md'), '# No front matter here\n');
  server = await serveDist(dist, SUB_PATH);
  context = await launch();
  await mkdir(ARTIFACTS, { recursive: true });
});

after(async () => {
  await context?.close();
  await server?.close();
  await rm(dist, { recursive: true, force: true });
});

async function openPage(hash) {
  const page = await context.newPage();
  const errors = collectErrors(page);
  const csp = await watchCsp(page);
  await page.goto(server.url + hash);
  return { page, errors, csp };
}

function file(name, text) {
  return { name, mimeType: 'text/markdown', buffer: Buffer.from(text) };
}

test('a hostile lesson file shows its text and none of its code runs', async () => {
  const { page, errors } = await openPage('#/load');
  const input = page.getByLabel('Choose a lesson file');
  await input.setInputFiles(file('hostile.md', HOSTILE));
  const body = page.locator('.lesson-body');
  await page.getByRole('heading', { level: 1, name: 'A hostile lesson' }).waitFor();
  const text = await body.innerText();
  assert.match(text, /This text must still show\./);
  assert.match(text, /The last paragraph shows too\./);
  // The raw HTML shows as text, and no element of it exists.
  assert.match(text, /<script>/);
  assert.equal(await body.locator('script, iframe, object, embed, svg, style, img').count(), 0);
  assert.equal(await body.locator('[onclick], [onerror], [onload], [style]').count(), 0);
  // The javascript: link keeps its text but is no link; the one raw <a>
  // shows as text too, so clicking the text does nothing.
  assert.match(text, /click the javascript link/);
  assert.equal(await body.locator('a').count(), 0);
  await body.getByText('click the javascript link').click();
  await body.getByText(/click the handler/).click();
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.title(), 'A hostile lesson — Event Playground');
  await body.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'instructor-hostile.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a lesson with a scenario loads like a built-in one, in both themes', async () => {
  const { page, errors, csp } = await openPage('#/load');
  await page.getByLabel('Choose a lesson file').setInputFiles(file('mine.md', await scenarioLesson()));
  await page.getByRole('heading', { level: 1, name: 'The out-of-order save bug' }).waitFor();
  const playground = page.getByRole('region', { name: 'Playground' });
  await playground.getByRole('button', { name: 'Run', exact: true }).waitFor();
  assert.equal(await page.title(), 'My own out-of-order lesson — Event Playground');
  for (const theme of ['light', 'dark']) {
    await page.getByLabel('Theme').selectOption(theme);
    await page.screenshot({ path: join(ARTIFACTS, `instructor-lesson-${theme}.png`) });
  }
  assert.deepEqual(errors, []);
  assert.deepEqual(await csp(), []);
  await page.close();
});

test('a lesson file dropped on the box loads too', async () => {
  const { page, errors } = await openPage('#/load');
  const zone = page.locator('.drop-zone');
  await zone.waitFor();
  const text = await scenarioLesson();
  const dataTransfer = await page.evaluateHandle((md) => {
    const dt = new DataTransfer();
    dt.items.add(new File([md], 'dropped.md', { type: 'text/markdown' }));
    return dt;
  }, text);
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
  await page.getByRole('heading', { level: 1, name: 'The out-of-order save bug' }).waitFor();
  await page.getByRole('region', { name: 'Playground' }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('the loader is reached and used with the keyboard', async () => {
  const { page } = await openPage('');
  await page.getByRole('heading', { level: 1, name: 'Welcome to Event Playground' }).waitFor();
  const link = page.getByRole('link', { name: 'Load a lesson' });
  await link.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Load a lesson' }).waitFor();
  // The file input is a native control: focusable by Tab, opened by Enter/Space.
  const input = page.getByLabel('Choose a lesson file');
  await input.focus();
  assert.equal(await input.evaluate((el) => el === document.activeElement), true);
  await page.close();
});

test('a malformed lesson file shows a clear error and replaces nothing', async () => {
  const { page, errors } = await openPage('#/load');
  const input = page.getByLabel('Choose a lesson file');
  await input.setInputFiles(file('good.md', HOSTILE));
  await page.getByRole('heading', { level: 1, name: 'A hostile lesson' }).waitFor();

  await input.setInputFiles(file('broken.md', 'Just text, no front matter.\n'));
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const message = await alert.innerText();
  assert.match(message, /broken\.md cannot be shown/);
  assert.match(message, /must start with front matter/);
  assert.match(message, /Nothing was replaced/);
  // The lesson loaded before is still there.
  await page.getByRole('heading', { level: 1, name: 'A hostile lesson' }).waitFor();

  // A broken scenario block is reported with the scenario parser's words.
  const badScenario = (await scenarioLesson()).replace(/```scenario\n/, '```scenario\nnot toml = = =\n');
  await input.setInputFiles(file('bad-scenario.md', badScenario));
  await page.getByRole('heading', { name: 'bad-scenario.md cannot be shown' }).waitFor();
  // Named by the file and its line (front matter included), not the lesson id.
  assert.match(await page.getByRole('alert').innerText(), /bad-scenario\.md:\d+:\d+: /);

  for (const theme of ['light', 'dark']) {
    await page.getByLabel('Theme').selectOption(theme);
    await page.screenshot({ path: join(ARTIFACTS, `instructor-error-${theme}.png`) });
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('a same-origin lesson path loads from the link', async () => {
  const { page, errors, csp } = await openPage('#/lesson-url/my-lessons/mine.md');
  await page.getByRole('heading', { level: 1, name: 'The out-of-order save bug' }).waitFor();
  await page.getByRole('region', { name: 'Playground' }).waitFor();
  assert.equal(await page.title(), 'My own out-of-order lesson — Event Playground');
  // A reload keeps it (the route is in the link).
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'The out-of-order save bug' }).waitFor();
  assert.deepEqual(errors, []);
  assert.deepEqual(await csp(), []);
  await page.close();
});

test("an instructor's lesson shares its scenario itself, which opens where the lesson is unknown", async () => {
  const { page } = await openPage('#/lesson-url/my-lessons/mine.md');
  const playground = page.getByRole('region', { name: 'Playground' });
  const editor = playground.getByRole('textbox', { name: 'Code of function save' });
  const code = (await editor.inputValue()) + '\n// from the instructor\n';
  await editor.fill(code);
  await playground.getByRole('button', { name: 'Copy share link' }).click();
  const link = await playground.getByRole('textbox', { name: 'Share link' }).inputValue();
  const shared = readShareLink(link);
  assert.equal(shared.target.kind, 'scenario');
  assert.match(shared.target.toml, /\[scenario\]/);
  assert.equal(shared.code, code);
  await page.close();

  const other = await launch();
  try {
    const p = await other.newPage();
    const errors = collectErrors(p);
    await p.goto(link);
    await p.getByRole('heading', { level: 1, name: /^Shared scenario: / }).waitFor();
    assert.equal(await p.getByRole('textbox', { name: 'Code of function save' }).inputValue(), code);
    await p.getByRole('button', { name: 'Run', exact: true }).click();
    await p.getByRole('heading', { name: /^Seed \d+: / }).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await other.close();
  }
});

test('a missing or malformed lesson path says what is wrong', async () => {
  const { page } = await openPage('#/lesson-url/my-lessons/broken.md');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /my-lessons\/broken\.md: a lesson must start with front matter/);
  await page.goto(`${server.url}#/lesson-url/my-lessons/nope.md`);
  await page.getByText(/my-lessons\/nope\.md: the server answered 404/).waitFor();
  await page.close();
});

test('a lesson from another origin is refused with a clear message', async () => {
  for (const path of ['https://example.org/lesson.md', '//example.org/lesson.md']) {
    const page = await context.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${server.url}#/lesson-url/${path}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /only be loaded by link from this site \(the same origin as the app\)/);
    assert.ok(!requests.some((u) => u.includes('example.org')), `${requests}`);
    if (path.startsWith('https')) {
      await page.screenshot({ path: join(ARTIFACTS, 'instructor-refused.png') });
    }
    await page.close();
  }
});
