import { formatBytes, formatCount } from '../../shared/format.ts';
import type { Account, BoxClient } from '../box/box-client.ts';
import { BoxApiError } from '../box/box-error.ts';
import { SignInRequiredError } from '../box/oauth/oauth-client.ts';
import type { Destination } from './job-record.ts';

/** A file the account cannot take: refused before any byte is sent. */
export class QuotaExceeded extends Error {
  readonly code: 'file_size_limit_exceeded' | 'storage_limit_exceeded';
  constructor(code: QuotaExceeded['code'], message: string) {
    super(message);
    this.name = 'QuotaExceeded';
    this.code = code;
  }
}

/** How long one /users/me answer stands for a batch before it is asked again. */
const ACCOUNT_MAX_AGE_MS = 5 * 60_000;

const bytes = (value: number): string => `${formatBytes(value)} (${formatCount(value)} bytes)`;

/**
 * The account's limits from /users/me, asked once per batch (not per file) and shared by every job
 * of a target. Bytes committed since the answer count against the space left. A server without
 * /users/me, or one that cannot answer now, blocks nothing. Box counts a file against the quota of
 * the destination folder's OWNER: a file larger than the space left is refused here only when the
 * signed-in user owns the folder (the root "0" always; otherwise GET ...?fields=owned_by, asked
 * once per folder); into someone else's folder, or when the owner is unknown, Box decides (its
 * session create or preflight answers 403 storage_limit_exceeded before any part is sent).
 */
export class AccountQuota {
  readonly #client: BoxClient;
  readonly #nowMs: () => number;
  #answer: { atMs: number; account: Promise<Account | undefined> } | undefined;
  #committedSinceBytes = 0;
  readonly #owners = new Map<string, Promise<string | undefined>>();

  constructor(client: BoxClient, nowMs: () => number = Date.now) {
    this.#client = client;
    this.#nowMs = nowMs;
  }

  /** The next check asks the server again (after a storage error, or a new batch). */
  invalidate(): void {
    this.#answer = undefined; // who owns a folder is kept: it does not change with the space left
  }

  /** A file finished uploading: its bytes are no longer free. */
  committed(sizeBytes: number): void {
    this.#committedSinceBytes += sizeBytes;
  }

