// End to end: every "Try it" step a lesson asks for, done in the app's
// Scenario tab (issue 18): lesson 2 raises network_latency, lesson 5
// spaces the saves out, lesson 9 groups the load in one document and then
// makes the queue a standard one, lesson 10 sets a timeout the queue's
// visibility cannot cover. Each ends as the lesson's text says; the
// figures asserted are the ones the lessons quote, from runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appUnderTest } from './app-under-test.mjs';

const app = appUnderTest();

async function openLesson(id) {
  const { page, errors } = await app.freshPage(`#/lesson/${id}`);
  await page.setViewportSize({ width: 1280, height: 800 });
  return { page, errors, playground: page.getByRole('region', { name: 'Playground' }) };
}

/** Opens the Scenario tab and replaces its text with `edit(original)`. */
async function editScenario(playground, edit, { valid = true } = {}) {
  await playground.getByRole('tab', { name: 'Scenario' }).click();
  const toml = playground.getByRole('textbox', { name: 'Scenario (TOML)' });
  const original = await toml.inputValue();
  const edited = edit(original);
  assert.notEqual(edited, original, 'the edit changed nothing');
  await toml.fill(edited);
  if (valid) await playground.getByText('Your edit is valid: Run and Check use it.').waitFor();
}

const metric = async (playground, name) =>
  (await playground.getByRole('row', { name: new RegExp(`^${name}`) }).getByRole('cell').first().innerText()).trim();

const checkLine = (playground, name) => playground.getByRole('listitem').filter({ hasText: name });

test('lesson 2: network latency of 100 ms turns the queue editor check red', async () => {
  const { page, errors, playground } = await openLesson('server-api-vs-events');
  await editScenario(playground, (t) => t.replaceAll('network_latency = { kind = "fixed", ms = 30 }', 'network_latency = { kind = "fixed", ms = 100 }'));
  await playground.getByRole('button', { name: 'Run', exact: true }).click();
  await playground.getByRole('heading', { name: 'Seed 1: some checks failed' }).waitFor();
  const line = checkLine(playground, 'the queue editor never waits more than 100 ms');
  assert.match(await line.innerText(), /^Failed/);
  // "The queue side's latency goes to exactly 200 ms."
  assert.match(await line.innerText(), /200/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('lesson 5: saves 300 ms apart still go stale in 32 of 200 seeds', async () => {
  const { page, errors, playground } = await openLesson('out-of-order-bug');
  await editScenario(playground, (t) => t.replace('interval_ms = 100\n', 'interval_ms = 300\n'));
  await playground.getByRole('button', { name: 'Check over 200 seeds' }).click();
  await playground.getByRole('heading', { name: 'Some checks failed over 200 seeds' }).waitFor({ timeout: 120_000 });
  assert.match(await checkLine(playground, 'no stale overwrite').first().innerText(), /failed in 32 of 200 seeds/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('lesson 9: one document queues up to 157 saves; a standard queue brings stale writes back', async () => {
  const { page, errors, playground } = await openLesson('fifo');
  await editScenario(playground, (t) => t.replace('documents = 10\n', 'documents = 1\n'));
  await playground.getByRole('button', { name: 'Run', exact: true }).click();
  await playground.getByRole('heading', { name: /^Seed 1: / }).waitFor({ timeout: 60_000 });
  assert.equal(await metric(playground, 'Max queue depth'), '157');

  // Only removing fifo = true leaves the .fifo name: refused, as AWS does.
  await playground.getByRole('button', { name: 'Reset the scenario' }).click();
  await editScenario(playground, (t) => t.replace('fifo = true\n', ''), { valid: false });
  const problems = playground.getByRole('list', { name: 'Problems in the scenario' });
  await problems.getByText(/ends with \.fifo, which AWS reserves for FIFO queues/).waitFor();
  await playground.getByRole('button', { name: 'Reset the scenario' }).click();
  await editScenario(playground, (t) => t.replace('fifo = true\n', '').replaceAll('saves.fifo', 'saves'));
  await playground.getByRole('button', { name: 'Check over 100 seeds' }).click();
  await playground.getByRole('heading', { name: 'Some checks failed over 100 seeds' }).waitFor({ timeout: 120_000 });
  assert.match(await checkLine(playground, 'no stale overwrite').first().innerText(), /failed in 100 of 100 seeds/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('lesson 10: a timeout longer than the visibility timeout is refused with the words the lesson quotes', async () => {
  const { page, errors, playground } = await openLesson('limits');
  await editScenario(playground, (t) => t.replace('timeout_ms = 200\n', 'timeout_ms = 7000\n'), { valid: false });
  const problems = playground.getByRole('list', { name: 'Problems in the scenario' });
  await problems.getByText(/function save may run for 7000 ms but queue saves hides a received message for only 6000 ms: the batch would become visible again while it is still being processed and be handled twice/).waitFor();
  await playground.getByRole('button', { name: 'Run', exact: true }).click();
  await playground.getByText(/fix them in the Scenario tab first/).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});
