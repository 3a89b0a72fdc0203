import { app, dialog, type BrowserWindow } from 'electron';
import type { UploadService } from '../service/upload-service.ts';

/**
 * Quitting while uploads run asks first; either way the service shuts down cleanly, so every
 * unfinished upload is in the journal and resumes at the next start.
 */
export function confirmQuit(service: UploadService, window: () => BrowserWindow | undefined): void {
  let busy = false;
  let quitting = false;
  service.on('activity', (activity) => (busy = activity.busy));
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    void (async () => {
      if (busy) {
        const options = {
          type: 'question' as const,
          buttons: ['Quit', 'Keep Uploading'],
          defaultId: 1,
          cancelId: 1,
          message: 'Uploads are still running.',
          detail: 'If you quit now, they continue where they stopped the next time Hoist starts.',
        };
        const parent = window();
        const { response } = parent
          ? await dialog.showMessageBox(parent, options)
          : await dialog.showMessageBox(options);
        if (response !== 0) return;
      }
      quitting = true;
      await service.shutdown();
      app.quit();
    })();
  });
}
