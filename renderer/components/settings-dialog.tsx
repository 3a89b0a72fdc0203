import { useEffect, useRef, useState, type FormEvent } from 'react';
import { BOX_API_URL, defaultUploadUrl } from '../../shared/box-urls.ts';
import { NAME_CONFLICT_POLICIES, type NameConflictPolicy } from '../../shared/job-model.ts';
import {
  isUploadLimit,
  PARALLEL_MAX,
  PARALLEL_MIN,
  type ParallelSetting,
  UPLOAD_LIMIT_MAX_BYTES_PER_SEC,
  UPLOAD_LIMIT_MIN_BYTES_PER_SEC,
  type SettingsPatch,
  type SettingsView,
} from '../../shared/settings-model.ts';
import { ROOT_DESTINATION, type Destination } from '../../shared/folder-model.ts';
import { SHARED_LINK_ACCESS, type SharedLinkAccess } from '../../shared/share-model.ts';
import { errorMessage, hoist } from '../hoist-bridge.ts';
import { useHoist } from '../store/hoist-store.ts';
import { BoxAccount } from './box-account.tsx';
import { DestinationField } from './folder-picker.tsx';

interface Draft {
  kind: 'embedded' | 'custom';
  apiBaseUrl: string;
  uploadBaseUrl: string;
  token: string;
  destination: Destination;
  parallel: ParallelSetting;
  resumeAutomatically: boolean;
  onNameConflict: NameConflictPolicy;
  limitUploads: boolean;
  /** As typed, in MB/s (decimal, as the queue shows speeds). */
  uploadLimitMegabytesPerSec: string;
  sharedLinkAccess: SharedLinkAccess;
}

const SHARED_LINK_TEXT: Record<SharedLinkAccess, string> = {
  company: 'People in your company (recommended)',
  open: 'Anyone with the link',
  collaborators: 'Only people invited to the file',
};

const BYTES_PER_MEGABYTE = 1_000_000;
const LIMIT_MIN_MB = UPLOAD_LIMIT_MIN_BYTES_PER_SEC / BYTES_PER_MEGABYTE;
const LIMIT_MAX_MB = UPLOAD_LIMIT_MAX_BYTES_PER_SEC / BYTES_PER_MEGABYTE;

/** The limit in bytes per second, null for none, or a sentence about what is wrong. */
function uploadLimitOf(draft: Draft): number | null | { problem: string } {
  if (!draft.limitUploads) return null;
  const megabytes = Number(draft.uploadLimitMegabytesPerSec);
  const bytesPerSecond = Math.round(megabytes * BYTES_PER_MEGABYTE);
  if (draft.uploadLimitMegabytesPerSec.trim() === '' || !isUploadLimit(bytesPerSecond))
    return { problem: `Enter an upload speed limit from ${LIMIT_MIN_MB} to ${LIMIT_MAX_MB} MB/s.` };
  return bytesPerSecond;
}

/** Whether the draft points at another server than the saved settings. */
function targetChangedIn(draft: Draft, settings: SettingsView): boolean {
  const custom = settings.target.kind === 'custom' ? settings.target : undefined;
  return (
    draft.kind !== settings.target.kind ||
    (draft.kind === 'custom' &&
      (draft.apiBaseUrl !== custom?.apiBaseUrl || draft.uploadBaseUrl !== custom?.uploadBaseUrl))
  );
}

const NAME_CONFLICT_TEXT: Record<NameConflictPolicy, string> = {
  ask: 'Ask me',
  replace: 'Replace it (Box keeps the old one as a previous version)',
  'keep-both': 'Keep both (upload as “name (1)”)',
};

/**
 * Where files go (the embedded local Box, or a server and its token, and the folder there), parts in parallel, an
 * upload speed limit, what to do with a name already taken, resume at start.
 */
