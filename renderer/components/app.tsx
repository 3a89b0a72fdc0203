import { useEffect } from 'react';
import { addDroppedFiles } from '../hoist-bridge.ts';
import { useHoist } from '../store/hoist-store.ts';
import { AccountBadge } from './account-badge.tsx';
import { DropOverlay, EmptyState } from './drop-zone.tsx';
import { Icon } from './icons.tsx';
import { JobList } from './job-list.tsx';
import { NameConflictBar } from './name-conflicts.tsx';
import { Notices } from './notices.tsx';
import { QueueTotals } from './queue-totals.tsx';
import { SettingsDialog } from './settings-dialog.tsx';
import { useFocusKeeper } from './focus-keeper.ts';
import { SkipLinks } from './skip-links.tsx';
import { RecentUploads, RecentUploadsButton } from './recent-uploads.tsx';
import { UpdateBar } from './update-bar.tsx';
import { ROOT_DESTINATION } from '../../shared/folder-model.ts';

const hasFiles = (event: DragEvent): boolean => Array.from(event.dataTransfer?.types ?? []).includes('Files');

/** Files dropped anywhere on the window are uploaded; nothing dropped ever navigates the page. */
function useWindowDrop(): void {
  useEffect(() => {
    const { setDragging } = useHoist.getState();
    let depth = 0;
    const over = (event: DragEvent) => {
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = hasFiles(event) ? 'copy' : 'none';
    };
    const enter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth += 1;
      setDragging(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (event: DragEvent) => {
      event.preventDefault();
      depth = 0;
      setDragging(false);
      const files = Array.from(event.dataTransfer?.files ?? []);
      void addDroppedFiles(files);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
}

export function App() {
  const order = useHoist((state) => state.order);
  const target = useHoist((state) =>
    state.settings
      ? state.settings.destination.folderId === ROOT_DESTINATION.folderId
        ? state.settings.targetLabel
        : `${state.settings.targetLabel} › ${state.settings.destination.names.at(-1)}`
      : undefined,
  );
  const openSettings = useHoist((state) => state.setSettingsOpen);
  useWindowDrop();
  useFocusKeeper();
  return (
    <div className="app">
      <SkipLinks />
      <header className="top-bar">
        <h1>Hoist</h1>
        {target && (
          <button
            type="button"
            className="target-pill"
            onClick={() => openSettings(true)}
            aria-label={`Uploading to ${target}; change where files go`}
          >
            To: {target}
          </button>
        )}
        <AccountBadge />
        <RecentUploadsButton />
        <button
          type="button"
          className="icon-button"
          aria-label="Settings"
          title="Settings"
          onClick={() => openSettings(true)}
        >
          <Icon name="settings" />
        </button>
      </header>
      <UpdateBar />
      <main>
        {order.length === 0 ? (
          <EmptyState />
        ) : (
          <>
            <QueueTotals />
            <NameConflictBar />
            <JobList />
          </>
        )}
      </main>
      <SettingsDialog />
      <RecentUploads />
      <Notices />
      <DropOverlay />
    </div>
  );
}
