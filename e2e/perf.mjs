// Performance figures of the release build in headless Chromium. Prints
// them; asserts nothing about timings (they depend on the machine). Not
// part of scripts/test.sh: run it with scripts/perf.sh (see
// docs/performance.md), which builds the release first.
//
//   1. Load: navigation to an interactive playground (lesson heading shown
//      and the Run button there and enabled), fresh profile each time.
//   2. Playback: requestAnimationFrame deltas while about 1,000 messages
//      are in flight in the topology animation. No built-in lesson has a
//      burst that large, so the script serves an instructor's lesson (the
//      app's own #/lesson-url/<path>) with a burst of saves to a queue.
//   3. Sequence diagram: drawing a run of about 10,000 trace events (the
//      same way: a lesson whose burst gives that many).
//   4. The gzipped size of every file of the build, and of the files the
//      first page fetches: the welcome page (no playground, so no
//      simulator) and a lesson opened directly (with it).
//
// Usage: node e2e/perf.mjs [dist folder]   (default: $PERF_DIST or dist/)
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { serveDist } from './static-server.mjs';
import { launch } from './browser.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = process.argv[2] ?? process.env.PERF_DIST ?? join(ROOT, 'dist');
const SUB_PATH = '/workshop/event-playground/';
const LOADS = Number(process.env.PERF_LOADS ?? 5);
/** PERF_ONLY=checks: time only the lessons' checks (after a judge change). */
const ONLY_CHECKS = process.env.PERF_ONLY === 'checks';

/**
 * A lesson with one scenario: `count` saves sent to a queue at random
 * times within `spreadMs`, saved to the store by a function reading
 * batches of 10. `TRAVEL_MS` (250 ms) of sends are on screen at once, so
 * count * 250 / spreadMs messages are in flight on the client -> queue
 * edge alone during the burst.
 */
export function burstLesson(id, title, count, spreadMs) {
  return `+++
id = "${id}"
title = "${title}"
order = 1
+++

# ${title}

A burst of ${count} saves within ${spreadMs} ms, for scripts/perf.sh.

\`\`\`scenario
[scenario]
name = "${title}"
description = "${count} saves within ${spreadMs} ms."
seed = 1
seeds = 1

[[queues]]
name = "saves"
visibility_timeout_ms = 30000

[[functions]]
name = "save"
timeout_ms = 1000
code = '''
fn handler(event, context) {
    for record in event.Records {
        let save = record.body;
        store.put(save.doc, save, save.version);
    }
}
'''

[[mappings]]
name = "saves-to-save"
queue = "saves"
function = "save"
batch_size = 10

[[clients]]
name = "editors"
kind = "burst"
target = { queue = "saves" }
count = ${count}
spread_ms = ${spreadMs}
documents = 100
\`\`\`
`;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))] : NaN;
};
const ms = (x) => `${x.toFixed(1)} ms`;

async function gzippedSize(dir) {
  let raw = 0;
  let gz = 0;
  for (const name of await readdir(dir)) {
    const file = join(dir, name);
    if (!(await stat(file)).isFile()) continue;
    const body = await readFile(file);
    raw += body.length;
    gz += gzipSync(body, { level: 9 }).length;
  }
  return { raw, gz };
}

/**
 * The files a page fetches until `ready` is visible, fresh profile, with
 * their gzip -9 sizes (from the build folder: what a gzipping host sends).
 * Service workers are blocked: the cache they fill in the background after
 * the first page is shown is not what the page waits for.
 */
async function measureFirstPage(url, ready) {
  const context = await launch({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const names = new Set();
    page.on('request', (req) => {
      const path = new URL(req.url()).pathname;
      if (path.startsWith(SUB_PATH)) names.add(path.slice(SUB_PATH.length) || 'index.html');
    });
    const start = Date.now();
    await page.goto(url);
    await page.locator(ready).first().waitFor({ timeout: 60_000 });
    const ms = Date.now() - start;
    let gz = 0;
    for (const name of names) {
      const body = await readFile(join(DIST, name)).catch(() => null);
      if (body) gz += gzipSync(body, { level: 9 }).length;
    }
    return { files: names.size, gz, ms };
  } finally {
    await context.close();
  }
}

/** Time from navigation to an interactive playground, fresh profile. */
async function measureLoad(url) {
  const context = await launch();
  try {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(
      () => {
        const run = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Run');
        return Boolean(run && !run.disabled && document.querySelector('article h1'));
      },
      null,
      { polling: 'raf', timeout: 60_000 },
    );
    return await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return { interactive: performance.now(), domContentLoaded: nav?.domContentLoadedEventEnd ?? NaN };
    });
  } finally {
    await context.close();
  }
}

