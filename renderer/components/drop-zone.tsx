import { addFromDialog } from '../hoist-bridge.ts';
import { useHoist } from '../store/hoist-store.ts';
import { Icon } from './icons.tsx';
import { SignInFirst, signedOut } from './sign-in-first.tsx';

/**
 * The empty state: one large place to drop files, and the button for those who prefer one; when
 * uploads go to a Box account not signed in to, signing in comes first.
 */
export function EmptyState() {
  const settings = useHoist((state) => state.settings);
  const target = settings?.targetLabel ?? '…';
  const folder = settings?.destination.names.join(' / ') ?? '…';
  const openSettings = useHoist((state) => state.setSettingsOpen);
  if (settings && signedOut(settings)) return <SignInFirst settings={settings} />;
  return (
    <section className="empty-state" aria-label="No uploads yet">
      <div className="drop-target">
        <Icon name="upload" />
        <h2>Drop files here to upload them</h2>
        <p>
          Folders too: they keep their structure. Files go into <strong>{folder}</strong> on <strong>{target}</strong>.{' '}
          <button type="button" className="link-button" onClick={() => openSettings(true)}>
            Change…
          </button>
        </p>
        <div className="drop-actions">
          <button type="button" className="primary large" onClick={() => void addFromDialog()}>
            Add files…
          </button>
          <button type="button" className="large" onClick={() => void addFromDialog('folders')}>
            Add a folder…
          </button>
        </div>
      </div>
    </section>
  );
}

/** Shown over the window while files are dragged over it. */
export function DropOverlay() {
  const dragging = useHoist((state) => state.dragging);
  if (!dragging) return null;
  return (
    <div className="drop-overlay" aria-hidden="true">
      <p>Drop to upload</p>
    </div>
  );
}
