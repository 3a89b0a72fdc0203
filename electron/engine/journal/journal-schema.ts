// zod/mini (the same validation as `zod`, as functions): the CLI loads this on every upload,
// and bundled it costs ~10 ms of CPU to load where zod's full API costs ~100 ms.
import * as z from 'zod/mini';
import { parseStoredPart, storedPartToWire, type StoredPart, type UploadSession } from '../../box/box-types.ts';

/**
 * What the journal persists for each unfinished job (DESIGN.md section 3). Never a token.
 *
 * Schema history:
 *   v1  the journal's first layout: one JSON file, each record carrying its confirmed parts
 *       inline, so every write grew with the number of parts. Replaced before release; kept
 *       here as the migration path (and it exercises the mechanism).
 *   v2  records carry only counts; confirmed parts go to an append-only log per job, so the
 *       cost per confirmed part is O(1).
 */
export const JOURNAL_SCHEMA_VERSION = 2;

const count = () => z.int().check(z.nonnegative());
const digits = () => z.string().check(z.regex(/^\d+$/));
const nonEmpty = () => z.string().check(z.minLength(1));
const sha1Hex = () => z.string().check(z.regex(/^[0-9a-f]{40}$/));

const snapshotSchema = z.object({
  sizeBytes: count(),
  mtimeNs: digits(),
  ctimeNs: digits(),
  ino: digits(),
  dev: digits(),
});

/** A session's endpoints keep Box's names on disk: every journal written so far has them. */
const sessionSchema = z.object({
  id: nonEmpty(),
  endpoints: z.object({
    upload_part: z.url(),
    commit: z.url(),
    abort: z.url(),
    list_parts: z.url(),
    status: z.url(),
  }),
  partSizeBytes: z.int().check(z.positive()),
  totalParts: z.int().check(z.positive()),
  expiresAt: z.string(),
});

/** The server a job uploads to, as the journal stores it. */
export const targetSchema = z.discriminatedUnion('kind', [
  /** The embedded localbox; its port changes between runs, so URLs are rebased on resume. */
  z.object({ kind: z.literal('embedded'), origin: z.url() }),
  z.object({ kind: z.literal('custom'), apiBaseUrl: z.url(), uploadBaseUrl: z.url() }),
]);

const sha1StateSchema = z.object({
  bytesHashed: count(),
  h: sha1Hex(),
  pendingBase64: z.string(),
});

/** One job's record as stored; a record that does not match is set aside, the rest load. */
export const jobHeaderSchema = z.object({
  id: nonEmpty(),
  path: nonEmpty(),
  fileName: nonEmpty(),
  destination: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('folder'), folderId: nonEmpty() }),
    z.object({ kind: z.literal('new-version'), fileId: nonEmpty() }),
  ]),
  /** Absent in journals written before Hoist could resolve name conflicts: ask. */
  onNameConflict: z.optional(z.enum(['ask', 'replace', 'keep-both'])),
  folderPath: z.optional(z.string()),
  /** Absent in journals written before Hoist recorded it: the row shows no destination. */
  destinationPath: z.optional(z.array(z.string())),
  sizeHintBytes: z.optional(z.number().check(z.int(), z.nonnegative())),
  target: targetSchema,
  createdAtMs: z.number(),
  updatedAtMs: z.number(),
  snapshot: z.nullable(snapshotSchema),
  session: z.nullable(sessionSchema),
  sha1State: sha1StateSchema,
  /** For display before the server is asked; the server's list of parts is the truth. */
  confirmedParts: count(),
  confirmedBytes: count(),
  /** Whether the job should run when resumed (paused ones wait for a person). */
  state: z.enum(['active', 'paused', 'failed']),
  lastError: z.optional(
    z.object({
      kind: z.string(),
      message: z.string(),
      detail: z.optional(z.string()),
      takenBy: z.optional(z.enum(['file', 'folder'])),
    }),
  ),
});

/** One job's record in the journal file, as stored. */
export type JobHeader = z.infer<typeof jobHeaderSchema>;
/** The server a journal's jobs upload to. */
export type JournalTarget = z.infer<typeof targetSchema>;
/** An upload session as the journal stores it. */
export type JournalSession = z.infer<typeof sessionSchema>;

