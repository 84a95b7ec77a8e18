// End to end, keyboard alone (issue 19, "What if?"): lesson 5's run paused
// at 20 ms, message m1 duplicated there. The branch's result differs from
// the run as written; going back shows the first branch unchanged; the
// branch's share link, opened in a fresh profile, gives the same result.
// The numbers come from the CLI:
//   sim run lessons/05-out-of-order-bug.md --seed 136              -> final value fails, 3 invocations
//   sim run ... --seed 136 --intervene dup.json (m1 at 20 ms)      -> final value passes, 4 invocations
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { appUnderTest, ARTIFACTS } from './app-under-test.mjs';
import { launch, collectErrors } from './browser.mjs';
import { press, tabTo } from './keys.mjs';
import { shareHash, CONDITIONAL_FIX } from './workshop-helpers.mjs';
import { seriousViolations } from './axe.mjs';

const app = appUnderTest();
const FINAL = 'final value of doc-1 is v1.2';
// Lesson 5's first scenario's handler, as the lesson writes it.
const NAIVE = `fn handler(event, context) {
    for record in event.Records {
        let save = record.body;
        store.put(save.doc, save);
    }
}
`;

/** Waits for the run panel to show `checkOk` for the final value check and `invocations`. */
async function expectResult(playground, { finalPasses, invocations }) {
  const cls = finalPasses ? 'li.pass' : 'li.fail';
  await playground.locator(cls, { hasText: FINAL }).waitFor();
  const row = playground.getByRole('table', { name: 'Metrics' }).getByRole('row', { name: /^Invocations / });
  assert.equal(await row.getByRole('cell').innerText(), String(invocations));
}

test('pause, duplicate a message, compare the branches, share the branch', async () => {
  const { page, errors } = await app.freshPage('#/lesson/out-of-order-bug');
  const playground = page.getByRole('region', { name: 'Playground' });
  await playground.waitFor();
  await press(page, 'Run');
  await playground.getByRole('heading', { name: 'Seed 136: some checks failed' }).waitFor({ timeout: 60_000 });
  await expectResult(playground, { finalPasses: false, invocations: 3 });

  // Pause at the first moment something happens (the editor's first save).
  await tabTo(page, /^queue saves .*Inspect$/);
  await page.keyboard.press(' ');
  await playground.getByRole('region', { name: 'Inspector: queue saves' }).waitFor();
  await press(page, 'Back to start', { back: true });
  await press(page, 'Step', { back: true });
  const whatIf = playground.getByRole('region', { name: 'What if?' });
  await whatIf.getByRole('heading', { name: 'What if? Act at 20 ms' }).waitFor();
  await press(page, 'Duplicate message m1');

  const history = playground.getByRole('region', { name: 'Branches' });
  await history.getByRole('button', { name: 'Show branch 2', pressed: true }).waitFor();
  await expectResult(playground, { finalPasses: true, invocations: 4 });
  assert.match(
    await history.getByRole('listitem').nth(1).innerText(),
    /forks from branch 1 at 20 ms; duplicated message m1 in `saves` at 20 ms; 2 of 3 checks passed\./,
  );

  // Compare the two side by side, then go back to the first, unchanged.
  await press(page, 'Compare');
  const table = history.getByRole('table', { name: 'Branch 1 and Branch 2 side by side' });
  const invocations = table.getByRole('row', { name: /^Invocations / });
  assert.deepEqual(await invocations.getByRole('cell').allInnerTexts(), ['3', '4', 'differs']);
  await page.screenshot({ path: join(ARTIFACTS, 'what-if-history.png'), fullPage: true });
  await press(page, 'Show branch 1', { back: true });
  await history.getByRole('button', { name: 'Show branch 1', pressed: true }).waitFor();
  await expectResult(playground, { finalPasses: false, invocations: 3 });
  assert.equal(await history.getByRole('listitem').count(), 2, 'no branch lost');

  // Share branch 2 and open it in a fresh profile.
  await press(page, 'Show branch 2');
  await expectResult(playground, { finalPasses: true, invocations: 4 });
  await press(page, 'Copy share link', { back: true });
  await playground.getByText(/the seed and the branch shown\.$/).waitFor();
  const link = await playground.getByRole('textbox', { name: 'Share link' }).inputValue();
  assert.deepEqual(errors, []);
  await page.close();

  const other = await launch();
  try {
    const fresh = await other.newPage();
    const freshErrors = collectErrors(fresh);
    await fresh.goto(link);
    const shared = fresh.getByRole('region', { name: 'Playground' });
    await shared.getByText(/This link shows a "what if\?" branch: duplicated message m1/).waitFor();
    await press(fresh, 'Run');
    await expectResult(shared, { finalPasses: true, invocations: 4 });
    await shared.getByRole('button', { name: 'Show branch 1', pressed: true }).waitFor();
    assert.deepEqual(freshErrors, []);
  } finally {
    await other.close();
  }
});

