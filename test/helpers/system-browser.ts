import type { Page } from 'playwright';
import type { Ui } from './ui-harness.ts';
import { until } from './wait-until.ts';

/**
 * A second page plays the system browser: it opens the URL main was asked to open (the n-th),
 * grants access on localbox's real consent page, and lands on Hoist's loopback listener.
 */
export async function grantInSystemBrowser(ui: Ui, nth: number): Promise<Page> {
  await until(() => ui.openedInBrowser.length >= nth, 'main was asked to open the browser');
  const systemBrowser = await ui.page.context().newPage();
  await systemBrowser.goto(ui.openedInBrowser[nth - 1]!);
  await systemBrowser.getByRole('button', { name: 'Grant access to Box' }).click();
  await systemBrowser.getByText('Signed in. You can close this tab and return to Hoist.').waitFor();
  return systemBrowser;
}
