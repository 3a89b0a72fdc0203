import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as z from 'zod/mini';
import type { OAuthApp } from './oauth-client.ts';
import type { StoredSignIn, TokenStore } from './token-store.ts';

// zod/mini: the CLI reads this file at the start of an upload; full zod costs ~100 ms to load.
const nonEmpty = () => z.string().check(z.minLength(1));
const fileSchema = z.object({
  accessToken: nonEmpty(),
  refreshToken: z.optional(nonEmpty()),
  expiresAtMs: z.number(),
  issuedAtMs: z.optional(z.number()),
  apiOrigin: z.url(),
  uploadOrigin: z.url(),
  login: z.optional(z.string()),
  name: z.optional(z.string()),
  clientId: z.optional(z.string()),
  clientSecret: z.optional(z.string()),
  clientCredentialsSubject: z.optional(z.object({ type: z.enum(['enterprise', 'user']), id: nonEmpty() })),
});

/** What the CLI keeps beside the tokens: the Box app they belong to, and a client-credentials subject. */
export interface SignInExtras {
  app?: OAuthApp | undefined;
  clientCredentialsSubject?: { type: 'enterprise' | 'user'; id: string } | undefined;
}

/** The state directory's file for one API origin: signins/https_api.box.com.json. */
export function signInFileFor(stateDir: string, apiOrigin: string): string {
  const safe = new URL(apiOrigin).origin.replace(/^(\w+):\/\//, '$1_').replace(/[^\w.-]/g, '_');
  return join(stateDir, 'signins', `${safe}.json`);
}

/** Writes then renames, with fsync of the file and its folder: a crash leaves the old or the new file whole. */
function writeDurably(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  try {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Some platforms (Windows) cannot open a folder; the rename is still atomic there.
  }
}

/**
 * The CLI's sign-in for one API origin: a JSON file, mode 0600, replaced atomically and synced
 * before save() resolves (Box's refresh tokens work once: losing the new one signs the person out).
 * It also keeps the Box app the tokens belong to, since refreshing needs its client ID and secret.
 */
export class FileTokenStore implements TokenStore {
  readonly path: string;
  #extras: SignInExtras;
  /** Set when the file exists but cannot be used, in words. */
  problem: string | undefined;

  constructor(path: string, extras: SignInExtras = {}) {
    this.path = path;
    this.#extras = extras;
  }

  /** The Box app given, or the one saved with the tokens. */
  app(): OAuthApp | undefined {
    if (this.#extras.app) return this.#extras.app;
    const raw = this.#read();
    return raw?.clientId && raw.clientSecret !== undefined
      ? { clientId: raw.clientId, clientSecret: raw.clientSecret }
      : undefined;
  }

  /** For a client-credentials sign-in: whom the grant is for, to renew it. */
  clientCredentialsSubject(): SignInExtras['clientCredentialsSubject'] {
    return this.#extras.clientCredentialsSubject ?? this.#read()?.clientCredentialsSubject;
  }

  #read(): z.infer<typeof fileSchema> | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      this.problem = `cannot read the sign-in in ${this.path}: ${(error as Error).message}`;
      return undefined;
    }
    try {
      return fileSchema.parse(JSON.parse(text));
    } catch {
      this.problem = `the sign-in in ${this.path} is damaged; sign in again`;
      return undefined;
    }
  }

  load(): StoredSignIn | undefined {
    const raw = this.#read();
    if (!raw) return undefined;
    const { clientId: _id, clientSecret: _secret, clientCredentialsSubject: _subject, ...signIn } = raw;
    return signIn as StoredSignIn;
  }

  async save(signIn: StoredSignIn): Promise<void> {
    const app = this.app();
    const subject = this.clientCredentialsSubject();
    const record = {
      ...signIn,
      ...(app ? { clientId: app.clientId, clientSecret: app.clientSecret } : {}),
      ...(subject ? { clientCredentialsSubject: subject } : {}),
    };
    writeDurably(this.path, `${JSON.stringify(record, null, 2)}\n`);
  }

  async clear(): Promise<void> {
    rmSync(this.path, { force: true });
  }
}
