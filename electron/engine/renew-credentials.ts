import type { BoxClient } from '../box/box-client.ts';
import { NetworkError } from '../box/http-transport.ts';
import { NetworkUnavailable, TokenRejected } from './job-stops.ts';

/**
 * After a 401: a fresher token than the rejected one (the token source refreshes once for all
 * parts that failed together). A token server that cannot be reached is waited for like any
 * server; a sign-in that ended rejects with SignInRequiredError (the job waits for sign-in).
 */
export async function renewCredentials(client: BoxClient, rejection: unknown): Promise<void> {
  let renewed: boolean;
  try {
    renewed = await client.refreshAfter(rejection);
  } catch (error) {
    if (error instanceof NetworkError) throw new NetworkUnavailable(error.message);
    throw error;
  }
  if (!renewed) throw new TokenRejected();
}
