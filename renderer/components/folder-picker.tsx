import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { ROOT_DESTINATION, type Destination, type FolderListing } from '../../shared/folder-model.ts';
import { errorMessage, hoist } from '../hoist-bridge.ts';
import { Icon } from './icons.tsx';

interface FolderPickerProps {
  /** For the Change… button's aria-controls. */
  id: string;
  /** The folder it opens on (the current destination). */
  startFolderId: string;
  onChoose(destination: Destination): void;
  onCancel(): void;
}

/**
 * Browses the target's folders, one level at a time, to choose where uploads go. Focus moves into
 * it when it opens and stays in it as folders open: on the first folder listed, or on the button
 * that chooses this one when none is inside.
 */
export function FolderPicker({ id, startFolderId, onChoose, onCancel }: FolderPickerProps) {
  const [folderId, setFolderId] = useState(startFolderId);
  const root = useRef<HTMLDivElement>(null);
  // What the last request answered, for which folder: a newer folder shows as loading until then.
  const [answer, setAnswer] = useState<{ folderId: string; listing?: FolderListing; error?: string }>();

  useEffect(() => {
    let current = true;
    hoist()
      .listFolder({ folderId })
      .then(
        (listing) => current && setAnswer({ folderId, listing }),
        (failure: unknown) => current && setAnswer({ folderId, error: errorMessage(failure) }),
      );
    return () => {
      current = false;
    };
  }, [folderId]);

  const loading = answer?.folderId !== folderId;
  const error = loading ? undefined : answer.error;
  const shown = loading ? undefined : answer.listing;

  useEffect(() => {
    if (!answer) return;
    const element = root.current;
    const target =
      element?.querySelector<HTMLElement>('.folder-list button') ??
      element?.querySelector<HTMLElement>('.form-error button') ??
      element?.querySelector<HTMLElement>('.picker-actions .primary');
    target?.focus();
  }, [answer]);

  // Escape closes the picker only, not Settings around it.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    onCancel();
  };
  return (
    <div
      id={id}
      ref={root}
      className="folder-picker"
      role="group"
      aria-label="Choose a folder"
      aria-busy={loading}
      onKeyDown={onKeyDown}
    >
      <nav aria-label="Folder path">
        <ol className="crumbs">
          {(shown?.path ?? []).map((ancestor) => (
            <li key={ancestor.id}>
              <button type="button" className="link-button" onClick={() => setFolderId(ancestor.id)}>
                {ancestor.name}
              </button>
            </li>
          ))}
          <li aria-current="location">{shown?.folder.name ?? (error ? '' : 'Opening…')}</li>
        </ol>
      </nav>
      {error && (
        <p className="form-error" role="alert">
          {error}{' '}
          {folderId !== ROOT_DESTINATION.folderId && (
            <button type="button" className="link-button" onClick={() => setFolderId(ROOT_DESTINATION.folderId)}>
              Go to All Files
            </button>
          )}
        </p>
      )}
      {shown && (
        <ul className="folder-list" aria-label={`Folders in ${shown.folder.name}`}>
          {shown.subfolders.map((folder) => (
            <li key={folder.id}>
              <button type="button" onClick={() => setFolderId(folder.id)}>
                <Icon name="folder" /> {folder.name}
              </button>
            </li>
          ))}
          {shown.subfolders.length === 0 && <li className="hint">No folders inside.</li>}
        </ul>
      )}
      {shown?.truncated && (
        <p className="hint">This folder holds many items; the folders among the first 10,000 are listed.</p>
      )}
      <div className="picker-actions">
        <button type="button" onClick={onCancel}>
          Back
        </button>
        <button
          type="button"
          className="primary"
          disabled={!shown}
          onClick={() =>
            shown &&
            onChoose({
              folderId: shown.folder.id,
              names: [...shown.path.map((ancestor) => ancestor.name), shown.folder.name],
            })
          }
        >
          Upload into “{shown?.folder.name ?? '…'}”
        </button>
      </div>
    </div>
  );
}

interface DestinationFieldProps {
  destination: Destination;
  onChange(destination: Destination): void;
  /** Why the folder cannot be chosen right now (a new server not saved yet). */
  lockedReason?: string | undefined;
}

/** "Upload into All Files / Projects  [Change…]", opening the folder picker in place. */
export function DestinationField({ destination, onChange, lockedReason }: DestinationFieldProps) {
  const [choosing, setChoosing] = useState(false);
  const change = useRef<HTMLButtonElement>(null);
  const pickerId = useId();
  // The picker closes (chosen, Back, Escape): focus goes back to the button that opened it.
  const close = () => {
    setChoosing(false);
    change.current?.focus();
  };
  return (
    <div className="destination">
      <div className="destination-row">
        <span>Upload into</span>
        <strong className="destination-path">{destination.names.join(' / ')}</strong>
        <button
          ref={change}
          type="button"
          aria-label="Change the folder uploads go into"
          aria-expanded={choosing}
          aria-controls={choosing ? pickerId : undefined}
          disabled={Boolean(lockedReason)}
          onClick={() => (choosing ? close() : setChoosing(true))}
        >
          Change…
        </button>
      </div>
      {lockedReason && <p className="hint">{lockedReason}</p>}
      {choosing && !lockedReason && (
        <FolderPicker
          id={pickerId}
          startFolderId={destination.folderId}
          onChoose={(chosen) => {
            onChange(chosen);
            close();
          }}
          onCancel={close}
        />
      )}
    </div>
  );
}
