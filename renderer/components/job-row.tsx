import { memo, useEffect, useRef } from 'react';
import { formatCount, formatDuration, formatPercent, formatRate } from '../../shared/format.ts';
import { IN_PROGRESS_STATES, type JobView } from '../../shared/job-model.ts';
import { decodeParts } from '../../shared/parts-codec.ts';
import { act, hoist } from '../hoist-bridge.ts';
import { useHoist } from '../store/hoist-store.ts';
import { awaitsNameChoice } from '../store/queue-summary.ts';
import { DoneActions } from './done-actions.tsx';
import { SignInAgain } from './box-account.tsx';
import { Icon, type IconName } from './icons.tsx';
import { JobErrorText } from './job-error.tsx';
import { JobName, rowDescriptionId } from './job-name.tsx';
import { NameConflictChoices } from './name-conflicts.tsx';
import { PartMap } from './part-map.tsx';
import { ProgressBar } from './progress-bar.tsx';

const STATE_TEXT: Record<JobView['state'], string> = {
  queued: 'Queued',
  hashing: 'Hashing',
  uploading: 'Uploading',
  paused: 'Paused',
  'waiting-network': 'Waiting for network',
  'waiting-token': 'Waiting for a token',
  'waiting-sign-in': 'Waiting for sign-in',
  committing: 'Committing',
  done: 'Done',
  failed: 'Failed',
  canceled: 'Canceled',
};

function ActionButton({
  icon,
  label,
  onClick,
  describedBy,
}: {
  icon: IconName;
  label: string;
  onClick: () => void;
  describedBy?: string;
}) {
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={label}
      title={label}
      onClick={onClick}
      aria-describedby={describedBy}
    >
      <Icon name={icon} />
    </button>
  );
}

function actionsFor(job: JobView) {
  const jobId = job.id;
  const api = hoist();
  const actions: Array<{ icon: IconName; label: string; run: () => Promise<void> }> = [];
  if (IN_PROGRESS_STATES.has(job.state))
    actions.push({ icon: 'pause', label: `Pause ${job.fileName}`, run: () => api.pauseJob({ jobId }) });
  if (job.state === 'paused')
    actions.push({ icon: 'play', label: `Resume ${job.fileName}`, run: () => api.resumeJob({ jobId }) });
  if (job.state === 'failed' && !awaitsNameChoice(job) && !job.refused)
    actions.push({ icon: 'retry', label: `Retry ${job.fileName}`, run: () => api.retryJob({ jobId }) });
  if (job.state === 'done')
    actions.push({ icon: 'folder', label: `Show ${job.fileName} in its folder`, run: () => api.revealJob({ jobId }) });
  if (IN_PROGRESS_STATES.has(job.state) || job.state === 'paused')
    actions.push({ icon: 'cancel', label: `Cancel ${job.fileName}`, run: () => api.cancelJob({ jobId }) });
  if (!IN_PROGRESS_STATES.has(job.state))
    actions.push({
      icon: 'remove',
      label: `Remove ${job.fileName} from the list`,
      run: () => api.removeJob({ jobId }),
    });
  return actions;
}

