import { join } from 'node:path';
import { loopbackOrigin } from '../../shared/box-urls.ts';
import type { JobView } from '../../shared/job-model.ts';
import type { HistoryPage, SharedLink, UploadRecord } from '../../shared/share-model.ts';
import type { CurrentUploads } from './current-uploads.ts';
import type { ServiceEmitter } from './service-options.ts';
import type { SettingsStore } from './settings-store.ts';
import { copiedNotice, ShareActions, type SharePorts } from './share-actions.ts';
import { UploadHistory } from './upload-history.ts';

/** What RecentUploads needs of the service around it. */
export interface RecentUploadsContext {
  /** The history file lives here (the app's userData). */
  stateDir: string;
  settings: SettingsStore;
  current: CurrentUploads;
  events: ServiceEmitter;
}

/**
 * Finished uploads and what the person does with them: the recent-uploads history (the last
 * 1,000, apart from the queue, see upload-history.ts), "Open on Box" and "Copy shared link" for a
 * done row or a history entry (share-actions.ts).
 */
export class RecentUploads {
  readonly #history: UploadHistory;
  readonly #share: ShareActions;
  readonly #context: RecentUploadsContext;

  constructor(context: RecentUploadsContext) {
    const { settings, current, events } = context;
    this.#context = context;
    this.#history = UploadHistory.open(join(context.stateDir, 'history.json'), {
      onChange: () => events.emit('history'),
    });
    this.#share = new ShareActions({
      history: this.#history,
      target: () => {
        const target = current.target();
        return {
          setting: settings.read().target,
          label: target.label,
          client: target.client,
          localOrigin: target.localbox?.url ?? loopbackOrigin(target.client.target.apiBaseUrl),
        };
      },
      finished: (id) => this.#finished(id),
      access: () => settings.read().sharedLinkAccess,
    });
  }

  /** Why the history file could not be read at start, if it could not (a notice at start). */
  get problem(): string | undefined {
    return this.#history.problem;
  }

  /** A job changed: one now done joins the history. */
  jobChanged(view: JobView): void {
    const finished = this.#uploadRecord(view);
    if (finished) this.#history.record(finished);
  }

  /** A finished upload by job id: from the history, or a done row whose entry was cleared from it. */
  #finished(id: string): UploadRecord | undefined {
    return this.#history.get(id) ?? this.#uploadRecord(this.#context.current.queue().get(id)?.view());
  }

  /** A done job as the history keeps it; undefined for a job not done. */
  #uploadRecord(view: JobView | undefined): UploadRecord | undefined {
    if (view?.state !== 'done' || view.fileId === undefined) return undefined;
    const { settings, current } = this.#context;
    const { destination, target } = settings.read(); // read once: a copy of every setting each time
    const record = current.queue().get(view.id)?.record.destination;
    // Jobs from journals written before Hoist recorded destinationPath: known when it is the chosen folder.
    const folderPath =
      view.destinationPath?.join('/') ??
      (record?.kind === 'folder' && record.folderId === destination.folderId && !view.folderPath
        ? destination.names.join('/')
        : undefined);
    return {
      id: view.id,
      fileName: view.fileName,
      sizeBytes: view.totals.sizeBytes,
      uploadedAtMs: Date.now(),
      serverLabel: current.target().label,
      target,
      ...(folderPath ? { folderPath } : {}),
      fileId: view.fileId,
    };
  }

  /** The recent uploads, newest first; `query` filters by name, folder or server. */
  list(request: { query?: string | undefined }): HistoryPage {
    return this.#history.list(request);
  }

  /** Forgets every recent upload (the files stay on Box). */
  clear(): void {
    this.#history.clear();
  }

  /** "Open on Box" for a done row or a recent upload (by job id). */
  openOnBox(id: string, ports: SharePorts): Promise<void> {
    return this.#share.openOnBox(id, ports);
  }

  /** "Copy shared link": makes the link (the access in Settings), copies it, and says so in a notice. */
  async copySharedLink(id: string, ports: SharePorts): Promise<SharedLink> {
    const link = await this.#share.copySharedLink(id, ports);
    const upload = this.#finished(id);
    this.#context.events.emit('notice', {
      level: 'info',
      message: copiedNotice(upload ?? { fileName: 'the file' }, link),
    });
    return link;
  }

  /** Writes the history now (at shutdown) rather than at the next coalesced write. */
  flush(): void {
    this.#history.flush();
  }
}
