import { FOLDER_ID_PATTERN, type Destination } from '../../shared/folder-model.ts';
import { NAME_CONFLICT_POLICIES, type NameConflictPolicy } from '../../shared/job-model.ts';
import { developerTokenKey } from './credential-keys.ts';
import {
  DEFAULT_SETTINGS,
  isParallelSetting,
  isUploadLimit,
  type ParallelSetting,
  type TargetSetting,
} from '../../shared/settings-model.ts';
import { isSharedLinkAccess, type SharedLinkAccess } from '../../shared/share-model.ts';

/** The settings as stored, already checked: what SettingsStore.read returns. */
export interface StoredSettings {
  target: TargetSetting;
  /** Belongs to the target: set back to the root when the target changes. */
  destination: Destination;
  parallel: ParallelSetting;
  resumeAutomatically: boolean;
  onNameConflict: NameConflictPolicy;
  uploadLimitBytesPerSec: number | null;
  sharedLinkAccess: SharedLinkAccess;
}

/** The get/set part of conf (and so of electron-store, which is conf with Electron's paths). */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

const isDestination = (value: unknown): value is Destination => {
  const destination = value as Partial<Destination> | undefined;
  return (
    typeof destination?.folderId === 'string' &&
    FOLDER_ID_PATTERN.test(destination.folderId) &&
    Array.isArray(destination.names) &&
    destination.names.length > 0 &&
    destination.names.every((name) => typeof name === 'string')
  );
};

/** Settings kept in a conf-like store; invalid values fall back to the defaults. */
export class SettingsStore {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  read(): StoredSettings {
    const target = this.#store.get('target') as TargetSetting | undefined;
    const parallel = this.#store.get('parallel');
    const resume = this.#store.get('resumeAutomatically');
    const onNameConflict = this.#store.get('onNameConflict') as NameConflictPolicy;
    const uploadLimit = this.#store.get('uploadLimitBytesPerSec');
    const destination = this.#store.get('destination');
    const sharedLinkAccess = this.#store.get('sharedLinkAccess');
    return {
      target: target?.kind === 'custom' || target?.kind === 'embedded' ? target : DEFAULT_SETTINGS.target,
      destination: isDestination(destination) ? destination : DEFAULT_SETTINGS.destination,
      // A number saved before "auto" existed stays as it was.
      parallel: isParallelSetting(parallel) ? parallel : DEFAULT_SETTINGS.parallel,
      resumeAutomatically: typeof resume === 'boolean' ? resume : DEFAULT_SETTINGS.resumeAutomatically,
      onNameConflict: NAME_CONFLICT_POLICIES.includes(onNameConflict)
        ? onNameConflict
        : DEFAULT_SETTINGS.onNameConflict,
      uploadLimitBytesPerSec: isUploadLimit(uploadLimit) ? uploadLimit : DEFAULT_SETTINGS.uploadLimitBytesPerSec,
      sharedLinkAccess: isSharedLinkAccess(sharedLinkAccess) ? sharedLinkAccess : DEFAULT_SETTINGS.sharedLinkAccess,
    };
  }

  write(settings: Partial<StoredSettings>): void {
    for (const [key, value] of Object.entries(settings)) this.#store.set(key, value);
  }
}

/**
 * Where secrets live, by name: each server's developer token and sign-in, and the person's own
 * Box app. The app seals them with Electron's safeStorage before they touch disk; nothing else in
 * Hoist ever writes or logs them.
 */
export interface SecretStore {
  getSecret(name: string): string | undefined;
  setSecret(name: string, value: string): void;
  deleteSecret(name: string): void;
}

/** A secret kept as JSON, or undefined when there is none or it is not what `is` expects. */
export function readSecretJson<T>(
  secrets: SecretStore,
  name: string,
  is: (value: unknown) => value is T,
): T | undefined {
  const stored = secrets.getSecret(name);
  if (!stored) return undefined;
  try {
    const value = JSON.parse(stored) as unknown;
    return is(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A SecretStore in memory only (tests, and where no OS keychain exists). */
export class MemorySecretStore implements SecretStore {
  readonly #secrets = new Map<string, string>();
  getSecret(name: string): string | undefined {
    return this.#secrets.get(name);
  }
  setSecret(name: string, value: string): void {
    this.#secrets.set(name, value);
  }
  deleteSecret(name: string): void {
    this.#secrets.delete(name);
  }
}

/** A KeyValueStore in memory, for tests. */
export class MemoryKeyValueStore implements KeyValueStore {
  readonly #values = new Map<string, unknown>();
  get(key: string): unknown {
    return structuredClone(this.#values.get(key));
  }
  set(key: string, value: unknown): void {
    this.#values.set(key, structuredClone(value));
  }
  delete(key: string): void {
    this.#values.delete(key);
  }
}

/** Settings and a token in memory for a custom server (tests, benchmarks, demos). */
export function memoryStoresFor(server: { url: string; token: string }): {
  settings: SettingsStore;
  secrets: MemorySecretStore;
} {
  const settings = new SettingsStore(new MemoryKeyValueStore());
  settings.write({ target: { kind: 'custom', apiBaseUrl: server.url, uploadBaseUrl: `${server.url}/api` } });
  const secrets = new MemorySecretStore();
  secrets.setSecret(developerTokenKey({ apiBaseUrl: server.url, uploadBaseUrl: `${server.url}/api` }), server.token);
  return { settings, secrets };
}
