import { LocalboxError, notFound, badRequest } from './localbox-error.ts';
import type { BoxAnswers } from './box-answers.ts';
import type { FaultPlan } from './faults.ts';
import type { ItemStore } from './item-store.ts';
import type { LocalboxStats } from './localbox-stats.ts';
import type { PartSizeRule } from './part-size-rule.ts';
import type { SessionStore, UploadSession } from './session-store.ts';

export interface ResolvedLocalboxOptions {
  latencyMs: number;
  connBandwidthBytesPerSec: number | undefined;
  partSizeRule: PartSizeRule;
  sessionLifetimeMs: number;
  maxFileSizeBytes: number;
  maxDirectUploadBytes: number;
  conflictsAsArray: boolean;
  uploadRequestsPerMinute: number | undefined;
}

/** Everything a route handler needs. */
export interface LocalboxContext {
  readonly dataDir: string;
  readonly items: ItemStore;
  readonly sessions: SessionStore;
  readonly faults: FaultPlan;
  readonly stats: LocalboxStats;
  readonly options: ResolvedLocalboxOptions;
  /** The bearer token accepted now; tests may rotate it. */
  token: string;
  /** How to answer where Box's answer is not documented (box-answers.ts); tests switch them. */
  answers: BoxAnswers;
}

const SESSION_ID = /^[0-9A-F]{32}$/;

/** Looks up a session a client may still use: 400 malformed id, 404 unknown or aborted, 410 expired. */
export function usableSession(context: LocalboxContext, id: string | undefined): UploadSession {
  if (id === undefined || !SESSION_ID.test(id)) {
    throw badRequest(`Upload session id "${String(id).slice(0, 40)}" is malformed`, 'invalid_upload_session_id');
  }
  const session = context.sessions.get(id);
  if (!session || session.record.state === 'aborted') throw notFound('Upload session not found');
  if (session.record.state === 'open' && session.isExpired()) {
    throw new LocalboxError(410, 'session_expired', 'The upload session has expired');
  }
  return session;
}

export function conflictInfo(context: LocalboxContext, conflict: Record<string, unknown>, asArray: boolean) {
  return { conflicts: asArray || context.options.conflictsAsArray ? [conflict] : conflict };
}
