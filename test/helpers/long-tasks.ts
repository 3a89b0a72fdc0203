import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright';

/** Long tasks (> 50 ms on the page's main thread), recorded from the moment the page loads. */
const RECORD_LONG_TASKS = `(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__longTasks.push(entry.duration); })
    .observe({ type: 'longtask', buffered: true });
})();`;

/** Starts recording long tasks; reloads the page so the recording covers its start. */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.addInitScript(RECORD_LONG_TASKS);
  await page.reload();
}

/** The long tasks so far: how many, the longest, and the blocking time (each one's part over 50 ms). */
export async function longTaskSummary(page: Page) {
  const longTasksMs = await page.evaluate(() => (globalThis as unknown as { __longTasks: number[] }).__longTasks);
  return {
    longTasks: longTasksMs.length,
    longestTaskMs: Math.round(Math.max(0, ...longTasksMs)),
    totalBlockingMs: Math.round(longTasksMs.reduce((sum, duration) => sum + Math.max(0, duration - 50), 0)),
  };
}

/** Prints a UI measurement and keeps it in build/bench-results/<fileName>. */
export async function reportUiNumbers(title: string, fileName: string, report: object): Promise<void> {
  console.log(`${title}: ${JSON.stringify(report)}`);
  const out = new URL('../../build/bench-results/', import.meta.url);
  await mkdir(out, { recursive: true });
  await writeFile(fileURLToPath(new URL(fileName, out)), `${JSON.stringify(report, null, 2)}\n`);
}
