// Keyboard-only helpers for end-to-end tests: where the focus is, and Tab
// until a control is reached (as a keyboard user does).

/** The accessible-ish name of the focused element. */
export const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return '';
    return el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '';
  });

/**
 * Presses Tab (or Shift+Tab) until the focused element's name matches
 * `name` (a string or a RegExp). A code editor takes Tab to indent: Escape
 * leaves it first. Returns the name reached.
 */
export async function tabTo(page, name, { back = false, max = 300 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate(() => document.activeElement?.tagName === 'TEXTAREA')) {
      await page.keyboard.press('Escape');
    }
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (name instanceof RegExp ? name.test(now) : now === name) return now;
  }
  throw new Error(`${name} not reached with ${back ? 'Shift+Tab' : 'Tab'}`);
}

/** Tabs to the control named `name` and presses Enter on it. */
export async function press(page, name, options = {}) {
  await tabTo(page, name, options);
  await page.keyboard.press('Enter');
}
