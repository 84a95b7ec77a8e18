// Helpers for the workshop tests (offline, instructors' lessons, hosting).
import { cp, mkdtemp } from 'node:fs/promises';
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
  await cp(join(root, 'dist'), dir, { recursive: true });
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
