// End to end: an exercise is judged over its variants (issue 16). In
// lesson 6 a handler that writes with a conditional write but swallows
// every error passes the lesson's own scenario, and fails the "store
// errors" variant; the check names that variant and seed, and the run it
// opens shows the refused store call on the sequence diagram.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appUnderTest, ARTIFACTS } from './app-under-test.mjs';

const app = appUnderTest();

test('lesson 6: a handler that swallows store errors fails a variant, and its run shows the error', async () => {
  const swallow = await readFile('tests/solutions/version-store/wrong/swallow-every-error.rhai', 'utf8');
  const { page, errors } = await app.freshPage('#/lesson/version-store');
  await page.setViewportSize({ width: 1280, height: 800 });
  const playground = page.getByRole('region', { name: 'Playground' });
  await playground.getByRole('textbox', { name: 'Code of function save' }).fill(swallow);
  await playground.getByRole('button', { name: /^Check over \d+ seeds$/ }).click();
  await playground.getByRole('heading', { name: /^Some checks failed/ }).waitFor({ timeout: 120_000 });
  // The lesson's own scenario passes: every failing seed is a variant's.
  const failing = playground.getByRole('group', { name: 'Failing seeds' });
  assert.ok((await failing.getByRole('button', { name: /^Open seed \d+ of variant “store errors”$/ }).count()) > 0);
  assert.equal(await failing.getByRole('button', { name: /^Open seed \d+$/ }).count(), 0, 'no failing seed of the plain scenario');
  const first = playground.getByRole('button', { name: /^Open the first failing run: seed \d+ of variant “store errors”$/ });
  const seed = (await first.innerText()).match(/seed (\d+)/)[1];
  await first.click();
  await playground.getByRole('heading', { name: `Seed ${seed}: some checks failed` }).waitFor({ timeout: 60_000 });
  const diagram = page.getByRole('region', { name: 'Sequence diagram' });
  const refused = diagram.getByRole('img', { name: /calls the store for .+, which fails: .*the store is unavailable/ });
  assert.ok((await refused.count()) > 0, 'a refused store call is drawn');
  await diagram.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'judge-variant-store-error.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
