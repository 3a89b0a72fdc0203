import { useCallback, useEffect, useRef, useState } from 'react';
import { create } from 'zustand';
import { formatBytes } from '../../shared/format.ts';
import type { HistoryPage, UploadRecord } from '../../shared/share-model.ts';
import { act, hoist } from '../hoist-bridge.ts';
import { DoneActions } from './done-actions.tsx';
import { Icon } from './icons.tsx';

/** Whether the Recent uploads view is open (its own small store: nothing else needs it). */
export const useRecentUploadsView = create<{ open: boolean; setOpen(open: boolean): void }>()((set) => ({
  open: false,
  setOpen: (open) => set({ open }),
}));

/** The most entries the view puts in the page; a search finds the others. */
const SHOWN_MAX = 200;

/** Ctrl+Shift+H (Cmd+Shift+H on macOS) opens the view: H for history. */
export const isRecentUploadsShortcut = (event: KeyboardEvent): boolean =>
  (event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey && event.key.toLowerCase() === 'h';

/** The header's button for the view, with its shortcut. */
export function RecentUploadsButton() {
  const setOpen = useRecentUploadsView((state) => state.setOpen);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isRecentUploadsShortcut(event)) return;
      event.preventDefault();
      setOpen(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setOpen]);
  return (
    <button
      type="button"
      className="icon-button"
      aria-label="Recent uploads"
      aria-keyshortcuts="Control+Shift+H"
      title="Recent uploads (Ctrl+Shift+H)"
      onClick={() => setOpen(true)}
    >
      <Icon name="history" />
    </button>
  );
}

const when = (ms: number): string =>
  new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function Entry({ entry }: { entry: UploadRecord }) {
  return (
    <li className="recent-upload" aria-label={entry.fileName}>
      <div className="recent-upload-text">
        <span className="file-name">{entry.fileName}</span>
        <span className="hint">
          {formatBytes(entry.sizeBytes)} · {when(entry.uploadedAtMs)} · {entry.serverLabel}
          {entry.folderPath ? ` › ${entry.folderPath}` : ''}
        </span>
        {entry.sharedLink && <span className="recent-upload-link">{entry.sharedLink.url}</span>}
      </div>
      <div className="job-actions">
        <DoneActions id={entry.id} fileName={entry.fileName} />
      </div>
    </li>
  );
}

/**
 * The last 1,000 uploads (kept by main across restarts, apart from the queue): searchable,
 * clearable, each with Open on Box and Copy shared link.
 */
export function RecentUploads() {
  const open = useRecentUploadsView((state) => state.open);
  const setOpen = useRecentUploadsView((state) => state.setOpen);
  const dialog = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState('');
  const [page, setPage] = useState<HistoryPage | undefined>();
  const [confirmingClear, setConfirmingClear] = useState(false);

  const load = useCallback(
    () =>
      void hoist()
        .listHistory(query.trim() ? { query: query.trim() } : {})
        .then(setPage, () => undefined),
    [query],
  );

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      setConfirmingClear(false);
      element.showModal();
    }
    if (!open && element.open) element.close();
  }, [open]);

  useEffect(() => {
    if (!open) return undefined;
    load();
    return hoist().onHistoryChanged(load);
  }, [open, load]);

  const clear = () =>
    void act(async () => {
      await hoist().clearHistory();
      setConfirmingClear(false);
      load();
    });

  const total = page?.totalCount ?? 0;
  return (
    <dialog ref={dialog} className="recent-uploads" aria-labelledby="recent-title" onClose={() => setOpen(false)}>
      {open && (
        <div className="recent-uploads-body">
          <div className="recent-uploads-head">
            <h2 id="recent-title">Recent uploads</h2>
            <button type="button" className="icon-button" aria-label="Close" onClick={() => setOpen(false)}>
              <Icon name="cancel" />
            </button>
          </div>
          <input
            type="search"
            aria-label="Search recent uploads"
            placeholder="Search by name or folder"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
          <p className="hint" role="status">
            {page === undefined
              ? ''
              : total === 0
                ? query.trim()
                  ? 'No recent upload matches.'
                  : 'Nothing uploaded yet. Files you upload are listed here, even after they leave the queue.'
                : total > SHOWN_MAX
                  ? `The newest ${SHOWN_MAX} of ${total.toLocaleString()}; search to find the others.`
                  : `${total.toLocaleString()} upload${total === 1 ? '' : 's'}`}
          </p>
          <ul className="recent-upload-list" aria-label="Recent uploads">
            {page?.entries.slice(0, SHOWN_MAX).map((entry) => (
              <Entry key={entry.id} entry={entry} />
            ))}
          </ul>
          <div className="dialog-actions">
            {confirmingClear ? (
              <>
                <span>Clear all recent uploads? The files stay on Box.</span>
                <button type="button" onClick={() => setConfirmingClear(false)}>
                  Keep
                </button>
                <button type="button" className="primary" onClick={clear}>
                  Clear
                </button>
              </>
            ) : (
              <button
                type="button"
                disabled={total === 0 || query.trim() !== ''}
                onClick={() => setConfirmingClear(true)}
              >
                Clear history…
              </button>
            )}
          </div>
        </div>
      )}
    </dialog>
  );
}
