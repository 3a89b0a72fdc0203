import type { JobView } from '../../shared/job-model.ts';
import { printable } from '../../shared/printable.ts';
import { isSharedLinkAccess, type SharedLinkAccess } from '../../shared/share-model.ts';
import type { BoxClient } from '../box/box-client.ts';
import type { ProgressPrinter } from './progress-printer.ts';
import { UsageError } from './usage-error.ts';

/** --share open|company|collaborators: who the shared link of each uploaded file lets in. */
export function shareFlag(value: string | undefined): SharedLinkAccess | undefined {
  if (value === undefined) return undefined;
  if (!isSharedLinkAccess(value))
    throw new UsageError(`--share must be open, company or collaborators, not "${value}"`);
  return value;
}

/** A printer that also makes shared links (--share), and can say when they are all made. */
export interface SharingPrinter extends ProgressPrinter {
  /** Resolves once every link asked for is made or has failed; true when all were made. */
  settled(): Promise<boolean>;
}

/**
 * Makes each uploaded file's shared link before its `done` line or event is printed, so the
 * line carries it (`"sharedLink"` in --json). A link Box will not make is one line on stderr (or
 * a `share-failed` event) and the command exits 1; the upload itself stands.
 */
export function sharingPrinter(
  inner: ProgressPrinter,
  client: BoxClient,
  access: SharedLinkAccess,
  options: { json: boolean; out: NodeJS.WritableStream; err: NodeJS.WritableStream },
): SharingPrinter {
  const pending = new Set<Promise<boolean>>();
  let allMade = true;
  return {
    intervalMs: inner.intervalMs,
    changed(view: JobView) {
      if (view.state !== 'done' || view.fileId === undefined) return inner.changed(view);
      const making = client.createSharedLink(view.fileId, access).then(
        (link) => {
          inner.changed({ ...view, sharedLink: link.url });
          return true;
        },
        (error: Error) => {
          inner.changed(view);
          const message = `uploaded, but Box made no shared link for it: ${error.message}`;
          if (options.json) {
            const event = { event: 'share-failed', path: view.path, fileId: view.fileId, error: { message } };
            options.out.write(`${JSON.stringify(event)}\n`);
          } else options.err.write(`${printable(`hoist: ${view.path}: ${message}`)}\n`);
          return false;
        },
      );
      pending.add(making);
      void making.then((made) => {
        allMade &&= made;
        pending.delete(making);
      });
    },
    progress: (view, batch) => inner.progress(view, batch),
    tick: () => inner.tick(),
    close: () => inner.close(),
    async settled() {
      while (pending.size > 0) await Promise.all(pending);
      return allMade;
    },
  };
}
