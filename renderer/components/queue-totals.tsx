import { formatBytes, formatDuration, formatPercent, formatRate } from '../../shared/format.ts';
import { act, addFromDialog, hoist } from '../hoist-bridge.ts';
import { useHoist } from '../store/hoist-store.ts';
import { Icon } from './icons.tsx';
import { ProgressBar } from './progress-bar.tsx';

/** The whole queue: files, bytes, progress, speed and ETA, with pause all / resume all. */
export function QueueTotals() {
  const totals = useHoist((state) => state.summary);
  const uploadLimit = useHoist((state) => state.settings?.uploadLimitBytesPerSec ?? null);
  const openSettings = useHoist((state) => state.setSettingsOpen);
  const remaining = totals.sizeBytes - totals.bytesConfirmed;
  const eta = totals.speedBytesPerSec > 1 ? remaining / totals.speedBytesPerSec : null;
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
    </section>
  );
}
