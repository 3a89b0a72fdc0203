import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../../shared/file-modes.ts';
import {
  HISTORY_MAX_ENTRIES,
  isSharedLinkAccess,
  type HistoryPage,
  type SharedLink,
  type UploadRecord,
} from '../../shared/share-model.ts';

/**
 * The recent-uploads history: the last 1,000 finished uploads, newest first, kept in one JSON file
 * in the app's state directory. It is written apart from the journal and the queue, so a done
 * row cleared from the queue stays here. Writes are atomic (temp file, fsync, rename) and
 * coalesced: a folder of 10,000 files finishing costs a write a second, not 10,000.
 */
export class UploadHistory {
  readonly #path: string;
  readonly #writeDelayMs: number;
  readonly #onChange: () => void;
  /** Newest first. */
  #entries: UploadRecord[];
  /**
   * Each id's first (newest) entry: finding whether a job is already there cost a scan of the
   * 1,000 entries for every upload finishing, thousands of times for a folder.
   */
  readonly #byId = new Map<string, UploadRecord>();
  #timer: NodeJS.Timeout | undefined;
  /** Why the file on disk could not be read at start, if it could not. */
  readonly problem: string | undefined;

  private constructor(path: string, entries: UploadRecord[], problem: string | undefined, options: HistoryOptions) {
    this.#path = path;
    this.#entries = entries;
    for (let index = entries.length - 1; index >= 0; index--) this.#byId.set(entries[index]!.id, entries[index]!);
    this.problem = problem;
    this.#writeDelayMs = options.writeDelayMs ?? 1000;
    this.#onChange = options.onChange ?? (() => undefined);
  }

  /** Reads the history at `path`; a missing file is an empty history, an unreadable one is set aside. */
  static open(path: string, options: HistoryOptions = {}): UploadHistory {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      return new UploadHistory(path, [], missing ? undefined : `Hoist cannot read ${path}`, options);
    }
    try {
      const stored = JSON.parse(text) as { entries?: unknown };
      const entries = Array.isArray(stored.entries) ? stored.entries.filter(isUploadRecord) : [];
      return new UploadHistory(path, entries.slice(0, HISTORY_MAX_ENTRIES), undefined, options);
    } catch {
      renameSync(path, `${path}.unreadable`);
      return new UploadHistory(
        path,
        [],
        `The recent-uploads history (${path}) was unreadable; it was kept as ${path}.unreadable and a new one started`,
        options,
      );
    }
  }

  get size(): number {
    return this.#entries.length;
  }

  get(id: string): UploadRecord | undefined {
    return this.#byId.get(id);
  }

  /** Adds a finished upload as the newest; the same job again replaces its entry (keeping its link). */
  record(entry: UploadRecord): void {
    const earlier = this.get(entry.id);
    const kept = earlier?.sharedLink && earlier.fileId === entry.fileId ? { sharedLink: earlier.sharedLink } : {};
    // In place, and a scan only for a job already there: with thousands of files finishing,
    // copying and filtering the 1,000 entries for each one cost more than the rest of the bookkeeping.
    if (earlier) this.#entries = this.#entries.filter((each) => each.id !== entry.id);
    const added = { ...entry, ...kept };
    this.#entries.unshift(added);
    this.#byId.set(added.id, added);
    for (const dropped of this.#entries.splice(HISTORY_MAX_ENTRIES)) {
      if (this.#byId.get(dropped.id) === dropped) this.#byId.delete(dropped.id);
    }
    this.#changed();
  }

  /** Keeps the link made for an entry. */
  setLink(id: string, link: SharedLink): void {
    this.amend(id, { sharedLink: link });
  }

  /** Adds what was learnt about an entry later (where it went, its link); its place stays. */
  amend(id: string, patch: Pick<Partial<UploadRecord>, 'folderPath' | 'sharedLink'>): void {
    const index = this.#entries.findIndex((entry) => entry.id === id);
    if (index < 0) return;
    const amended = { ...this.#entries[index]!, ...patch };
    this.#entries[index] = amended;
    this.#byId.set(id, amended); // the first entry with the id, as findIndex found it
    this.#changed();
  }

  /**
   * Newest first. `query` matches, ignoring case, the name, the folder on Box or the server; words
   * separated by spaces must all match.
   */
  list(request: { query?: string | undefined; offset?: number; limit?: number } = {}): HistoryPage {
    const words = (request.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const matching =
      words.length === 0
        ? this.#entries
        : this.#entries.filter((entry) => {
            const text = `${entry.fileName}\n${entry.folderPath ?? ''}\n${entry.serverLabel}`.toLowerCase();
            return words.every((word) => text.includes(word));
          });
    const offset = request.offset ?? 0;
    return {
      entries: matching.slice(offset, offset + (request.limit ?? HISTORY_MAX_ENTRIES)),
      totalCount: matching.length,
    };
  }

  clear(): void {
    this.#entries = [];
    this.#byId.clear();
    this.#changed();
  }

  /** Writes pending changes now (at shutdown). */
  flush(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#write();
  }

  #changed(): void {
    this.#onChange();
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#write();
    }, this.#writeDelayMs);
    this.#timer.unref();
  }

  #write(): void {
    const temporary = `${this.#path}.tmp`;
    try {
      writeFileSync(temporary, JSON.stringify({ version: 1, entries: this.#entries }), { mode: PRIVATE_FILE_MODE });
      const fd = openSync(temporary, 'r');
      fsyncSync(fd);
      closeSync(fd);
      renameSync(temporary, this.#path);
    } catch {
      // A full disk: the history is a convenience; the next change tries again.
    }
  }
}

/** How UploadHistory.open's history writes and reports changes. */
export interface HistoryOptions {
  /** How long changes gather before one write; default 1 s. */
  writeDelayMs?: number;
  /** Called on every change (the service tells the window). */
  onChange?: () => void;
}

const isText = (value: unknown): value is string => typeof value === 'string';
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** An entry as written by this version; anything else in the file is dropped. */
function isUploadRecord(value: unknown): value is UploadRecord {
  const entry = value as Partial<UploadRecord> | null;
  if (typeof entry !== 'object' || entry === null) return false;
  const link = entry.sharedLink;
  return (
    isText(entry.id) &&
    isText(entry.fileName) &&
    isCount(entry.sizeBytes) &&
    isCount(entry.uploadedAtMs) &&
    isText(entry.serverLabel) &&
    isText(entry.fileId) &&
    (entry.folderPath === undefined || isText(entry.folderPath)) &&
    (entry.target?.kind === 'embedded' ||
      (entry.target?.kind === 'custom' && isText(entry.target.apiBaseUrl) && isText(entry.target.uploadBaseUrl))) &&
    (link === undefined ||
      (isText(link.url) && isSharedLinkAccess(link.access) && isSharedLinkAccess(link.effectiveAccess)))
  );
}
