// End to end: presenter mode for projectors (large type, high contrast, the
// playground alone, kept across a reload) and the shortcuts overlay ("?"
// opens it, Escape closes it, then leaves presenter mode; "?" typed in the
// code editor stays in the code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { appUnderTest, ARTIFACTS } from './app-under-test.mjs';


const app = appUnderTest();

const toggle = (page) => page.getByRole('button', { name: 'Presenter mode' });
const bodyFontPx = (page) => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));

/** The contrast ratio of an element's text colour on the page background (WCAG formula). */
async function contrastOf(page, selector) {
  return page.evaluate((sel) => {
    const rgb = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => {
        v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const fg = lum(rgb(getComputedStyle(document.querySelector(sel)).color));
    const bg = lum(rgb(getComputedStyle(document.body).backgroundColor));
    return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  }, selector);
}

test('presenter mode shows the playground alone, in large high-contrast type, and survives a reload', async () => {
  const { page, errors } = await app.freshPage('#/lesson/version-store');
  const playground = page.getByRole('region', { name: 'Playground' });
  await playground.waitFor();
  const normalFont = await bodyFontPx(page);
  assert.equal(await toggle(page).getAttribute('aria-pressed'), 'false');

  await toggle(page).click();
  assert.equal(await toggle(page).getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('html').getAttribute('data-presenter'), 'on');
  assert.ok((await bodyFontPx(page)) >= normalFont * 1.3, 'the type is larger');
  await page.getByRole('navigation', { name: 'Lessons' }).waitFor({ state: 'hidden' });
  await page.locator('article.lesson').waitFor({ state: 'hidden' });
  await playground.getByRole('button', { name: 'Run', exact: true }).waitFor();
  for (const theme of ['light', 'dark']) {
    await page.getByLabel('Theme').selectOption(theme);
    // Presenter colours are black on white or white on black: 21:1.
    assert.ok((await contrastOf(page, '.playground h2')) >= 15, `${theme} contrast`);
    await playground.getByRole('button', { name: 'Run', exact: true }).click();
    await playground.getByRole('heading', { name: /^Seed \d+:/ }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, `presenter-${theme}.png`), fullPage: true });
  }

  await page.reload();
  await playground.waitFor();
  assert.equal(await page.locator('html').getAttribute('data-presenter'), 'on');
  assert.equal(await toggle(page).getAttribute('aria-pressed'), 'true');

  // A lesson without a playground keeps its text: there is nothing else.
  await page.goto(app.url + '#/lesson/welcome');
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  assert.ok(await page.locator('article.lesson').isVisible());

  await toggle(page).click();
  assert.equal(await page.locator('html').getAttribute('data-presenter'), null);
  await page.getByRole('navigation', { name: 'Lessons' }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('"?" lists the shortcuts; Escape closes the list, then leaves presenter mode', async () => {
  const { page, errors } = await app.freshPage('#/lesson/version-store');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });

  // Typed in the code editor, "?" is code.
  const editor = page.getByRole('textbox', { name: 'Code of function save' });
  await editor.click();
  const before = await editor.inputValue();
  await page.keyboard.type('?');
  assert.equal(await help.count(), 0);
  assert.equal((await editor.inputValue()).length, before.length + 1);
  assert.ok((await editor.inputValue()).includes('?'));
  await page.keyboard.press('Escape');

  await toggle(page).click();
  await toggle(page).focus();
  await page.keyboard.press('?');
  await help.waitFor();
  await help.getByRole('row', { name: /Ctrl\+Enter/ }).waitFor();
  // Focus is on Close, inside the dialog.
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Close');
  await page.screenshot({ path: join(ARTIFACTS, 'shortcuts-help.png') });
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
  assert.equal(await page.locator('html').getAttribute('data-presenter'), 'on');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('html').getAttribute('data-presenter'), null);
  assert.equal(await page.evaluate(() => localStorage.getItem('event-playground.presenter')), 'off');

  // The header button opens the list too.
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await help.waitFor();
  await help.getByRole('button', { name: 'Close' }).click();
  await help.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await page.close();
});
