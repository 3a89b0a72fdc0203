import { z } from 'zod';

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

const snapshotSchema = z.object({
  sizeBytes: z.number().int().nonnegative(),
  mtimeNs: z.string().regex(/^\d+$/),
  ctimeNs: z.string().regex(/^\d+$/),
  ino: z.string().regex(/^\d+$/),
  dev: z.string().regex(/^\d+$/),
});

const sessionSchema = z.object({
  id: z.string().min(1),
  endpoints: z.object({
    upload_part: z.url(),
    commit: z.url(),
    abort: z.url(),
    list_parts: z.url(),
    status: z.url(),
  }),
  partSizeBytes: z.number().int().positive(),
  totalParts: z.number().int().positive(),
  expiresAt: z.string(),
});

export const targetSchema = z.discriminatedUnion('kind', [
  /** The embedded localbox; its port changes between runs, so URLs are rebased on resume. */
  z.object({ kind: z.literal('embedded'), origin: z.url() }),
  z.object({ kind: z.literal('custom'), apiBaseUrl: z.url(), uploadBaseUrl: z.url() }),
]);

const sha1StateSchema = z.object({
  bytesHashed: z.number().int().nonnegative(),
  h: z.string().regex(/^[0-9a-f]{40}$/),
  pendingBase64: z.string(),
});

export const jobHeaderSchema = z.object({
  id: z.string().min(1),
  path: z.string().min(1),
  fileName: z.string().min(1),
  destination: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('folder'), folderId: z.string().min(1) }),
    z.object({ kind: z.literal('new-version'), fileId: z.string().min(1) }),
  ]),
  /** Absent in journals written before Hoist could resolve name conflicts: ask. */
  onNameConflict: z.enum(['ask', 'replace', 'keep-both']).optional(),
  folderPath: z.string().optional(),
  /** Absent in journals written before Hoist recorded it: the row shows no destination. */
  destinationPath: z.array(z.string()).optional(),
  sizeHintBytes: z.number().int().nonnegative().optional(),
  target: targetSchema,
  createdAtMs: z.number(),
  updatedAtMs: z.number(),
  snapshot: snapshotSchema.nullable(),
  session: sessionSchema.nullable(),
  sha1State: sha1StateSchema,
  /** For display before the server is asked; the server's list of parts is the truth. */
  confirmedParts: z.number().int().nonnegative(),
  confirmedBytes: z.number().int().nonnegative(),
  /** Whether the job should run when resumed (paused ones wait for a person). */
  state: z.enum(['active', 'paused', 'failed']),
  lastError: z
    .object({
      kind: z.string(),
      message: z.string(),
      detail: z.string().optional(),
      takenBy: z.enum(['file', 'folder']).optional(),
    })
    .optional(),
});

export type JobHeader = z.infer<typeof jobHeaderSchema>;
export type JournalTarget = z.infer<typeof targetSchema>;

export const partLineSchema = z.object({
  i: z.number().int().nonnegative(),
  part_id: z.string().min(1),
  offset: z.number().int().nonnegative(),
  size: z.number().int().positive(),
  sha1: z.string().regex(/^[0-9a-f]{40}$/),
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
