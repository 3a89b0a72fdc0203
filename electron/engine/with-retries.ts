import type { BoxClient } from '../box/box-client.ts';
import { sleep } from './concurrency.ts';
import { NetworkUnavailable, TokenRejected } from './job-stops.ts';
import { decideRetry, type RecoveryBudgets, type RetryOperation } from './retry-policy.ts';

export interface RetryContext {
  client: BoxClient;
  signal: AbortSignal;
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
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (context.signal.aborted) throw context.signal.reason;
      const decision = decideRetry({
        error,
        attempt,
        operation,
        credentialsRefreshed: context.credentials.refreshed,
        ...(context.random ? { random: context.random } : {}),
      });
      switch (decision.kind) {
        case 'retry':
          context.onRetry?.(decision.delayMs, decision.reason);
          await sleep(decision.delayMs, context.signal);
          break;
        case 'refresh-credentials':
          context.credentials.refreshed = true;
          if (!(await context.client.tokens.refresh())) throw new TokenRejected();
          break;
        case 'wait-for-network':
          throw new NetworkUnavailable(decision.reason);
        case 'wait-for-token':
          throw new TokenRejected();
        default:
          throw error;
      }
    }
  }
}
