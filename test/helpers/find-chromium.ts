import { existsSync } from 'node:fs';
import { chromium } from 'playwright';

export const NO_CHROMIUM =
  'The UI tests need Chromium and found none: install it (Debian/Ubuntu: `sudo apt-get install chromium`; elsewhere `npx playwright install chromium`) or set CHROMIUM_PATH to a Chromium or Chrome binary.';

/**
 * The browser the UI tests drive: CHROMIUM_PATH, Debian's or Ubuntu's Chromium, or the one
 * `npx playwright install chromium` put in Playwright's cache where a contributor can download it.
 */
export function findChromium(): string | undefined {
  const chosen = process.env['CHROMIUM_PATH'];
  if (chosen) return existsSync(chosen) ? chosen : undefined;
  const candidates = [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    (() => {
      try {
        return chromium.executablePath();
      } catch {
        return undefined;
      }
    })(),
  ];
  return candidates.find((path): path is string => path !== undefined && path !== '' && existsSync(path));
}

// `node test/helpers/find-chromium.ts`: npm test runs it before the tests, so a machine without a
// browser stops at once with one sentence instead of every UI test being cancelled.
if (import.meta.main) {
  const found = findChromium();
  if (found === undefined) {
    console.error(`hoist: ${NO_CHROMIUM}`);
    process.exit(1);
  }
}
