import { app } from 'electron';
import { UpdateController } from '../service/update-controller.ts';
import type { UploadService } from '../service/upload-service.ts';

/**
 * Where this copy of Hoist looks for updates: a generic electron-updater feed (a web folder with
 * latest.yml, latest-mac.yml, latest-linux.yml and the installers electron-builder made), set by
 * whoever distributes it at build time: `HOIST_UPDATE_URL=https://... npm run dist` (defined by
 * build/scripts/build-app.ts). Built without it, the app never checks.
 */
declare const __HOIST_UPDATE_URL__: string | undefined;

export function updateFeedUrl(): string | undefined {
  // typeof: unbundled (type checks, tests importing main's modules) the name does not exist.
  const url = typeof __HOIST_UPDATE_URL__ === 'string' ? __HOIST_UPDATE_URL__.trim() : '';
  return url.startsWith('https://') ? url : undefined;
}

/**
 * Starts checking for updates (at start and every 6 hours; UpdateController decides), when this
 * is an installed build with a feed. electron-updater is loaded only then.
 */
export async function startUpdates(service: UploadService): Promise<UpdateController | undefined> {
  const url = updateFeedUrl();
  if (!url || !app.isPackaged) return undefined;
  const { autoUpdater } = await import('electron-updater');
  autoUpdater.setFeedURL({ provider: 'generic', url });
  autoUpdater.autoDownload = true;
  let uploadsRunning = false;
  const controller = new UpdateController(autoUpdater, () => uploadsRunning);
  service.on('activity', (activity) => {
    if (activity.busy === uploadsRunning) return;
    uploadsRunning = activity.busy;
    controller.uploadsChanged();
  });
  controller.start();
  return controller;
}
