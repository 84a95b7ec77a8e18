// The set-up most end-to-end files share: the built app served under a
// sub-path (E2E_DIST or dist/), one browser profile for the file, and the
// artifacts folder for screenshots. Call at the top level of a test file.
import { before, after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { serveDist } from './static-server.mjs';
import { launch, collectErrors } from './browser.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = join(ROOT, 'e2e', 'artifacts');
export const SUB_PATH = '/workshop/event-playground/';

/**
 * Serves the app and opens a browser for the tests of this file; closes
 * both after them. `app.url` is the app's address, `app.context` the
 * browser profile. `launchOptions` go to `launch` (e.g. acceptDownloads).
 */
export function appUnderTest(launchOptions = {}) {
  const app = {
    server: null,
    context: null,
    /**
     * A new page (of `ctx`, default this file's profile) on `hash` as a
     * fresh learner sees it: this app's saved work cleared, then reloaded.
     * Returns the page and the errors it logs.
     */
    async freshPage(hash = '', ctx = app.context) {
      const page = await ctx.newPage();
      const errors = collectErrors(page);
      await page.goto(app.url + hash);
      await page.evaluate(() => localStorage.clear());
      await page.reload();
      return { page, errors };
    },
  };
  Object.defineProperty(app, 'url', { get: () => app.server.url });
  before(async () => {
    app.server = await serveDist(process.env.E2E_DIST ?? join(ROOT, 'dist'), SUB_PATH);
    app.context = await launch(launchOptions);
    await mkdir(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await app.context?.close();
    await app.server?.close();
  });
  return app;
}
