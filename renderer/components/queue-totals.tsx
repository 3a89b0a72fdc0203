import { formatBytes, formatCount, formatDuration, formatPercent, formatRate } from '../../shared/format.ts';
import { act, addFromDialog, hoist } from '../hoist-bridge.ts';
import { useHoist } from '../store/hoist-store.ts';
import { needsAttention } from '../store/queue-summary.ts';
import { Icon } from './icons.tsx';
import { ProgressBar } from './progress-bar.tsx';

/** Scrolls to the first row a person has to act on and focuses it (found when asked: no walk per update). */
function goToFirstNeedingAttention(): void {
  const { order, jobsById, requestFocus } = useHoist.getState();
  const first = order.find((id) => needsAttention(jobsById[id]));
  if (first) requestFocus(first);
}

/** What happened, in counts, with what can be done to all of them at once. */
function QueueStatus() {
  const summary = useHoist((state) => state.summary);
  const counts: Array<[number, string, string]> = [
    [summary.active, 'in progress', 'count-active'],
    [summary.done, 'done', 'count-done'],
    [summary.failed, 'failed', 'count-failed'],
    [summary.paused, 'paused', 'count-paused'],
    [summary.namesTaken, 'waiting for a choice', 'count-choosing'],
  ];
  const shown = counts.filter(([count]) => count > 0);
  const cleared = summary.done + summary.canceled;
  return (
    <div className="totals-status">
      {/* Not a list: the page's list items are its rows. Commas for screen readers only. */}
      <p className="status-counts">
        {shown.map(([count, label, className], index) => (
          <span key={label} className={className}>
            {formatCount(count)} {label}
            {index < shown.length - 1 && <span className="visually-hidden">, </span>}
          </span>
        ))}
      </p>
      <div className="status-actions">
        {summary.attention > 0 && (
          <button type="button" className="link-button attention-link" onClick={goToFirstNeedingAttention}>
            {summary.attention === 1 ? 'Go to the one needing attention' : 'Go to the first needing attention'}
          </button>
        )}
        {summary.retryable > 0 && (
          <button type="button" onClick={() => void act(async () => void (await hoist().retryFailed()))}>
            <Icon name="retry" /> Retry failed
          </button>
        )}
        {cleared > 0 && (
          <button type="button" onClick={() => void act(async () => void (await hoist().clearFinished()))}>
            Clear finished
          </button>
        )}
      </div>
    </div>
  );
}

/** The whole queue: files, bytes, progress, speed and ETA, with pause all / resume all. */
export function QueueTotals() {
  const totals = useHoist((state) => state.summary);
  const uploadLimit = useHoist((state) => state.settings?.uploadLimitBytesPerSec ?? null);
  const openSettings = useHoist((state) => state.setSettingsOpen);
  // Queued files count too: the ETA is for everything still to go, not only what runs now.
  const eta = totals.speedBytesPerSec > 1 ? totals.activeRemainingBytes / totals.speedBytesPerSec : null;
  return (
    <section className="queue-totals" aria-label="All uploads">
      <div className="totals-text">
        <strong>
          {totals.files} file{totals.files === 1 ? '' : 's'}
        </strong>
        <span>
          {formatBytes(totals.bytesConfirmed)} of {formatBytes(totals.sizeBytes)} (
          {formatPercent(totals.bytesConfirmed, totals.sizeBytes)})
        </span>
        {totals.active > 0 && <span>{formatRate(totals.speedBytesPerSec)}</span>}
        {totals.active > 0 && eta !== null && <span>ETA {formatDuration(eta)}</span>}
        {uploadLimit !== null && (
          <button type="button" className="link-button upload-limit-note" onClick={() => openSettings(true)}>
            Limited to {formatRate(uploadLimit)}
          </button>
        )}
      </div>
      <div className="totals-actions">
        <button type="button" disabled={totals.active === 0} onClick={() => void act(() => hoist().pauseAll())}>
          <Icon name="pause" /> Pause all
        </button>
        <button type="button" disabled={totals.paused === 0} onClick={() => void act(() => hoist().resumeAll())}>
          <Icon name="play" /> Resume all
        </button>
        <button type="button" onClick={() => void addFromDialog('folders')}>
          Add folder…
        </button>
        <button type="button" className="primary" onClick={() => void addFromDialog()}>
          <Icon name="upload" /> Add files…
        </button>
      </div>
      <ProgressBar
        totals={{
          sizeBytes: totals.sizeBytes,
          bytesConfirmed: totals.bytesConfirmed,
          bytesSent: totals.bytesSent,
          partsDone: 0,
          totalParts: 0,
          speedBytesPerSec: 0,
          etaSeconds: null,
        }}
        label="Progress of all uploads"
      />
      <QueueStatus />
    </section>
  );
}
