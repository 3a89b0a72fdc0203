import type { BoxClient } from '../box/box-client.ts';
import { sleep } from './concurrency.ts';
import { NetworkUnavailable, TokenRejected } from './job-stops.ts';
import { renewCredentials } from './renew-credentials.ts';
import { decideRetry, type RecoveryBudgets, type RetryDecision, type RetryOperation } from './retry-policy.ts';

/** What one Box call needs to be retried: the client (for a token refresh), the job's signal, and knobs for tests. */
export interface RetryContext {
  client: BoxClient;
  signal: AbortSignal;
  random?: (() => number) | undefined;
  /** How long recoveries that wait on Box may take; default DEFAULT_RECOVERY_BUDGETS. */
  budgets?: RecoveryBudgets | undefined;
  /** Told before each wait, e.g. to show "retrying at 14:02". */
  onRetry?: ((delayMs: number, reason: string) => void) | undefined;
}

/**
 * What ends a Box call for the job, by the policy's decision: the network is waited for, a
 * rejected token is waited for, and anything else (a sign-in that ended, a failure) goes as it came.
 * With renewCredentials (one refresh per call or part after a 401), the engine's one 401 path:
 * withRetries and the part pipeline both end a call through it.
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
        await renewCredentials(context.client, error);
      } else {
        throw stopFor(decision, error);
      }
    }
  }
}
