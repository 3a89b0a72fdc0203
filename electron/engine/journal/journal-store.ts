import {
  appendFileSync,
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../../shared/file-modes.ts';
import {
  JOURNAL_SCHEMA_VERSION,
  jobHeaderSchema,
  migrateJournal,
  partLineSchema,
  type JobHeader,
  type JournalFileV2,
  type PartLine,
} from './journal-schema.ts';

/** Something wrong with the journal that Hoist worked around; reported, never fatal. */
export interface JournalProblem {
  message: string;
  /** Where the unreadable data was kept for inspection. */
  setAsidePath?: string;
}

const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-');

const RECORD_SEPARATOR = Buffer.from(',\n');

/** Whether a JS object orders this key before the others, as an array index (0 to 2³² − 2). */
const isArrayIndex = (key: string): boolean => /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;

/** Writes a file so a crash leaves the old or the new content: temp, fsync, rename. */
function writeFileAtomic(path: string, text: string | Buffer): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, text, { mode: PRIVATE_FILE_MODE });
  const fd = openSync(temporary, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temporary, path);
}

/**
 * The journal on disk: `jobs.json` (written atomically: temp file, fsync, rename) with one record per unfinished
 * job, and `parts/<job>.log`, an append-only log of confirmed parts. A corrupt or truncated
 * journal is set aside (kept for inspection) and reported, and Hoist starts anyway.
 */
export class JournalStore {
  readonly dir: string;
  readonly problems: JournalProblem[] = [];
  readonly #headers = new Map<string, JobHeader>();
  /**
   * Each record's bytes in jobs.json, kept until the record changes: every write rewrites the whole
   * file, and with thousands of jobs (a folder drop) serializing every unchanged record again at
   * each write cost more than the write itself. Bytes rather than strings: joining thousands of
   * strings into one and encoding it cost about as much again as the serializing.
   */
  readonly #texts = new Map<string, { bytes: Buffer; arrayIndex: boolean }>();

  private constructor(dir: string) {
    this.dir = dir;
  }

  static open(dir: string): JournalStore {
    // Paths and progress of the person's uploads: theirs alone, also when made by an older version.
    mkdirSync(join(dir, 'parts'), { recursive: true, mode: PRIVATE_DIR_MODE });
    for (const path of [dir, join(dir, 'parts')]) chmodSync(path, PRIVATE_DIR_MODE);
    const path = join(dir, 'jobs.json');
    const problems: JournalProblem[] = [];
    let migrated: ReturnType<typeof migrateJournal> | undefined;
    if (existsSync(path)) {
      try {
        migrated = migrateJournal(JSON.parse(readFileSync(path, 'utf8')));
      } catch (error) {
        const setAsidePath = join(dir, `jobs.corrupt-${stamp()}.json`);
        renameSync(path, setAsidePath);
        problems.push({
          message: `the journal could not be read (${(error as Error).message}); unfinished uploads in it cannot be resumed`,
          setAsidePath,
        });
      }
    }
    // No file yet: nothing is written until there is a job to record (the first write creates it).
    const store = new JournalStore(dir);
    store.problems.push(...problems);
    if (migrated) {
      for (const [jobId, lines] of migrated.partLogs) store.resetParts(jobId, lines);
      store.#load(migrated.file);
      if (migrated.partLogs.size > 0) store.#save();
    }
    return store;
  }

