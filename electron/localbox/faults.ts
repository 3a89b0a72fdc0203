/**
 * Faults localbox injects on request, for tests. A rule lets `skip` matching requests through,
 * then applies its action to the next `times` of them.
 *
 * Injected from code (`localbox.faults.add(rule)`) or over HTTP with the server's own token
 * (`POST /_localbox/faults` with the rule as JSON), so a localbox in another process can be
 * driven too. See README.md, "localbox".
 */
export type FaultOperation =
  | 'create-session'
  | 'upload-part'
  | 'list-parts'
  | 'get-session'
  | 'commit'
  | 'abort'
  | 'direct-upload'
  | 'preflight'
  | 'get-file'
  /** PUT /2.0/files/{id}: shared links. */
  | 'update-file'
  /** POST /2.0/folders. */
  | 'create-folder'
  /** The OAuth token endpoint, POST /oauth2/token. */
  | 'token'
  | 'any';

export type FaultAction =
  /** Answer with this status and a Box error body (e.g. 503 + retry-after, 429, 500). */
  | { kind: 'status'; status: number; code?: string; retryAfterSeconds?: number }
  /** Do the work (store the part, commit), then drop the connection without answering. */
  | { kind: 'lose-response' }
  /** Drop the connection after receiving this many body bytes; nothing is stored. */
  | { kind: 'reset-mid-body'; afterBytes: number }
  /**
   * Commit only: answer 202 Accepted with retry-after, as Box does while parts settle. Box's spec
   * says only that the parts are not processed yet; whether Box then finishes the commit on its
   * own is undocumented, so `commits: true` commits the session anyway (the re-sent commit meets
   * the `commitReplay` answer of box-answers.ts).
   */
  | { kind: 'accepted'; retryAfterSeconds: number; commits?: boolean }
  /** Commit only: answer 400 parts_mismatch, as Box does right after the last part (rclone). */
  | { kind: 'parts-mismatch' }
  /**
   * Create-session only: answer as Box answers a replayed create (box-ui-elements reads it):
   * 409 session_conflict naming the session an earlier create of the same file made (made now if
   * there is none) in `context_info.session`; `expired` makes that session unusable first.
   */
  | { kind: 'session-conflict'; expired?: boolean }
  /**
   * Upload-part only: answer 200 with the part as if stored, but store nothing, so the commit
   * meets parts_mismatch and list-parts lacks it (the client must re-send what Box does not have).
   */
  | { kind: 'answer-without-storing' }
  /**
   * The request is served as usual, but an error it meets is answered without `context_info`:
   * Box's spec types some 409s (commit's) as a plain ClientError, with no `conflicts` to name the
   * item holding the name.
   */
  | { kind: 'no-context-info' };

export interface FaultRule {
  on: FaultOperation;
  action: FaultAction;
  /** Matching requests to let through first (so `skip: 2` hits the 3rd). Default 0. */
  skip?: number;
  /** How many requests the action hits. Default 1. */
  times?: number;
}

const OPERATIONS = new Set<FaultOperation>([
  'create-session',
  'upload-part',
  'list-parts',
  'get-session',
  'commit',
  'abort',
  'direct-upload',
  'preflight',
  'get-file',
  'update-file',
  'create-folder',
  'token',
  'any',
]);

/** Checks a rule that arrived as JSON; returns a sentence saying what is wrong, or undefined. */
export function checkFaultRule(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'a fault rule must be a JSON object';
  const rule = value as Record<string, unknown>;
  if (!OPERATIONS.has(rule['on'] as FaultOperation)) return `"on" must be one of ${[...OPERATIONS].join(', ')}`;
  for (const key of ['skip', 'times'] as const) {
    if (rule[key] !== undefined && !(Number.isSafeInteger(rule[key]) && (rule[key] as number) >= 0)) {
      return `"${key}" must be a whole number`;
    }
  }
  const action = rule['action'] as Record<string, unknown> | undefined;
  switch (action?.['kind']) {
    case 'status':
      return Number.isInteger(action['status']) &&
        (action['status'] as number) >= 400 &&
        (action['status'] as number) < 600
        ? undefined
        : '"action.status" must be an HTTP error status';
    case 'reset-mid-body':
      return Number.isSafeInteger(action['afterBytes']) ? undefined : '"action.afterBytes" must be a whole number';
    case 'accepted':
      if (!Number.isFinite(action['retryAfterSeconds'])) return '"action.retryAfterSeconds" must be a number';
      return action['commits'] === undefined || typeof action['commits'] === 'boolean'
        ? undefined
        : '"action.commits" must be true or false';
    case 'session-conflict':
      return action['expired'] === undefined || typeof action['expired'] === 'boolean'
        ? undefined
        : '"action.expired" must be true or false';
    case 'lose-response':
    case 'parts-mismatch':
    case 'answer-without-storing':
    case 'no-context-info':
      return undefined;
    default:
      return '"action.kind" must be status, lose-response, reset-mid-body, accepted, parts-mismatch, session-conflict, answer-without-storing or no-context-info';
  }
}

interface ActiveRule {
  rule: FaultRule;
  skipLeft: number;
  timesLeft: number;
}

export class FaultPlan {
  #rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    this.#rules.push({ rule, skipLeft: rule.skip ?? 0, timesLeft: rule.times ?? 1 });
  }

  clear(): void {
    this.#rules = [];
  }

  /**
   * The action to apply to this request, if a rule claims it. Every rule counts the matching
   * requests since it was added, so `skip: 2` always means the 3rd; when two rules are due at
   * once, the one added first takes this request and the other the next.
   */
  take(operation: FaultOperation): FaultAction | undefined {
    let chosen: ActiveRule | undefined;
    for (const active of this.#rules) {
      if (active.rule.on !== operation && active.rule.on !== 'any') continue;
      if (active.skipLeft > 0) active.skipLeft -= 1;
      else chosen ??= active;
    }
    if (!chosen) return undefined;
    chosen.timesLeft -= 1;
    if (chosen.timesLeft <= 0) this.#rules = this.#rules.filter((other) => other !== chosen);
    return chosen.rule.action;
  }

  get pending(): number {
    return this.#rules.length;
  }
}
