import { formatPercent } from '../../shared/format.ts';
import type { JobTotals } from '../../shared/job-model.ts';

/** Confirmed bytes as the bar, bytes sent but not yet confirmed as a lighter band ahead of it. */
export function ProgressBar({ totals, label }: { totals: JobTotals; label: string }) {
  const size = Math.max(1, totals.sizeBytes);
  const confirmed = Math.min(100, (100 * totals.bytesConfirmed) / size);
  const sent = Math.min(100, (100 * Math.max(totals.bytesSent, totals.bytesConfirmed)) / size);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.floor(confirmed)}
      aria-valuetext={`${formatPercent(totals.bytesConfirmed, totals.sizeBytes)} confirmed by the server`}
    >
      <div className="progress-sent" style={{ width: `${sent}%` }} />
      <div className="progress-confirmed" style={{ width: `${confirmed}%` }} />
    </div>
  );
}