  #load(file: JournalFileV2): void {
    const rejected: Record<string, unknown> = {};
    for (const [id, raw] of Object.entries(file.jobs)) {
      const parsed = jobHeaderSchema.safeParse(raw);
      if (parsed.success) this.#headers.set(id, parsed.data);
      else rejected[id] = raw;
    }
    if (Object.keys(rejected).length > 0) {
      const setAsidePath = join(this.dir, `jobs.rejected-${stamp()}.json`);
      writeFileSync(setAsidePath, JSON.stringify(rejected, null, 2), { mode: PRIVATE_FILE_MODE });
      this.problems.push({
        message: `${Object.keys(rejected).length} journal record(s) were invalid and set aside`,
        setAsidePath,
      });
      this.#save();
    }
  }

  headers(): JobHeader[] {
    return [...this.#headers.values()];
  }

  /** Writes changed records and forgets removed ones in one atomic write. */
  write(changed: Iterable<JobHeader>, removed: Iterable<string> = []): void {
    for (const header of changed) {
      this.#headers.set(header.id, header);
      this.#texts.delete(header.id);
    }
    for (const id of removed) {
      this.#headers.delete(id);
      this.#texts.delete(id);
      rmSync(this.#partLog(id), { force: true });
    }
    this.#save();
  }

  /**
   * The whole file, atomically. Written by hand rather than through `conf` (which the journal used
   * before): conf and its JSON-schema validator (ajv) cost a CLI upload ~0.1 s of CPU to load, and
   * the records are validated with zod on reading anyway; what is left is the temp-fsync-rename
   * this file already does for part logs.
   */
  #save(): void {
    writeFileAtomic(join(this.dir, 'jobs.json'), this.#fileBytes());
  }

  /**
   * The bytes of JSON.stringify(file, undefined, '\t'), put together from each record's bytes
   * (serialized once per change), in the order the object's keys would have: ids that are array
   * indices first, in numeric order, then the others as added.
   */
  #fileBytes(): Buffer {
    const indexed: Array<[number, Buffer]> = [];
    const named: Buffer[] = [];
    for (const [id, header] of this.#headers) {
      let cached = this.#texts.get(id);
      if (cached === undefined) {
        const text = `\t\t${JSON.stringify(id)}: ${JSON.stringify(header, undefined, '\t').replaceAll('\n', '\n\t\t')}`;
        cached = { bytes: Buffer.from(text), arrayIndex: isArrayIndex(id) };
        this.#texts.set(id, cached);
      }
      if (cached.arrayIndex) indexed.push([Number(id), cached.bytes]);
      else named.push(cached.bytes);
    }
    indexed.sort(([a], [b]) => a - b);
    const records = [...indexed.map(([, bytes]) => bytes), ...named];
    const head = `{\n\t"schemaVersion": ${JSON.stringify(JOURNAL_SCHEMA_VERSION)},\n\t"jobs": `;
    if (records.length === 0) return Buffer.from(`${head}{}\n}`);
    const parts: Buffer[] = [Buffer.from(`${head}{\n`)];
    for (const bytes of records) {
      if (parts.length > 1) parts.push(RECORD_SEPARATOR);
      parts.push(bytes);
    }
    parts.push(Buffer.from('\n\t}\n}'));
    return Buffer.concat(parts);
  }

  #partLog(jobId: string): string {
    return join(this.dir, 'parts', `${jobId.replace(/[^A-Za-z0-9-]/g, '_')}.log`);
  }

  /** Appends confirmed parts: O(1) per part, flushed to disk before returning. */
  appendParts(jobId: string, lines: readonly PartLine[]): void {
    if (lines.length === 0) return;
    const fd = openSync(this.#partLog(jobId), 'a', PRIVATE_FILE_MODE);
    try {
      appendFileSync(fd, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Replaces a job's part log (its session changed). */
  resetParts(jobId: string, lines: readonly PartLine[]): void {
    writeFileAtomic(this.#partLog(jobId), lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  }

  /** The confirmed parts logged for a job. A torn last line (a crash mid-append) is ignored. */
  readParts(jobId: string): PartLine[] {
    let text: string;
    try {
      text = readFileSync(this.#partLog(jobId), 'utf8');
    } catch {
      return [];
    }
    // The last piece is either empty (the log ends with a newline) or a line torn by a crash.
    const complete = text.split('\n').slice(0, -1);
    const parts: PartLine[] = [];
    let bad = 0;
    for (const line of complete) {
      try {
        parts.push(partLineSchema.parse(JSON.parse(line)));
      } catch {
        bad += 1;
      }
    }
    if (bad > 0)
      this.problems.push({ message: `${bad} line(s) of the part log of job ${jobId} were unreadable and ignored` });
    return parts;
  }
}
