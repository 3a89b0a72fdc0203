import { join } from 'node:path';
import type { ParallelSetting } from '../../shared/settings-model.ts';
import { BoxClient, type BoxClientOptions } from '../box/box-client.ts';
import type { TokenSource } from '../box/token-source.ts';
import { JobJournal, type JournalWriteProblem } from '../engine/journal/job-journal.ts';
import type { JournalTarget } from '../engine/journal/journal-schema.ts';
import { JournalHold } from '../engine/journal/journal-hold.ts';
import { JournalStore } from '../engine/journal/journal-store.ts';
import { StateLock } from '../engine/journal/state-lock.ts';
import { UploadQueue } from '../engine/upload-queue.ts';
import type { NetworkWaitOptions } from '../engine/network-waiter.ts';
import type { LocalboxHandle } from '../localbox/localbox.ts';

/**
 * Where uploads go, as both the app (service-target.ts) and the CLI (cli-target.ts) open it:
 * the embedded localbox (embedded-target.ts) or a server with a credential for it.
 */
export interface UploadTarget {
  client: BoxClient;
  /** What to call it in messages: "the embedded localbox", "Embedded local Box", or the API host. */
  label: string;
  /** Set when uploads go to the embedded localbox. */
  localbox: LocalboxHandle | undefined;
  close(): Promise<void>;
}

/** A Box (or Box-compatible) server at these bases, with the credential given for it; labelled by its API host. */
export function serverTarget(
  urls: { apiBaseUrl: string; uploadBaseUrl: string },
  tokens: TokenSource,
  clientOptions: BoxClientOptions = {},
): UploadTarget {
  return {
    client: new BoxClient(urls, tokens, clientOptions),
    label: new URL(urls.apiBaseUrl).host,
    localbox: undefined,
    close: async () => undefined,
  };
}

/** How the journal names a target: the embedded localbox by its origin of this run (it moves each run). */
export function journalTargetOf(target: Pick<UploadTarget, 'client' | 'localbox'>): JournalTarget {
  return target.localbox
    ? { kind: 'embedded', origin: target.localbox.url }
    : {
        kind: 'custom',
        apiBaseUrl: target.client.target.apiBaseUrl,
        uploadBaseUrl: target.client.target.uploadBaseUrl,
      };
}

/**
 * Takes a state directory for this process: its lock (one process per journal, DESIGN.md
 * section 3), then its journal store. Throws StateLockedError when another process holds it.
 */
export function openStateDir(
  stateDir: string,
  /** The error to throw when the lock cannot be taken (the CLI words it for a terminal). */
  lockFailed: (error: unknown) => unknown = (error) => error,
): { lock: StateLock; store: JournalStore } {
  let lock: StateLock;
  try {
    lock = StateLock.acquire(stateDir);
  } catch (error) {
    throw lockFailed(error);
  }
  try {
    return { lock, store: JournalStore.open(join(stateDir, 'journal')) };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** What openUploads needs: the state directory's journal store, the target, and how the app or the CLI differ. */
export interface UploadsOptions {
  store: JournalStore;
  target: UploadTarget;
  /** 'all' (the app shows failed jobs until removed) or 'resumable' (the CLI). */
  keepFailed: 'all' | 'resumable';
  parallel: ParallelSetting;
  network?: NetworkWaitOptions;
  /** A sentence for the person (the journal cannot be written, or can again). */
  warn(message: string): void;
  /** Told once per failed journal write episode, before uploads are held (for a log). */
  onWriteFailed?: (problem: JournalWriteProblem) => void;
  retryWriteMs?: number;
}

/** One target's journal and queue, restored jobs not yet taken in (see `journal.restore()`). */
export interface Uploads {
  target: UploadTarget;
  journal: JobJournal;
  queue: UploadQueue;
  /** Holds uploads while the journal cannot be written (a full disk). */
  hold: JournalHold;
  /** Stops uploads so they resume later, waits for session aborts, writes the journal, closes the target. */
  close(): Promise<void>;
}

/**
 * The composition the app (UploadService) and the CLI (openCliSession) share: a journal for the
 * target over the state directory's store, a queue that reports to it, and the hold that pauses
 * uploads while the journal cannot be written. A record the journal drops while its session is
 * open on the server (the CLI drops failures a retry cannot fix) has that session aborted.
 */
export function openUploads(options: UploadsOptions): Uploads {
  const { target } = options;
  const aborts = new Set<Promise<void>>();
  const hold = new JournalHold(options.warn);
  const journal = new JobJournal(options.store, {
    target: journalTargetOf(target),
    keepFailed: options.keepFailed,
    onWriteFailed: (problem) => {
      options.onWriteFailed?.(problem);
      hold.failed(problem);
    },
    onWriteRecovered: hold.recovered,
    ...(options.retryWriteMs ? { retryWriteMs: options.retryWriteMs } : {}),
    abortSession: (url) => {
      const abort = target.client.abortUploadSession(url).catch(() => undefined); // gone already: fine
      aborts.add(abort);
      void abort.finally(() => aborts.delete(abort));
    },
  });
  const queue = new UploadQueue({
    client: target.client,
    parallel: options.parallel,
    ...(options.network ? { network: options.network } : {}),
    hooks: journal,
  });
  hold.attach(queue);
  return {
    target,
    journal,
    queue,
    hold,
    async close() {
      await queue.shutdown();
      await Promise.all([...aborts]);
      journal.close();
      queue.removeAllListeners();
      await target.close();
    },
  };
}