export function SettingsDialog() {
  const open = useHoist((state) => state.settingsOpen);
  const settings = useHoist((state) => state.settings);
  const setOpen = useHoist((state) => state.setSettingsOpen);
  const dialog = useRef<HTMLDialogElement>(null);
  const [draft, setDraft] = useState<Draft | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  // Counts openings: each one starts a fresh form (no folder picker left open, nothing half-typed).
  const [opening, setOpening] = useState(0);

  useEffect(() => {
    const element = dialog.current;
    if (!element || !settings) return;
    if (open && !element.open) {
      const custom = settings.target.kind === 'custom' ? settings.target : undefined;
      setDraft({
        kind: settings.target.kind,
        apiBaseUrl: custom?.apiBaseUrl ?? BOX_API_URL,
        uploadBaseUrl: custom?.uploadBaseUrl ?? defaultUploadUrl(BOX_API_URL),
        token: '',
        destination: settings.destination,
        parallel: settings.parallel,
        resumeAutomatically: settings.resumeAutomatically,
        onNameConflict: settings.onNameConflict,
        limitUploads: settings.uploadLimitBytesPerSec !== null,
        uploadLimitMegabytesPerSec: String(
          (settings.uploadLimitBytesPerSec ?? 5 * BYTES_PER_MEGABYTE) / BYTES_PER_MEGABYTE,
        ),
        sharedLinkAccess: settings.sharedLinkAccess,
      });
      setError(undefined);
      setOpening((count) => count + 1);
      element.showModal();
    }
    if (!open && element.open) element.close();
  }, [open, settings]);

  const update = (patch: Partial<Draft>) => setDraft((current) => (current ? { ...current, ...patch } : current));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft || !settings) return;
    const uploadLimit = uploadLimitOf(draft);
    if (uploadLimit !== null && typeof uploadLimit === 'object') {
      setError(uploadLimit.problem);
      return;
    }
    const patch: SettingsPatch = {
      parallel: draft.parallel,
      resumeAutomatically: draft.resumeAutomatically,
      onNameConflict: draft.onNameConflict,
      uploadLimitBytesPerSec: uploadLimit,
      sharedLinkAccess: draft.sharedLinkAccess,
    };
    const targetChanged = targetChangedIn(draft, settings);
    if (!targetChanged && draft.destination.folderId !== settings.destination.folderId)
      patch.destinationFolderId = draft.destination.folderId;
    if (targetChanged || draft.token) {
      patch.target =
        draft.kind === 'embedded'
          ? { kind: 'embedded' }
          : {
              kind: 'custom',
              apiBaseUrl: draft.apiBaseUrl.trim(),
              uploadBaseUrl: draft.uploadBaseUrl.trim(),
              ...(draft.token ? { token: draft.token } : {}),
            };
    }
    setSaving(true);
    try {
      await hoist().updateSettings(patch);
      setOpen(false);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  const newTarget = Boolean(draft && settings && targetChangedIn(draft, settings));
  return (
    <dialog ref={dialog} className="settings" aria-labelledby="settings-title" onClose={() => setOpen(false)}>
      {draft && settings && (
        <form key={opening} onSubmit={(event) => void save(event)}>
          <h2 id="settings-title">Settings</h2>
          <fieldset>
            <legend>Upload to</legend>
            <label className="choice">
              <input
                type="radio"
                name="target"
                checked={draft.kind === 'embedded'}
                onChange={() => update({ kind: 'embedded' })}
              />
              Embedded local Box <span className="hint">(on this computer; no account needed)</span>
            </label>
            <label className="choice">
              <input
                type="radio"
                name="target"
                checked={draft.kind === 'custom'}
                onChange={() => update({ kind: 'custom' })}
              />
              A Box account or compatible server
            </label>
            {draft.kind === 'custom' && (
              <div className="custom-target">
                <label>
                  API base URL
                  <input
                    type="url"
                    required
                    value={draft.apiBaseUrl}
                    onChange={(event) =>
                      update({ apiBaseUrl: event.target.value, uploadBaseUrl: defaultUploadUrl(event.target.value) })
                    }
                  />
                </label>
                <label>
                  Upload base URL
                  <input
                    type="url"
                    required
                    value={draft.uploadBaseUrl}
                    onChange={(event) => update({ uploadBaseUrl: event.target.value })}
                  />
                </label>
                <BoxAccount
                  server={draft}
                  settings={settings}
                  token={draft.token}
                  onTokenChange={(token) => update({ token })}
                />
              </div>
            )}
            <DestinationField
              destination={newTarget ? ROOT_DESTINATION : draft.destination}
              onChange={(destination) => update({ destination })}
              lockedReason={
                newTarget
                  ? 'Files go into All Files there; save the new server first to choose a folder in it.'
                  : undefined
              }
            />
          </fieldset>
          <label>
            Parts in parallel per file
            <select
              value={draft.parallel}
              onChange={(event) =>
                update({ parallel: event.target.value === 'auto' ? 'auto' : Number(event.target.value) })
              }
            >
              <option value="auto">Automatic, 3 to 5 (recommended)</option>
              {Array.from({ length: PARALLEL_MAX - PARALLEL_MIN + 1 }, (_, index) => PARALLEL_MIN + index).map(
                (value) => (
                  <option key={value} value={value}>
                    {value}
                  </option>
                ),
              )}
            </select>
          </label>
          <fieldset className="upload-limit">
            <legend>Upload speed</legend>
            <label className="choice">
              <input
                type="checkbox"
                checked={draft.limitUploads}
                onChange={(event) => update({ limitUploads: event.target.checked })}
              />
              Limit all uploads together to
            </label>
            <input
              type="number"
              inputMode="decimal"
              aria-label="Upload speed limit in MB/s"
              step="any"
              disabled={!draft.limitUploads}
              value={draft.uploadLimitMegabytesPerSec}
              onChange={(event) => update({ uploadLimitMegabytesPerSec: event.target.value })}
            />
            <span>MB/s</span>
            <p className="hint">So uploads leave room on the network for everything else.</p>
          </fieldset>
          <label>
            When a file with the same name is already there
            <select
              value={draft.onNameConflict}
              onChange={(event) => update({ onNameConflict: event.target.value as NameConflictPolicy })}
            >
              {NAME_CONFLICT_POLICIES.map((policy) => (
                <option key={policy} value={policy}>
                  {NAME_CONFLICT_TEXT[policy]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Shared links you copy open for
            <select
              value={draft.sharedLinkAccess}
              onChange={(event) => update({ sharedLinkAccess: event.target.value as SharedLinkAccess })}
            >
              {[...SHARED_LINK_ACCESS]
                .sort((a, b) => (a === 'company' ? -1 : b === 'company' ? 1 : 0))
                .map((access) => (
                  <option key={access} value={access}>
                    {SHARED_LINK_TEXT[access]}
                  </option>
                ))}
            </select>
          </label>
          <label className="choice">
            <input
              type="checkbox"
              checked={draft.resumeAutomatically}
              onChange={(event) => update({ resumeAutomatically: event.target.checked })}
            />
            Resume unfinished uploads when Hoist starts
          </label>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={saving}>
              Save
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
