import type { BoxClient } from '../box/box-client.ts';
import { sleep } from './concurrency.ts';
import { NetworkUnavailable, TokenRejected } from './job-stops.ts';
import { renewCredentials } from './renew-credentials.ts';
import { decideRetry, type RecoveryBudgets, type RetryDecision, type RetryOperation } from './retry-policy.ts';

export interface RetryContext {
  client: BoxClient;
  signal: AbortSignal;
  /** Kept for callers; a 401 now earns one refresh per call (tokens expire many times in a long job). */
  credentials: { refreshed: boolean };
  random?: (() => number) | undefined;
  /** How long recoveries that wait on Box may take; default DEFAULT_RECOVERY_BUDGETS. */
  budgets?: RecoveryBudgets | undefined;
  /** Told before each wait, e.g. to show "retrying at 14:02". */
  onRetry?: ((delayMs: number, reason: string) => void) | undefined;
}

/**
 * The one 401 path of the engine: a rejected token earns one refresh for the call (or the part)
 * that met it; the token source refreshes once for all callers that failed together. Rejects with
 * NetworkUnavailable (the token server is unreachable), TokenRejected (no fresher token) or
 * SignInRequiredError (the sign-in ended), which the job waits out.
 */
export async function refreshAfterRejection(
  context: Pick<RetryContext, 'client' | 'credentials'>,
  rejection: unknown,
): Promise<void> {
  context.credentials.refreshed = true;
  await renewCredentials(context.client, rejection);
}

/**
 * What ends a Box call for the job, by the policy's decision: the network is waited for, a
 * rejected token is waited for, and anything else (a sign-in that ended, a failure) goes as it came.
 */
export function stopFor(decision: RetryDecision, error: unknown): unknown {
  switch (decision.kind) {
    case 'wait-for-network':
      return new NetworkUnavailable(decision.reason);
    case 'wait-for-token':
      return new TokenRejected();
    default:
      return error;
  }
}

/**
 * Runs one Box call under the retry policy: backoff, retry-after, one credential refresh.
 * Turns "retries ran out, server unreachable" into NetworkUnavailable and a rejected token into
 * TokenRejected, which the job waits out; any other failure is rethrown as it came.
 * (The part pipeline applies the same policy per part, with the same 401 path and stops.)
 */
export async function withRetries<T>(
  operation: RetryOperation,
  context: RetryContext,
  call: () => Promise<T>,
): Promise<T> {
  let refreshed = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (context.signal.aborted) throw context.signal.reason;
      const decision = decideRetry({
        error,
        attempt,
        operation,
        credentialsRefreshed: refreshed,
        ...(context.random ? { random: context.random } : {}),
      });
      if (decision.kind === 'retry') {
        context.onRetry?.(decision.delayMs, decision.reason);
        await sleep(decision.delayMs, context.signal);
      } else if (decision.kind === 'refresh-credentials') {
        refreshed = true;
        await refreshAfterRejection(context, error);
      } else {
        throw stopFor(decision, error);
      }
    }
  }
}
