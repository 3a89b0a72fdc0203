import type { JobView, NameConflictChoice } from '../../shared/job-model.ts';
import { act, hoist } from '../hoist-bridge.ts';
import { useHoist } from '../store/hoist-store.ts';
import { awaitsNameChoice } from '../store/queue-summary.ts';

const resolve = (jobId: string, choice: NameConflictChoice) => hoist().resolveNameConflict({ jobId, choice });

/** Replace (a new version of the file already there) or keep both (a numbered name), for one file. */
export function NameConflictChoices({ job }: { job: JobView }) {
  return (
    <div className="choices" role="group" aria-label={`What to do with ${job.fileName}`}>
      {job.error?.takenBy !== 'folder' && (
        <button type="button" onClick={() => void act(() => resolve(job.id, 'replace'))}>
          Replace
        </button>
      )}
      <button type="button" onClick={() => void act(() => resolve(job.id, 'keep-both'))}>
        Keep both
      </button>
    </div>
  );
}

/** When several files stopped on taken names: one choice for all of them. */
export function NameConflictBar() {
  const waiting = useHoist((state) => state.summary.namesTaken);
  const replaceable = waiting - useHoist((state) => state.summary.namesTakenByFolder);
  if (waiting < 2) return null;
  // The jobs are looked up when the button is pressed; the bar itself only needs the counts.
  const all = (choice: NameConflictChoice) => () =>
    void act(async () => {
      const { order, jobsById } = useHoist.getState();
      for (const id of order) {
        const job = jobsById[id];
        if (!awaitsNameChoice(job) || (choice === 'replace' && job?.error?.takenBy === 'folder')) continue;
        await resolve(id, choice);
      }
    });
  return (
    <section className="conflict-bar" role="group" aria-label="Files whose names are taken">
      <p>{waiting} files have names already used in the destination folder.</p>
      <div className="choices">
        {replaceable > 0 && (
          <button type="button" onClick={all('replace')}>
            Replace {replaceable === waiting ? 'all' : `the ${replaceable} files`}
          </button>
        )}
        <button type="button" onClick={all('keep-both')}>
          Keep both for all
        </button>
      </div>
    </section>
  );
}