test('a link with a damaged list of acts says so and still opens its code', async () => {
  const { page, errors } = await app.freshPage('#/lesson/out-of-order-bug');
  const hash = shareHash({
    target: { kind: 'lesson', id: 'out-of-order-bug', block: 0 },
    code: NAIVE,
    seed: 136,
    interventions: '[{"at_ms": "soon"}]',
  });
  await page.goto(app.url + hash);
  const playground = page.getByRole('region', { name: 'Playground' });
  await playground.getByText(/The "what if\?" acts of this link could not be read/).waitFor();
  await press(page, 'Run');
  await playground.getByRole('heading', { name: 'Seed 136: some checks failed' }).waitFor({ timeout: 60_000 });
  await expectResult(playground, { finalPasses: false, invocations: 3 });
  assert.deepEqual(errors, []);
  await page.close();
});

for (const theme of ['light', 'dark']) {
  test(`axe finds no serious violation in the what-if box and the history, ${theme} theme`, async () => {
    const { page, errors } = await app.freshPage('#/lesson/out-of-order-bug');
    await page.getByLabel('Theme').selectOption(theme);
    const playground = page.getByRole('region', { name: 'Playground' });
    await playground.getByRole('button', { name: 'Run', exact: true }).click();
    await playground.getByRole('heading', { name: 'Seed 136: some checks failed' }).waitFor({ timeout: 60_000 });
    await playground.getByRole('button', { name: /^queue saves .*Inspect$/ }).click();
    await playground.getByRole('button', { name: 'Back to start' }).click();
    await playground.getByRole('button', { name: 'Step' }).click();
    await playground.getByRole('button', { name: 'Duplicate message m1' }).click();
    const history = playground.getByRole('region', { name: 'Branches' });
    await history.getByRole('button', { name: 'Compare' }).click();
    await history.getByRole('table').waitFor();
    // A queue's acts at the end of the branch, with the form to send by hand.
    await playground.getByRole('button', { name: /^queue saves .*Inspect$/ }).click();
    await playground.getByRole('button', { name: 'Send a message by hand…' }).waitFor();
    assert.deepEqual(await seriousViolations(page), [], theme);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test("lesson 7's prepared moment opens paused, and applying it breaks the check it names", async () => {
  // The lesson's whatif block: seed 1, m1 delivered again at 100 ms,
  // "doc-1 counts 3 edits" passes without it and fails with it (sim check
  // proves both).
  const { page, errors } = await app.freshPage('#/lesson/at-least-once');
  const playground = page.getByRole('region', { name: 'Playground' });
  const moment = playground.getByRole('region', { name: 'Prepared what if: Deliver message m1 again' });
  await moment.waitFor();
  await press(page, 'Open the moment: seed 1 at 100 ms');
  await playground.locator('li.pass', { hasText: 'doc-1 counts 3 edits' }).waitFor();
  await playground.getByText('Time: 100 ms of', { exact: false }).waitFor();
  await press(page, 'Deliver message m1 again');
  const history = playground.getByRole('region', { name: 'Branches' });
  await history.getByRole('button', { name: 'Show branch 2', pressed: true }).waitFor();
  await playground.locator('li.fail', { hasText: 'doc-1 counts 3 edits' }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('running other code from a paused moment starts a branch with that code', async () => {
  // Native twin: tests/ui_what_if_model.rs (the solution from 0 ms fixes seed 136).
  const SOLUTION = CONDITIONAL_FIX;
  const { page, errors } = await app.freshPage('#/lesson/out-of-order-bug');
  const playground = page.getByRole('region', { name: 'Playground' });
  await playground.getByRole('button', { name: 'Run', exact: true }).click();
  await playground.getByRole('heading', { name: 'Seed 136: some checks failed' }).waitFor({ timeout: 60_000 });
  await playground.getByRole('button', { name: /^function save .*Inspect$/ }).click();
  await playground.getByRole('button', { name: 'Back to start' }).click();
  const whatIf = playground.getByRole('region', { name: 'What if?' });
  await whatIf.getByRole('heading', { name: 'What if? Act at 0 ms' }).waitFor();
  const code = whatIf.getByRole('textbox', { name: 'New code of function save' });
  assert.match(await code.inputValue(), /store\.put\(save\.doc, save\)/, 'starts with the code the run used');
  await code.fill(SOLUTION);
  await whatIf.getByRole('button', { name: 'Run this code from here' }).click();
  const history = playground.getByRole('region', { name: 'Branches' });
  await history.getByRole('button', { name: 'Show branch 2', pressed: true }).waitFor();
  await playground.locator('li.pass', { hasText: FINAL }).waitFor();
  // Branch 1 still shows the bug.
  await history.getByRole('button', { name: 'Show branch 1' }).click();
  await playground.locator('li.fail', { hasText: FINAL }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});
