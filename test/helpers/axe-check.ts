import { AxeBuilder } from '@axe-core/playwright';
import { join } from 'node:path';
import type { Page } from 'playwright';

/** WCAG 2.x A and AA, plus axe's best practices (landmarks, headings, one main...). */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * Runs axe-core on the page as it is, in the light and the dark theme (the OS setting emulated),
 * and returns one line per violation: "<state>, <theme>: <rule> (<impact>) at <selector>: <why>".
 * An empty list means none.
 */
export async function axeViolations(page: Page, state: string): Promise<string[]> {
  const lines: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // Two frames: styles recomputed, canvases repainted in the new theme.
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    // To look at what was checked: A11Y_SCREENSHOT_DIR=/tmp/shots npx node --test test/e2e/ui-accessibility.test.ts
    const shots = process.env['A11Y_SCREENSHOT_DIR'];
    if (shots) await page.screenshot({ path: join(shots, `${state.replace(/\W+/g, '-')}-${colorScheme}.png`) });
    const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    for (const violation of results.violations)
      for (const node of violation.nodes)
        lines.push(
          `${state}, ${colorScheme}: ${violation.id} (${violation.impact ?? 'unknown'}) at ${node.target.join(' ')}: ${node.failureSummary?.replace(/\s+/g, ' ') ?? violation.help}`,
        );
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return lines;
}
