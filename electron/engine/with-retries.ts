import type { BoxClient } from '../box/box-client.ts';
import { sleep } from './concurrency.ts';
import { NetworkUnavailable, TokenRejected } from './job-stops.ts';
import { renewCredentials } from './renew-credentials.ts';
import { decideRetry, type RecoveryBudgets, type RetryOperation } from './retry-policy.ts';

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
      switch (decision.kind) {
        case 'retry':
          context.onRetry?.(decision.delayMs, decision.reason);
          await sleep(decision.delayMs, context.signal);
          break;
        case 'refresh-credentials':
          refreshed = true;
          context.credentials.refreshed = true;
          await renewCredentials(context.client, error);
          break;
        case 'wait-for-network':
          throw new NetworkUnavailable(decision.reason);
        case 'wait-for-token':
          throw new TokenRejected();
        case 'wait-for-sign-in':
          throw error;
        default:
          throw error;
      }
    }
  }
}
