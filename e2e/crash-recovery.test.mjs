// End to end: an internal error (a Rust panic, a WebAssembly trap) never
// takes the page down. The release build is made to panic from outside, by
// a browser call it relies on: Leptos unwraps document.createElement, so a
// createElement that throws during a run is a real panic in the shipped
// code, with no test-only path in the product. The page restarts once,
// says what happened, keeps the lesson and the code, and the next run
// works; a second trap soon after does not restart again; errors that are
// not traps never restart it. See docs/architecture.md, "When the
// simulator fails".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appUnderTest } from './app-under-test.mjs';
import { seriousViolations } from './axe.mjs';

const app = appUnderTest();

const EDITED = `fn handler(event, context) {
    // kept across the crash
    for record in event.Records {
        let save = record.body;
        try {
            store.put_if_newer(save.doc, save, save.version);
        } catch (err) {
            if err.name != "ConditionalCheckFailed" { throw err; }
        }
    }
}`;
const ALERT = 'The simulator stopped on an internal error';

async function openExercise() {
  const { page, errors } = await app.freshPage('#/lesson/version-store');
  const playground = page.getByRole('region', { name: 'Playground' });
  await playground.waitFor();
  const editor = playground.getByRole('textbox', { name: 'Code of function save' });
  const run = playground.getByRole('button', { name: 'Run', exact: true });
  return { page, errors, playground, editor, run };
}

/** Marks this page's JavaScript world: the mark is gone after a reload. */
async function markPage(page) {
  await page.evaluate(() => {
    window.__beforeCrash = true;
  });
}
const stillSamePage = (page) => page.evaluate(() => window.__beforeCrash === true);

/** From now on this page's createElement throws, as a broken browser might. */
async function breakCreateElement(page) {
  await page.evaluate(() => {
    Document.prototype.createElement = function () {
      throw new DOMException('createElement refused by the test', 'NotSupportedError');
    };
  });
}

test('a panic during a run restarts the page once, says so, and keeps the lesson and the code', async () => {
  const { page, playground, editor, run } = await openExercise();
  await editor.fill(EDITED);
  await markPage(page);
  await breakCreateElement(page);
  await run.click();

  const alert = page.getByRole('alert', { name: ALERT });
  await alert.waitFor({ timeout: 30_000 });
  assert.equal(await stillSamePage(page), false, 'the page was restarted');
  const text = await alert.innerText();
  // The panic's own message (bounded), and what the learner needs to know.
  assert.match(text, /called `Result::unwrap\(\)` on an `Err` value/);
  assert.match(text, /createElement refused by the test/);
  // Where it panicked, without the builder's home folder.
  assert.match(text, /\(at [^)]*\.rs:\d+:\d+\)/);
  assert.ok(!text.includes('/.cargo/'), text);
  assert.match(text, /bug in Event Playground, not in your code/);
  assert.match(text, /your saved work are kept/);
  // Readable and named in both themes.
  for (const theme of ['light', 'dark']) {
    await page.getByLabel('Theme').selectOption(theme);
    assert.deepEqual(await seriousViolations(page), [], `${theme} theme`);
  }
  // Shown once: the record was consumed.
  assert.equal(await page.evaluate(() => sessionStorage.getItem('event-playground.crash')), null);

  // The lesson, the route and the code that ran are all there.
  assert.match(page.url(), /#\/lesson\/version-store$/);
  await page.getByRole('heading', { level: 1, name: 'Fix it with a version store' }).waitFor();
  await playground.waitFor();
  assert.equal(await editor.inputValue(), EDITED);
  // Nothing ran by itself after the restart.
  assert.equal(await playground.getByRole('heading', { name: /^Seed \d+:/ }).count(), 0);

  // The next run works.
  await run.click();
  await playground.getByRole('heading', { name: 'Seed 1: every check passed' }).waitFor();
  await alert.getByRole('button', { name: 'Dismiss this message' }).click();
  await alert.waitFor({ state: 'detached' });
  await page.close();
});

test('a second trap soon after a restart does not restart again, and says so', async () => {
  const { page, editor, run } = await openExercise();
  await editor.fill(EDITED);
  await breakCreateElement(page);
  await run.click();
  await page.getByRole('alert', { name: ALERT }).waitFor({ timeout: 30_000 });

  // Within the 10 s of the loop guard: break it again at once.
  await markPage(page);
  await breakCreateElement(page);
  await run.click();
  const again = page.getByRole('alert', { name: 'The simulator stopped again on an internal error' });
  await again.waitFor({ timeout: 30_000 });
  assert.equal(await stillSamePage(page), true, 'no second restart');
  assert.match(await again.innerText(), /createElement refused by the test/);
  assert.match(await again.innerText(), /reload the page/);
  // The code is still saved for when the learner reloads.
  const saved = await page.evaluate(() => localStorage.getItem('event-playground.code.version-store'));
  assert.equal(JSON.parse(saved).code, EDITED);
  await page.close();
});

test('a trap more than 10 s after a restart restarts the page again', async () => {
  const { page, editor, run } = await openExercise();
  await editor.fill(EDITED);
  await breakCreateElement(page);
  await run.click();
  await page.getByRole('alert', { name: ALERT }).waitFor({ timeout: 30_000 });

  // The guard's note of its last restart, moved 11 s into the past.
  await page.evaluate(() => {
    const key = 'event-playground.crash-restarted-at';
    sessionStorage.setItem(key, String(Number(sessionStorage.getItem(key)) - 11_000));
  });
  await markPage(page);
  await breakCreateElement(page);
  await run.click();
  // The first restart's alert is still up: wait for the restart itself.
  await page.waitForFunction(() => window.__beforeCrash !== true, null, { timeout: 30_000 });
  await page.getByRole('alert', { name: ALERT }).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByRole('alert', { name: /stopped again/ }).count(), 0);
  assert.equal(await editor.inputValue(), EDITED);
  await page.close();
});

test('a trap without a panic also restarts the page, with the trap named', async () => {
  const { page } = await openExercise();
  await markPage(page);
  // A module whose one function is `unreachable`, called from a timer: an
  // uncaught WebAssembly.RuntimeError with no Rust panic before it.
  await page.evaluate(() => {
    const bytes = new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x05, 0x01,
      0x03, 0x00, 0x00, 0x0b,
    ]);
    const trap = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f;
    setTimeout(trap, 0);
  });
  const alert = page.getByRole('alert', { name: ALERT });
  await alert.waitFor({ timeout: 30_000 });
  assert.equal(await stillSamePage(page), false);
  assert.match(await alert.innerText(), /The error: unreachable/);
  await page.close();
});

test('errors that are not traps never restart the page', async () => {
  const { page, playground, run } = await openExercise();
  await markPage(page);
  await page.evaluate(() => {
    // What Chromium dispatches for a ResizeObserver loop: no error object.
    window.dispatchEvent(
      new ErrorEvent('error', { message: 'ResizeObserver loop completed with undelivered notifications.' }),
    );
    setTimeout(() => {
      throw new Error('an ordinary script error');
    }, 0);
    Promise.reject(new TypeError('an ordinary rejected promise'));
  });
  // The page goes on working: a run completes on the same page.
  await run.click();
  await playground.getByRole('heading', { name: /^Seed 1: / }).waitFor();
  assert.equal(await stillSamePage(page), true);
  assert.equal(await page.getByRole('alert', { name: /internal error/ }).count(), 0);
  await page.close();
});