/** One file: name, size, state, progress, speed, ETA, actions; expands to its part map. */
export const JobRow = memo(function JobRow({
  id,
  position,
}: {
  id: string;
  /** In a windowed list: where the row is among all of them (for assistive technology). */
  position?: { index: number; of: number } | undefined;
}) {
  const job = useHoist((state) => state.jobsById[id]);
  const expanded = useHoist((state) => state.expanded[id] ?? false);
  const toggle = useHoist((state) => state.toggleExpanded);
  const setParts = useHoist((state) => state.setParts);
  const hasParts = useHoist((state) => state.partsByJob[id] !== undefined);
  const totalParts = job?.totals.totalParts ?? 0;
  const sameNameElsewhere = useHoist((state) => job !== undefined && (state.nameCounts[job.fileName] ?? 0) > 1);
  const focusRequested = useHoist((state) => state.focusRequest?.jobId === id);
  const row = useRef<HTMLLIElement>(null);

  useEffect(() => {
    // The summary's "Go to…": this row is in the page now (a windowed list scrolled to it first).
    if (!focusRequested || !row.current) return;
    row.current.scrollIntoView({ block: 'nearest' });
    row.current.focus();
    useHoist.getState().requestFocus(undefined);
  }, [focusRequested]);

  useEffect(() => {
    // The part map's first state comes from main; later changes arrive with progress updates.
    if (!expanded || (hasParts && totalParts === useHoist.getState().partsByJob[id]?.length)) return;
    void hoist()
      .getParts({ jobId: id })
      .then((encoded) => setParts(id, decodeParts(encoded)))
      .catch(() => undefined);
  }, [expanded, hasParts, totalParts, id, setParts]);

  if (!job) return null;
  const { totals } = job;
  const moving = job.state === 'uploading' || job.state === 'committing';
  const waiting = job.state === 'waiting-network' || job.state === 'waiting-token' || job.state === 'waiting-sign-in';
  // Stopped on a taken name is not a failure: it waits for the person's choice.
  const choosing = awaitsNameChoice(job);
  const stateText = choosing ? 'Name in use' : job.refused ? 'Not added' : STATE_TEXT[job.state];
  const meta = [
    moving ? formatRate(totals.speedBytesPerSec) : '',
    moving && totals.etaSeconds !== null ? `ETA ${formatDuration(totals.etaSeconds)}` : '',
    totals.totalParts > 1 ? `${formatCount(totals.partsDone)}/${formatCount(totals.totalParts)} parts` : '',
  ];
  return (
    <li
      ref={row}
      tabIndex={-1}
      className={`job job-${job.state}`}
      aria-label={`${job.fileName}, ${stateText}`}
      aria-describedby={rowDescriptionId(id)}
      data-job-id={id}
      {...(position ? { 'aria-posinset': position.index + 1, 'aria-setsize': position.of } : {})}
    >
      <div className="job-line">
        {job.refused ? (
          <span className="expand" />
        ) : (
          <button
            type="button"
            className="icon-button expand"
            aria-expanded={expanded}
            aria-label={`${expanded ? 'Hide' : 'Show'} the parts of ${job.fileName}`}
            aria-describedby={rowDescriptionId(id)}
            onClick={() => toggle(id)}
          >
            <Icon name="chevron" />
          </button>
        )}
        <JobName job={job} sameNameElsewhere={sameNameElsewhere} />
        <span className={`job-state state-${choosing ? 'choosing' : job.state}`}>{stateText}</span>
        <div className="job-progress">
          {!job.refused && (
            <>
              <ProgressBar totals={totals} label={`Progress of ${job.fileName}`} />
              <span className="job-percent">{formatPercent(totals.bytesConfirmed, totals.sizeBytes)}</span>
            </>
          )}
        </div>
        {/* Beside the bar on wide windows, on a line of its own under the name on narrow ones. */}
        <div className={meta.some(Boolean) ? 'job-meta' : 'job-meta job-meta-empty'}>
          <span className="job-speed">{meta[0]}</span>
          <span className="job-eta">{meta[1]}</span>
          <span className="job-parts">{meta[2]}</span>
        </div>
        <div className="job-actions">
          {job.state === 'done' && job.fileId && <DoneActions id={id} fileName={job.fileName} />}
          {actionsFor(job).map((action) => (
            <ActionButton
              key={action.label}
              icon={action.icon}
              label={action.label}
              onClick={() => void act(action.run)}
              {...(job.refused ? { describedBy: rowDescriptionId(id) } : {})}
            />
          ))}
        </div>
      </div>
      {job.identicalOnBox && job.state === 'done' && (
        <p className="job-note">Already on Box: the file there is identical, so nothing was uploaded.</p>
      )}
      {job.resumed && job.state !== 'done' && (
        <p className="job-note">
          Resumed: {formatCount(job.resumed.partsAlreadyUploaded)} of {formatCount(job.resumed.totalParts)} parts were
          already on Box.
        </p>
      )}
      {job.error && (job.state === 'failed' || waiting) && (
        <JobErrorText error={job.error} waiting={waiting || choosing}>
          {awaitsNameChoice(job) && <NameConflictChoices job={job} />}
          {(job.state === 'waiting-sign-in' || job.state === 'waiting-token') && (
            <SignInAgain fileName={job.fileName} />
          )}
        </JobErrorText>
      )}
      {expanded && !job.refused && <PartMap job={job} />}
    </li>
  );
});