  account(signal?: AbortSignal): Promise<Account | undefined> {
    if (!this.#answer || this.#nowMs() - this.#answer.atMs > ACCOUNT_MAX_AGE_MS) {
      this.#committedSinceBytes = 0;
      const account = this.#client.getCurrentUser(signal).catch((error: unknown) => {
        if (error instanceof SignInRequiredError) {
          this.#answer = undefined;
          throw error;
        }
        // 404 (a server without /users/me), 401, 5xx, no network: no limits known, nothing refused.
        if (!(error instanceof BoxApiError) || error.status !== 404) this.#answer = undefined;
        return undefined;
      });
      this.#answer = { atMs: this.#nowMs(), account };
    }
    return this.#answer.account;
  }

  /** Space left as last known: space_amount - space_used - what was committed since. */
  spaceLeftBytes(account: Account): number | undefined {
    if (account.spaceAmountBytes === undefined || account.spaceUsedBytes === undefined) return undefined;
    return Math.max(0, account.spaceAmountBytes - account.spaceUsedBytes - this.#committedSinceBytes);
  }

  /** Throws QuotaExceeded, with both numbers, for a file the account cannot take. */
  async check(
    file: { fileName: string; sizeBytes: number; destination: Destination },
    signal?: AbortSignal,
  ): Promise<void> {
    const account = await this.account(signal);
    if (!account) return;
    const refusal = this.refusal(file, account);
    if (!refusal) return;
    if (refusal.code === 'file_size_limit_exceeded') throw refusal;
    if ((await this.#ownerOf(file.destination, account, signal)) === account.id) throw refusal;
  }

  /** The id of whoever owns where the file goes; undefined when the server cannot say. */
  #ownerOf(destination: Destination, account: Account, signal?: AbortSignal): Promise<string | undefined> {
    if (destination.kind === 'folder' && destination.folderId === '0') return Promise.resolve(account.id);
    const item =
      destination.kind === 'folder'
        ? { kind: 'folder' as const, id: destination.folderId }
        : { kind: 'file' as const, id: destination.fileId };
    const key = `${item.kind}:${item.id}`;
    let owner = this.#owners.get(key);
    if (!owner) {
      owner = this.#client.getOwnerId(item, signal).catch((error: unknown) => {
        this.#owners.delete(key); // asked again next time
        if (error instanceof SignInRequiredError) throw error;
        return undefined; // 403, 404, 5xx, no network: Box decides
      });
      this.#owners.set(key, owner);
    }
    return owner;
  }

  refusal(file: { fileName: string; sizeBytes: number }, account: Account): QuotaExceeded | undefined {
    const max = account.maxUploadSizeBytes;
    if (max !== undefined && max > 0 && file.sizeBytes > max) {
      return new QuotaExceeded(
        'file_size_limit_exceeded',
        `"${file.fileName}" is ${bytes(file.sizeBytes)}, larger than the ${bytes(max)} this Box account accepts per file; nothing was sent.`,
      );
    }
    const left = this.spaceLeftBytes(account);
    if (left !== undefined && file.sizeBytes > left) {
      return new QuotaExceeded(
        'storage_limit_exceeded',
        `"${file.fileName}" is ${bytes(file.sizeBytes)}, more than the ${bytes(left)} left in this Box account; free up space or upload it elsewhere.`,
      );
    }
    return undefined;
  }

  /**
   * A 403 storage_limit_exceeded or file_size_limit_exceeded during an upload: the same kind of
   * sentence, with the numbers asked anew (another upload may have used the space). Into a folder
   * someone else owns, a storage refusal is about that owner's space, and the sentence says so.
   */
  async explain(
    error: BoxApiError,
    file: { fileName: string; sizeBytes: number; destination?: Destination },
  ): Promise<QuotaExceeded> {
    this.invalidate();
    const account = await this.account().catch(() => undefined);
    if (account && file.destination && error.code !== 'file_size_limit_exceeded') {
      const owner = await this.#ownerOf(file.destination, account).catch(() => undefined);
      if (owner !== undefined && owner !== account.id) {
        return new QuotaExceeded(
          'storage_limit_exceeded',
          `"${file.fileName}" is ${bytes(file.sizeBytes)}, and the owner of the folder it goes to has no room for it (Box counts it against their storage, not yours); Box refused it.`,
        );
      }
    }
    const refusal = account ? this.refusal(file, account) : undefined;
    if (refusal) return refusal;
    const left = account ? this.spaceLeftBytes(account) : undefined;
    const code = error.code === 'file_size_limit_exceeded' ? 'file_size_limit_exceeded' : 'storage_limit_exceeded';
    const what =
      code === 'file_size_limit_exceeded'
        ? `larger than this Box account accepts per file${account?.maxUploadSizeBytes !== undefined ? ` (${bytes(account.maxUploadSizeBytes)})` : ''}`
        : left !== undefined && file.sizeBytes <= left
          ? `and Box says this account has no room for it (it reports ${bytes(left)} left; a storage policy or other uploads may hold the rest)`
          : `more than is left in this Box account${left !== undefined ? ` (${bytes(left)})` : ''}`;
    return new QuotaExceeded(code, `"${file.fileName}" is ${bytes(file.sizeBytes)}, ${what}; Box refused it.`);
  }
}

/**
 * Box's 403 for no room left or a file over the per-file limit: the job turns it into a
 * QuotaExceeded sentence with the numbers (AccountQuota.explain) instead of a bare Box error.
 */
export const isQuotaError = (error: unknown): error is BoxApiError =>
  error instanceof BoxApiError &&
  error.status === 403 &&
  (error.code === 'storage_limit_exceeded' || error.code === 'file_size_limit_exceeded');
