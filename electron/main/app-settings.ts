import { safeStorage } from 'electron';
import ElectronStore from 'electron-store';
import type { Sealer } from '../service/sealed-secret-store.ts';
import type { KeyValueStore } from '../service/settings-store.ts';

/** Settings through electron-store (conf with Electron's paths) in userData/settings.json. */
export function openSettingsStore(): KeyValueStore & ElectronStore {
  return new ElectronStore({ name: 'settings', clearInvalidConfig: true });
}

/** Electron's safeStorage as the Sealer of the app's secrets (electron/service/sealed-secret-store.ts). */
export const safeStorageSealer: Sealer = {
  usable: () =>
    safeStorage.isEncryptionAvailable() &&
    (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'),
  seal: (plain) => safeStorage.encryptString(plain),
  unseal: (sealed) => safeStorage.decryptString(sealed),
};
