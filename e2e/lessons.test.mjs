// End to end: lesson 5 (the out-of-order save bug) walked as a learner
// does it, in the release build under a sub-path. Open it from the lesson
// list, run the scenario and see the stale value, find the stale write in
// the sequence diagram, sweep the seeds and read how many fail; then, in the
// busy exercise, see the read-compare-write guard fail in a share of seeds
// (another invocation writes between its read and its write), and a
// conditional write pass every seed and mark the lesson done.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { appUnderTest, ARTIFACTS } from './app-under-test.mjs';
import { CONDITIONAL_FIX } from './workshop-helpers.mjs';


const app = appUnderTest();

// The obvious guard: read what the store holds, write only a newer save.
// Racy: two calls, and another invocation can write in between.
const GUARD = `fn handler(event, context) {
    for record in event.Records {
        let save = record.body;
        let current = store.get(save.doc);
        if current == () || compare_versions(save.version, current.version) > 0 {
            store.put(save.doc, save, save.version);
        }
    }
}`;

// The exercise's fix: the store compares and writes in one step.
const CONDITIONAL = CONDITIONAL_FIX;

test('lesson 5: reproduce the stale write, find it, count it, guard the write', async () => {
  // A fresh learner: no saved code or progress.
  const { page, errors } = await app.freshPage();

  const nav = page.getByRole('navigation', { name: 'Lessons' });
  const link = nav.getByRole('link', { name: /The out-of-order save bug/ });
  assert.doesNotMatch(await link.innerText(), /done/);
  await link.click();
  await page.getByRole('heading', { level: 1, name: 'The out-of-order save bug' }).waitFor();
  const playground = page.getByRole('region', { name: 'Playground' });
  await playground.waitFor();

  // Seed 136, as the text says: the document ends at v1.1 and the
  // stale-write check is red, naming req-1's write of v1.0 over v1.2.
  await playground.getByRole('button', { name: 'Run', exact: true }).click();
  await playground.getByRole('heading', { name: 'Seed 136: some checks failed' }).waitFor();
  const finalValue = playground.locator('li.fail', { hasText: 'final value of doc-1 is v1.2' });
  assert.match(await finalValue.innerText(), /but it is v1\.1/);
  const stale = playground.locator('li.fail', { hasText: 'no stale overwrite' });
  // 588 ms: the moment the store applied the write (after the cold start,
  // the function's own work and the put's few milliseconds).
  assert.match(await stale.innerText(), /req-1 at 588 ms wrote v1\.0 of doc-1 over v1\.2/);

  // The sequence diagram marks that write at the same moment the check
  // names (req-1 ran in environment 1), and v1.2's own write before it is
  // not marked.
  const seq = page.getByRole('region', { name: 'Sequence diagram' });
  await seq.waitFor();
  await seq
    .getByRole('img', { name: 'at 588 ms, save env 1 writes doc-1 v1.0 to the store: stale overwrite of v1.2' })
    .waitFor();
  await seq.getByRole('img', { name: 'at 493 ms, save env 3 writes doc-1 v1.2 to the store', exact: true }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'lesson5-stale-write.png'), fullPage: true });

  // Over 200 seeds the naive handler fails often: the stale write shows in
  // 134 of them (seeds 1 to 200), as the lesson's table says.
  await playground.getByRole('button', { name: 'Check over 200 seeds' }).click();
  await playground.getByRole('heading', { name: 'Some checks failed over 200 seeds' }).waitFor({ timeout: 120_000 });
  await playground.getByText(/^failed in 134 of 200 seeds, first at seed 2: expected no write to replace a newer version/).waitFor();
  await playground.getByText(/^failed in 104 of 200 seeds, first at seed 5: expected doc-1 to be v1\.2/).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'lesson5-sweep.png'), fullPage: true });

  // The exercise: ten busy editors. The guard races and fails in 164 seeds.
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption({ label: 'Exercise: Busy editors' });
  const editor = playground.getByRole('textbox', { name: 'Code of function save' });
  await editor.fill(GUARD);
  await playground.getByRole('button', { name: 'Check over 200 seeds' }).click();
  await playground.getByRole('heading', { name: 'Some checks failed over 200 seeds' }).waitFor({ timeout: 120_000 });
  await playground.getByText(/^failed in 164 of 200 seeds, first at seed 1: expected no write to replace a newer version/).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'lesson5-racy-guard.png'), fullPage: true });

  // The conditional write passes in every seed, and the lesson is marked done.
  await editor.fill(CONDITIONAL);
  await playground.getByRole('button', { name: 'Check over 200 seeds' }).click();
  await playground.getByRole('heading', { name: 'All checks passed in 200/200 seeds' }).waitFor({ timeout: 120_000 });
  await nav.getByRole('link', { name: /The out-of-order save bug \(done\)/ }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'lesson5-fixed.png'), fullPage: true });

  assert.deepEqual(errors, []);
  await page.close();
});
