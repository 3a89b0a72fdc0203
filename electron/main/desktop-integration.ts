import { app, net, Notification, powerMonitor, powerSaveBlocker, type BrowserWindow } from 'electron';
import type { UploadService } from '../service/upload-service.ts';

/** How often the OS's online state is read (Electron's main process has no online event). */
const ONLINE_POLL_MS = 3000;

/**
 * The app's place in the desktop: dock/taskbar progress for the whole queue, a notification when a
 * batch completes or a file fails, the machine kept awake while uploads run, and the OS's
 * online/offline state passed to waiting jobs.
 */
export function integrateWithDesktop(service: UploadService, window: () => BrowserWindow | undefined): () => void {
  let blocker: number | undefined;
  service.on('activity', (activity) => {
    window()?.setProgressBar(activity.busy ? (activity.fraction ?? 0) : -1);
    if (activity.busy && blocker === undefined) blocker = powerSaveBlocker.start('prevent-app-suspension');
    if (!activity.busy && blocker !== undefined) {
      powerSaveBlocker.stop(blocker);
      blocker = undefined;
    }
  });
  service.on('batch-finished', ({ done, failed }) => {
    if (!Notification.isSupported() || done + failed === 0) return;
    const body = failed > 0 ? `${done} uploaded, ${failed} failed` : `${done} file${done === 1 ? '' : 's'} uploaded`;
    new Notification({ title: 'Uploads finished', body }).show();
    if (process.platform === 'darwin' && failed === 0) app.dock?.bounce('informational');
  });
  service.on('job-failed', (view) => {
    if (Notification.isSupported())
      new Notification({ title: `${view.fileName} failed`, body: view.error?.message ?? '' }).show();
  });
  let online = net.isOnline();
  const poll = setInterval(() => {
    const now = net.isOnline();
    if (now !== online) service.networkChanged(now);
    online = now;
  }, ONLINE_POLL_MS);
  const onResume = (): void => service.networkChanged(net.isOnline());
  powerMonitor.on('resume', onResume);
  return () => {
    clearInterval(poll);
    powerMonitor.off('resume', onResume);
    if (blocker !== undefined) powerSaveBlocker.stop(blocker);
  };
}
