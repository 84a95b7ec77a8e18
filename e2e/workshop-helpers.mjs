// Helpers for the workshop tests (offline, instructors' lessons, hosting).
import { cp, mkdtemp } from 'node:fs/promises';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Records Content-Security-Policy violations of a page: the console line
 * Chromium prints and the `securitypolicyviolation` event (an init script,
 * which CSP does not govern, listens for it).
 */
export async function watchCsp(page) {
  const violations = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(`console: ${msg.text()}`);
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return async () => [...violations, ...(await page.evaluate(() => window.__csp ?? []).catch(() => []))];
}

/** A copy of dist/ in a temporary folder, to add files to or change. */
export async function copyOfDist(root) {
  const dir = await mkdtemp(join(tmpdir(), 'event-playground-dist-'));
  await cp(process.env.E2E_DIST ?? join(root, 'dist'), dir, { recursive: true });
  return dir;
}

/** Waits until a service worker controls the page (its cache is filled). */
export async function waitForServiceWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
}

/**
 * A share link's hash for `work` ({ target, code, seed }), made the way the
 * app makes it (raw DEFLATE, base64url without padding), so a test can
 * build links the app has no button for, such as damaged scenarios.
 */
export function shareHash(work) {
  const packed = deflateRawSync(Buffer.from(JSON.stringify(work)), { level: 9 });
  return `#/share/v1/${packed.toString('base64url')}`;
}

/** The content of a share link (or its hash). */
export function readShareLink(link) {
  const data = link.slice(link.indexOf('#/share/v1/') + '#/share/v1/'.length);
  return JSON.parse(inflateRawSync(Buffer.from(data, 'base64url')).toString('utf8'));
}

/** Lesson 5's fix, as a learner types it: the store compares and writes in one step. */
export const CONDITIONAL_FIX = `fn handler(event, context) {
    for record in event.Records {
        let save = record.body;
        try {
            store.put_if_newer(save.doc, save, save.version);
        } catch (err) {
            if err.name != "ConditionalCheckFailed" { throw err; }
        }
    }
}`;
