import { test } from 'node:test';
import { join } from 'node:path';
import { appUnderTest, ARTIFACTS } from './app-under-test.mjs';
const app = appUnderTest();
test('shots', async () => {
  const { page } = await app.freshPage('#/lesson/version-store');
  const playground = page.getByRole('region', { name: 'Playground' });
  await playground.waitFor();
  await page.evaluate(() => { Document.prototype.createElement = function () { throw new DOMException('createElement refused by the test', 'NotSupportedError'); }; });
  await playground.getByRole('button', { name: 'Run', exact: true }).click();
  const alert = page.getByRole('alert', { name: 'The simulator stopped on an internal error' });
  await alert.waitFor({ timeout: 30000 });
  for (const theme of ['light', 'dark']) {
    await page.getByLabel('Theme').selectOption(theme);
    await page.screenshot({ path: join(ARTIFACTS, `crash-${theme}.png`) });
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(ARTIFACTS, `crash-390.png`) });
  // the guard's own message
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.evaluate(() => { Document.prototype.createElement = function () { throw new DOMException('createElement refused by the test', 'NotSupportedError'); }; });
  await playground.getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('alert', { name: 'The simulator stopped again on an internal error' }).waitFor({ timeout: 30000 });
  await page.screenshot({ path: join(ARTIFACTS, `crash-again-dark.png`) });
  await page.getByLabel('Theme').selectOption('light');
  await page.screenshot({ path: join(ARTIFACTS, `crash-again-light.png`) });
});