/** Opens an instructor's lesson and runs its scenario to the end. */
async function openAndRun(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(url);
  const playground = page.getByRole('region', { name: 'Playground' });
  await playground.waitFor({ timeout: 60_000 });
  // Timestamps in the page: the last progress report of the run, and the
  // first arrow of the sequence diagram.
  await page.evaluate(() => {
    window.__perf = { lastProgress: NaN, firstArrow: NaN, longTasks: [] };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__perf.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: false });
    const observer = new MutationObserver(() => {
      const progress = document.querySelector('.run-progress');
      if (progress && progress.textContent.startsWith('Running')) window.__perf.lastProgress = performance.now();
      if (Number.isNaN(window.__perf.firstArrow) && document.querySelector('.sequence-rows [role=img]')) {
        window.__perf.firstArrow = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    window.__perf.click = performance.now();
  });
  await playground.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForFunction(() => !Number.isNaN(window.__perf.firstArrow), null, { timeout: 300_000, polling: 100 });
  const perf = await page.evaluate(() => window.__perf);
  const summary = await page.locator('.sequence-summary').innerText();
  const arrows = Number(summary.match(/(\d+) arrows/)?.[1] ?? NaN);
  return { page, perf, arrows, errors };
}

/** rAF deltas while the playback goes through the burst. */
async function measurePlayback(page, seconds) {
  const system = page.getByRole('region', { name: 'System' });
  await system.getByRole('button', { name: 'Back to start' }).click();
  await system.getByRole('combobox').selectOption({ label: '1×' });
  // The browser's own frame rate here, with nothing playing.
  const idle = await page.evaluate(() => new Promise((resolve) => {
    const deltas = [];
    let last = performance.now();
    const tick = (now) => {
      deltas.push(now - last);
      last = now;
      if (deltas.length < 40) requestAnimationFrame(tick);
      else resolve(deltas.slice(1));
    };
    requestAnimationFrame(tick);
  }));
  const started = page.evaluate((seconds) => new Promise((resolve) => {
    const deltas = [];
    const dots = [];
    let last = performance.now();
    const end = last + seconds * 1000;
    const tick = (now) => {
      deltas.push(now - last);
      last = now;
      // The dots on screen when this frame began (the frame just ended
      // drew them).
      dots.push(document.querySelectorAll('.topology circle.dot').length);
      if (now < end) requestAnimationFrame(tick);
      else resolve({ deltas, dots });
    };
    requestAnimationFrame(tick);
  }), seconds);
  await system.getByRole('button', { name: 'Play' }).click();
  const result = await started;
  await system.getByRole('button', { name: 'Pause' }).click().catch(() => {});
  return { ...result, idle };
}

/** Scrub back to 0 ms, then "Run to end": time until the rows are drawn. */
async function measureRedraw(page) {
  const system = page.getByRole('region', { name: 'System' });
  await system.getByRole('button', { name: 'Back to start' }).click();
  await page.waitForFunction(() => !document.querySelector('.sequence-rows [role=img]'));
  return page.evaluate(() => new Promise((resolve) => {
    const button = [...document.querySelectorAll('.playback button')].find((b) => b.textContent.trim() === 'Run to end');
    const t0 = performance.now();
    button.click();
    const wait = () => {
      if (document.querySelector('.sequence-rows [role=img]')) {
        // The next frame: the rows have been laid out and painted.
        requestAnimationFrame(() => resolve(performance.now() - t0));
      } else {
        requestAnimationFrame(wait);
      }
    };
    wait();
  }));
}

/** Draw times of the sequence diagram of one long run. */
async function measureSequence(context, url, long, say) {
  const run = await openAndRun(context, url);
  const lastTask = run.perf.longTasks.filter((t) => t.start <= run.perf.firstArrow).at(-1);
  say(`sequence diagram, ${long.what}: ${long.count} saves within ${long.spreadMs} ms, ${run.arrows} arrows`);
  say(`  Run click to first arrow drawn: ${ms(run.perf.firstArrow - run.perf.click)} (includes simulating the run)`);
  say(`  last run slice to first arrow drawn: ${ms(run.perf.firstArrow - run.perf.lastProgress)} (the last <=2,000-event slice, the run's report, the topology, and the diagram built and drawn)`);
  if (lastTask) say(`  the long task that ends the run: ${ms(lastTask.duration)}`);
  const redraws = [];
  for (let i = 0; i < 3; i++) redraws.push(await measureRedraw(run.page));
  say(`  redraw after scrubbing from 0 ms to the end ("Run to end", model already built): median ${ms(median(redraws))} (${redraws.map((r) => r.toFixed(0)).join(', ')} ms)`);
  if (run.errors.length) say(`  page errors: ${run.errors.join('; ')}`);
  await run.page.close();
}

/** Lessons with an exercise, whose check runs over its variants too. */
const CHECKED_LESSONS = [
  'throttling-and-retries', 'fire-and-forget', 'out-of-order-bug', 'version-store',
  'at-least-once', 'stateless', 'fifo', 'limits', 'workflows',
];

/**
 * Wall time of "Check over N seeds", from the click to the verdict's
 * heading: every seed of the exercise and of its variants, simulated in the
 * page. With `code`, the editor holds it first (a right solution runs every
 * seed of every variant; the starting code may fail variants early).
 */
async function measureCheck(context, url, code) {
  const page = await context.newPage();
  await page.goto(url);
  // The exercise's playground: lesson 9 shows another scenario first, and a
  // choice between them.
  const playground = page.getByRole('region', { name: 'Playground' });
  await playground.waitFor({ timeout: 60_000 });
  const choice = page.getByRole('combobox', { name: 'Scenario' });
  if (await choice.count()) {
    const count = await choice.locator('option').count();
    for (let i = 0; i < count && !(await playground.getByText('Goal:').count()); i++) {
      await choice.selectOption(String(i));
    }
  }
  const check = playground.getByRole('button', { name: /^Check over \d+ seeds$/ });
  await check.waitFor({ timeout: 60_000 });
  if (code !== undefined) {
    await playground.getByRole('textbox', { name: /^Code of function / }).first().fill(code);
  }
  const label = await check.innerText();
  // Wait until the button can take a click (in view, stable), so that the
  // time is the check's alone: Playwright retries a click every 500 ms
  // while the page still settles after loading.
  await check.click({ trial: true });
  // Main-thread busy time as well as wall time: on a shared machine the wall
  // time includes waiting for a core, the busy time does not.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const busyS = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
  const busyBefore = await busyS();
  const start = Date.now();
  await check.click();
  const verdict = playground.getByRole('heading', { name: /^(All checks passed|Some checks failed)/ });
  await verdict.waitFor({ timeout: 300_000 });
  const elapsed = Date.now() - start;
  const busy = (await busyS()) - busyBefore;
  const text = await verdict.innerText();
  await page.close();
  return { label, elapsed, busy: busy * 1000, verdict: text };
}

/** The first right solution of a lesson's corpus (tests/solutions/). */
async function rightSolution(id) {
  const dir = join(ROOT, 'tests', 'solutions', id, 'right');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.rhai')).sort();
  return { name: files[0], code: await readFile(join(dir, files[0]), 'utf8') };
}

/** Times every lesson's check with its starting code and a right solution. */
async function measureChecks(context, baseUrl, say) {
  say('check over all seeds (the exercise and its variants), click to verdict:');
  for (const id of CHECKED_LESSONS) {
    const start = await measureCheck(context, baseUrl + `#/lesson/${id}`);
    const right = await rightSolution(id);
    const solved = await measureCheck(context, baseUrl + `#/lesson/${id}`, right.code);
    say(`  ${id}: ${start.label}: starting code ${ms(start.elapsed)} (main thread busy ${ms(start.busy)}); ${right.name} ${ms(solved.elapsed)} (busy ${ms(solved.busy)}; ${solved.verdict})`);
  }
}

async function main() {
  await stat(join(DIST, 'index.html')).catch(() => {
    throw new Error(`${DIST} has no index.html: build the release first (scripts/perf.sh does)`);
  });
  // A copy of the build with the perf lessons beside it.
  const dir = await mkdtemp(join(tmpdir(), 'event-playground-perf-'));
  await cp(DIST, dir, { recursive: true });
  await mkdir(join(dir, 'perf'), { recursive: true });
  const BURST = { count: 4000, spreadMs: 1000 };
  // 1,125 saves make 10,010 trace events (`sim run --trace`) and about
  // 5,600 arrows; 2,050 saves make about 10,000 arrows (18,014 events).
  const LONG = [
    { file: 'long-events.md', count: 1125, spreadMs: 20_000, what: 'about 10,000 trace events' },
    { file: 'long-arrows.md', count: 2050, spreadMs: 20_000, what: 'about 10,000 arrows' },
  ];
  await writeFile(join(dir, 'perf', 'burst.md'), burstLesson('perf-burst', 'A burst in flight', BURST.count, BURST.spreadMs));
  for (const long of LONG) {
    await writeFile(join(dir, 'perf', long.file), burstLesson(long.file.replace('.md', ''), 'A long trace', long.count, long.spreadMs));
  }
  const server = await serveDist(dir, SUB_PATH);
  const lines = [];
  const say = (line) => {
    lines.push(line);
    console.log(line);
  };
  try {
    const chromium = (await import('node:child_process')).execFileSync(
      process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    ).trim();
    say(`# Event Playground performance (${new Date().toISOString()})`);
    say(`build: ${DIST}; browser: ${chromium} (headless, --disable-gpu)`);
    if (ONLY_CHECKS) {
      const context = await launch();
      try {
        await measureChecks(context, server.url, say);
      } finally {
        await context.close();
      }
      return;
    }

    const size = await gzippedSize(DIST);
    say(`download: ${(size.raw / 1024).toFixed(0)} KB raw, ${(size.gz / 1024).toFixed(0)} KB gzipped (gzip -9, every file of the build)`);
    const welcome = await measureFirstPage(server.url, 'nav a[href="#/lesson/out-of-order-bug"]');
    say(`first page (welcome, until the lesson list is drawn): ${welcome.files} files, ${(welcome.gz / 1024).toFixed(0)} KB gzipped`);
    const direct = await measureFirstPage(server.url + '#/lesson/version-store', 'button:text-is("Run")');
    say(`first page with a playground (#/lesson/version-store opened directly): ${direct.files} files, ${(direct.gz / 1024).toFixed(0)} KB gzipped`);

    const loads = [];
    for (let i = 0; i < LOADS; i++) loads.push(await measureLoad(server.url + '#/lesson/version-store'));
    const interactive = loads.map((l) => l.interactive);
    say(`load to interactive playground (#/lesson/version-store, ${LOADS} cold loads): median ${ms(median(interactive))}, min ${ms(Math.min(...interactive))}, max ${ms(Math.max(...interactive))}; DOMContentLoaded median ${ms(median(loads.map((l) => l.domContentLoaded)))}`);

    const context = await launch();
    try {
      const burst = await openAndRun(context, server.url + '#/lesson-url/perf/burst.md');
      say(`burst lesson: ${BURST.count} saves within ${BURST.spreadMs} ms; run (Run click to first arrow drawn) ${ms(burst.perf.firstArrow - burst.perf.click)}; ${burst.arrows} arrows`);
      const playback = await measurePlayback(burst.page, Number(process.env.PERF_PLAYBACK_SECONDS ?? 3));
      // Frame i's delta ends frame i; dots[i - 1] is what that frame drew.
      const frames = playback.deltas.slice(1).map((delta, i) => ({ delta, dots: playback.dots[i] }));
      const heavy = frames.filter((f) => f.dots >= 800).map((f) => f.delta);
      const all = frames.map((f) => f.delta);
      const over = (xs, limit) => xs.filter((d) => d > limit).length;
      say(`idle frame time (nothing playing): median ${ms(median(playback.idle))}`);
      say(`playback at 1x: up to ${Math.max(...playback.dots)} messages in flight (dots in the topology)`);
      say(`  frames with 800 or more in flight: ${heavy.length}; frame time median ${ms(median(heavy))}, p95 ${ms(percentile(heavy, 95))}, max ${ms(Math.max(...heavy))}; ${over(heavy, 17)} over 17 ms, ${over(heavy, 50)} over 50 ms`);
      say(`  all ${all.length} frames of ${ms(all.reduce((a, b) => a + b, 0))}: frame time median ${ms(median(all))}, p95 ${ms(percentile(all, 95))}`);
      if (burst.errors.length) say(`page errors: ${burst.errors.join('; ')}`);
      await burst.page.close();

      for (const long of LONG) {
        await measureSequence(context, server.url + `#/lesson-url/perf/${long.file}`, long, say);
      }
      await measureChecks(context, server.url, say);
    } finally {
      await context.close();
    }
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
    if (process.env.PERF_OUT) await writeFile(process.env.PERF_OUT, lines.join('\n') + '\n');
  }
}

// Run as a script (importing it, e.g. for burstLesson, runs nothing).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
