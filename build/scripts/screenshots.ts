/**
 * `npm run screenshots`: PNGs of the app's main states (choosing a folder among them), from the real renderer in Chromium with
 * real uploads behind it, to $SCREENSHOT_DIR (default build/screenshots).
 */
import { appendFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright';
import { startLocalbox } from '../../electron/localbox/localbox.ts';
import { clientFor } from '../../test/helpers/engine-fixture.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { writePatternFile } from '../../test/helpers/test-files.ts';
import { launchChromium, openUi, waitForAttribute, waitForState, type Cleanup } from '../../test/helpers/ui-harness.ts';

const outDir = resolve(process.env['SCREENSHOT_DIR'] ?? fileURLToPath(new URL('../screenshots', import.meta.url)));
await mkdir(outDir, { recursive: true });
const cleanups: Array<() => unknown> = [];
const scope: Cleanup = { after: (cleanup) => void cleanups.unshift(cleanup) };
const browser = await launchChromium();
const shot = async (page: Page, name: string) => {
  await delay(250);
  await page.screenshot({ path: resolve(outDir, `${name}.png`) });
  console.log(`wrote ${resolve(outDir, `${name}.png`)}`);
};
const row = (page: Page, name: string) =>
  page.getByRole('listitem', { name: new RegExp(`^${name.replace('.', '\\.')}`) });

/** Settings after "Sign in with Box": a second page plays the system browser on localbox's consent page. */
async function signedInSettings(): Promise<void> {
  const localbox = await startLocalbox({
    user: { name: 'Ada Lovelace', login: 'ada@example.com', spaceAmountBytes: 100e9, spaceUsedBytes: 12.4e9 },
  });
  scope.after(() => localbox.stop());
  const ui = await openUi(scope, browser, {
    boxApp: { clientId: localbox.clientId, clientSecret: localbox.clientSecret },
  });
  await ui.page.getByRole('button', { name: 'Settings' }).click();
  const dialog = ui.page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('radio', { name: 'A Box account or compatible server' }).check();
  await dialog.getByLabel('API base URL').fill(localbox.url);
  await dialog.getByRole('button', { name: 'Sign in with Box' }).click();
  while (ui.openedInBrowser.length === 0) await delay(20);
  const systemBrowser = await ui.page.context().newPage();
  await systemBrowser.goto(ui.openedInBrowser[0]!);
  await systemBrowser.getByRole('button', { name: 'Grant access to Box' }).click();
  await systemBrowser.getByText(/^Signed in\./).waitFor();
  await systemBrowser.close();
  await dialog.getByText(/^Signed in as Ada Lovelace/).waitFor();
  await shot(ui.page, 'settings-signed-in');
}

/** A done row's "Copy shared link" with its notice, then the Recent uploads view. */
async function shareAndHistory(): Promise<void> {
  const ui = await openUi(scope, browser, {});
  const dir = await tempDir(scope, 'hoist-shots-');
  const names = ['Q3 board deck.pdf', 'site-survey-photos.zip', 'contract-signed.pdf', 'budget 2027.xlsx'];
  for (const [index, name] of names.entries()) {
    ui.dialogPaths.push((await writePatternFile(dir, name, 180_000 * (index + 1), 20 + index)).path);
  }
  await ui.page.getByRole('button', { name: 'Add files…' }).click();
  for (const name of names) await waitForState(row(ui.page, name), 'Done');
  await ui.page.getByRole('button', { name: 'Remove site-survey-photos.zip from the list' }).click();
  await row(ui.page, 'Q3 board deck.pdf')
    .getByRole('button', { name: 'Copy a shared link to Q3 board deck.pdf' })
    .click();
  await ui.page.getByText(/^Link to Q3 board deck\.pdf copied/).waitFor();
  await ui.page.getByRole('button', { name: 'Copy a shared link to Q3 board deck.pdf' }).hover();
  await shot(ui.page, 'share-link');
  await ui.page.keyboard.press('Control+Shift+H');
  await ui.page.getByRole('list', { name: 'Recent uploads' }).getByRole('listitem').nth(3).waitFor();
  await shot(ui.page, 'recent-uploads');
  await ui.page.keyboard.press('Escape');
}

/**
 * The uploading state with a part map open at the app's minimum window (640×420), a small laptop
 * (800×600) and a large screen (1920×1080): the same page, resized.
 */
async function uploadingAtThreeSizes(): Promise<void> {
  const dir = await tempDir(scope, 'hoist-shots-sizes-');
  const notes = await writePatternFile(dir, 'meeting-notes.pdf', 2_400_000, 11);
  const movie = await writePatternFile(
    dir,
    'interview-with-the-regional-teams-about-the-autumn-campaign-full-length-recording-v3-DRAFT.mov',
    90_000_000,
    12,
  );
  const archive = await writePatternFile(dir, 'project-archive.zip', 48_000_000, 13);
  const scan = await writePatternFile(dir, 'scan-0042.tiff', 35_000_000, 14);
  const ui = await openUi(scope, browser, {
    embedded: { partSize: 1024 * 1024 + 1, connBandwidthBytesPerSec: 1_500_000 },
    parallel: 3,
  });
  const projects = await clientFor(ui.service.embeddedLocalbox!).createFolder('Projects', '0');
  await ui.service.updateSettings({ destinationFolderId: projects.id });
  ui.dialogPaths.push(notes.path, movie.path, archive.path, scan.path);
  await ui.page.getByRole('button', { name: 'Add files…' }).click();
  await waitForState(row(ui.page, 'meeting-notes.pdf'), 'Done');
  await row(ui.page, 'interview-with')
    .getByRole('button', { name: /^Show the parts of interview/ })
    .click();
  await waitForAttribute(
    ui.page.getByRole('img', { name: /^Part map of interview/ }),
    'aria-label',
    /: \d+ done, \d+ uploading/,
  );
  await delay(1500);
  for (const [width, height] of [
    [640, 420],
    [800, 600],
    [1920, 1080],
  ] as const) {
    await ui.page.setViewportSize({ width, height });
    await shot(ui.page, `uploading-${width}x${height}`);
  }
}

try {
  // `--share-only`: just the sharing and recent-uploads PNGs; `--sizes-only`: just the uploading
  // state at three window sizes; `--sign-in-only`: just signed-in Settings.
  const only = ['--share-only', '--sizes-only', '--sign-in-only'].find((flag) => process.argv.includes(flag));
  if (only === '--share-only') await shareAndHistory();
  if (only === '--sizes-only') await uploadingAtThreeSizes();
  if (only === undefined || only === '--sign-in-only') await signedInSettings();
  if (only === undefined) {
    await shareAndHistory();
    await uploadingAtThreeSizes();
    const dir = await tempDir(scope, 'hoist-shots-');
    const files = {
      movie: await writePatternFile(dir, 'holiday-4k.mov', 90_000_000, 1),
      archive: await writePatternFile(dir, 'project-archive.zip', 48_000_000, 2),
      notes: await writePatternFile(dir, 'meeting-notes.pdf', 2_400_000, 3),
      raw: await writePatternFile(dir, 'scan-0042.tiff', 35_000_000, 4),
    };

    const embedded = { partSize: 1024 * 1024 + 1, connBandwidthBytesPerSec: 1_500_000 };
    for (const scheme of ['light', 'dark'] as const) {
      const ui = await openUi(scope, browser, { embedded, colorScheme: scheme, parallel: 3 });
      if (scheme === 'light') {
        const empty = await openUi(scope, browser, {});
        await empty.page.getByRole('heading', { name: 'Drop files here to upload them' }).waitFor();
        await shot(empty.page, 'empty');
        const client = clientFor(empty.service.embeddedLocalbox!);
        const projects = await client.createFolder('Projects', '0');
        for (const name of ['Clients', 'Photos', 'Reports']) await client.createFolder(name, '0');
        for (const name of ['2025', '2026', 'Proposals']) await client.createFolder(name, projects.id);
        await empty.page.getByRole('button', { name: 'Settings' }).click();
        await empty.page.getByRole('button', { name: 'Change the folder uploads go into' }).click();
        await empty.page.getByRole('button', { name: 'Projects' }).click();
        await empty.page.getByRole('list', { name: 'Folders in Projects' }).waitFor();
        await shot(empty.page, 'choose-folder');
      }
      ui.dialogPaths.push(files.notes.path, files.movie.path, files.archive.path, files.raw.path);
      await ui.page.getByRole('button', { name: 'Add files…' }).click();
      await waitForState(row(ui.page, files.notes.path.split('/').pop()!), 'Done');
      await row(ui.page, 'holiday-4k.mov').getByRole('button', { name: 'Show the parts of holiday-4k.mov' }).click();
      await waitForAttribute(
        ui.page.getByRole('img', { name: /^Part map of holiday/ }),
        'aria-label',
        /: \d+ done, \d+ uploading/,
      );
      await delay(1500);
      if (scheme === 'dark') {
        await shot(ui.page, 'dark-theme');
        break;
      }
      await shot(ui.page, 'uploading-part-map');

      await row(ui.page, 'project-archive.zip').getByRole('button', { name: 'Pause project-archive.zip' }).click();
      await waitForState(row(ui.page, 'project-archive.zip'), 'Paused');
      await shot(ui.page, 'paused');

      await waitForState(row(ui.page, 'scan-0042.tiff'), 'Uploading', { timeout: 60_000 });
      await appendFile(files.raw.path, 'edited while uploading');
      await waitForState(row(ui.page, 'scan-0042.tiff'), 'Failed', { timeout: 60_000 });
      await shot(ui.page, 'error');

      await row(ui.page, 'holiday-4k.mov').getByRole('button', { name: 'Hide the parts of holiday-4k.mov' }).click();
      await row(ui.page, 'project-archive.zip').getByRole('button', { name: 'Resume project-archive.zip' }).click();
      await ui.service.updateSettings({ parallel: 8 });
      await waitForState(row(ui.page, 'holiday-4k.mov'), 'Done', { timeout: 120_000 });
      await waitForState(row(ui.page, 'project-archive.zip'), 'Done', { timeout: 120_000 });
      await shot(ui.page, 'done');

      // The same names again, from other folders: Hoist asks what to do.
      const copies = await Promise.all(
        ['edited', 'final'].map(async (name, index) => {
          const copyDir = resolve(dir, name);
          await mkdir(copyDir);
          return (await writePatternFile(copyDir, 'meeting-notes.pdf', 2_500_000 + index, 5 + index)).path;
        }),
      );
      ui.dialogPaths.push(...copies);
      await ui.page.getByRole('button', { name: 'Add files…' }).click();
      await ui.page.getByRole('group', { name: 'Files whose names are taken' }).waitFor({ timeout: 60_000 });
      await shot(ui.page, 'name-conflict');

      await ui.page.getByRole('button', { name: 'Settings' }).click();
      const settings = ui.page.getByRole('dialog', { name: 'Settings' });
      await settings.waitFor();
      await settings.getByLabel('Limit all uploads together to').check();
      await shot(ui.page, 'settings');
      await ui.page.keyboard.press('Escape');
    }
  }
} finally {
  for (const cleanup of cleanups) await Promise.resolve(cleanup()).catch(() => undefined);
  await browser.close();
}