/** One confirmed part in a job's part log: its index, then Box's UploadPart fields by Box's names. */
export const partLineSchema = z.object({
  i: count(),
  part_id: nonEmpty(),
  offset: count(),
  size: z.int().check(z.positive()),
  sha1: sha1Hex(),
});

/** One line of a job's part log, as stored. */
export type PartLine = z.infer<typeof partLineSchema>;

// The journal's edge. Sessions and parts are stored in the shapes every journal on users' disks
// already has (Box's names for the endpoints and the part fields); these convert them to and
// from the engine's types, so nothing else in Hoist sees the stored names.

/** A session in its stored shape. */
export function sessionToJournal(session: UploadSession): JournalSession {
  const { endpoints } = session;
  return {
    id: session.id,
    endpoints: {
      upload_part: endpoints.uploadPart,
      commit: endpoints.commit,
      abort: endpoints.abort,
      list_parts: endpoints.listParts,
      status: endpoints.status,
    },
    partSizeBytes: session.partSizeBytes,
    totalParts: session.totalParts,
    expiresAt: session.expiresAt,
  };
}

/** A stored session for the engine. How many parts Box processed is not kept: resume asks Box. */
export function sessionFromJournal(saved: JournalSession): UploadSession {
  const { endpoints } = saved;
  return {
    id: saved.id,
    expiresAt: saved.expiresAt,
    partSizeBytes: saved.partSizeBytes,
    totalParts: saved.totalParts,
    partsProcessed: 0,
    endpoints: {
      uploadPart: endpoints.upload_part,
      commit: endpoints.commit,
      abort: endpoints.abort,
      listParts: endpoints.list_parts,
      status: endpoints.status,
    },
  };
}

/** A confirmed part as a part-log line: its index, then the part as Box's commit takes it. */
export function partToLine(index: number, part: StoredPart): PartLine {
  return { i: index, ...storedPartToWire(part) };
}

/** A part-log line as the part's index and the part, read as Box's answer is (box-types.ts). */
export function partFromLine(line: PartLine): [number, StoredPart] {
  return [line.i, parseStoredPart(line)];
}

/** The journal file: the schema version and the jobs' records by id. */
export interface JournalFileV2 {
  schemaVersion: 2;
  jobs: Record<string, unknown>;
}

/** A v1 record: the same fields, with its parts inline. */
interface JobRecordV1 extends Record<string, unknown> {
  id: string;
  parts?: Array<{ part_id: string; offset: number; size: number; sha1: string }>;
}

/** A journal file brought to the current version. */
export interface Migrated {
  file: JournalFileV2;
  /** Part logs the migration moved out of v1 records, to be written beside the journal. */
  partLogs: Map<string, PartLine[]>;
}

/** Brings a journal file of any known version to the current one. */
export function migrateJournal(raw: unknown): Migrated {
  const file = raw as { schemaVersion?: unknown; version?: unknown; jobs?: unknown };
  const partLogs = new Map<string, PartLine[]>();
  if (file.schemaVersion === JOURNAL_SCHEMA_VERSION) return { file: raw as JournalFileV2, partLogs };
  if (file.version === 1 && Array.isArray(file.jobs)) {
    const jobs: Record<string, unknown> = {};
    for (const record of file.jobs as JobRecordV1[]) {
      const { parts = [], ...header } = record;
      const session = header['session'] as { partSizeBytes?: number } | null | undefined;
      const partSize = session?.partSizeBytes ?? 1;
      partLogs.set(
        String(record.id),
        parts.map((part) => ({ i: Math.floor(part.offset / partSize), ...part })),
      );
      jobs[String(record.id)] = {
        ...header,
        confirmedParts: parts.length,
        confirmedBytes: parts.reduce((sum, part) => sum + part.size, 0),
      };
    }
    return { file: { schemaVersion: JOURNAL_SCHEMA_VERSION, jobs }, partLogs };
  }
  throw new Error(`unknown journal format (schemaVersion ${String(file.schemaVersion ?? file.version)})`);
}
