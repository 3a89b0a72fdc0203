// zod/mini (the same validation as `zod`, as functions): the CLI loads this on every upload,
// and bundled it costs ~10 ms of CPU to load where zod's full API costs ~100 ms.
import * as z from 'zod/mini';

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

export type JobHeader = z.infer<typeof jobHeaderSchema>;
export type JournalTarget = z.infer<typeof targetSchema>;

export const partLineSchema = z.object({
  i: count(),
  part_id: nonEmpty(),
  offset: count(),
  size: z.int().check(z.positive()),
  sha1: sha1Hex(),
});

export type PartLine = z.infer<typeof partLineSchema>;

export interface JournalFileV2 {
  schemaVersion: 2;
  jobs: Record<string, unknown>;
}

/** A v1 record: the same fields, with its parts inline. */
interface JobRecordV1 extends Record<string, unknown> {
  id: string;
  parts?: Array<{ part_id: string; offset: number; size: number; sha1: string }>;
}

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
