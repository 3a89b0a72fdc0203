import { useShallow } from 'zustand/react/shallow';
import type { JobView, NameConflictChoice } from '../../shared/job-model.ts';
import { act, hoist } from '../hoist-bridge.ts';
import { useHoist } from '../store/hoist-store.ts';

/** Stopped because the destination already has the name: waiting for a person's choice. */
export const awaitsNameChoice = (job: JobView | undefined): boolean =>
  job?.state === 'failed' && job.error?.kind === 'name-taken';

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
  const waiting = useHoist(
    useShallow((state) => state.order.map((id) => state.jobsById[id]).filter((job) => awaitsNameChoice(job))),
  ) as JobView[];
  if (waiting.length < 2) return null;
  const replaceable = waiting.filter((job) => job.error?.takenBy !== 'folder');
  const all = (choice: NameConflictChoice, jobs: JobView[]) => () =>
    void act(async () => {
      for (const job of jobs) await resolve(job.id, choice);
    });
  return (
    <section className="conflict-bar" role="group" aria-label="Files whose names are taken">
      <p>{waiting.length} files have names already used in the destination folder.</p>
      <div className="choices">
        {replaceable.length > 0 && (
          <button type="button" onClick={all('replace', replaceable)}>
            Replace {replaceable.length === waiting.length ? 'all' : `the ${replaceable.length} files`}
          </button>
        )}
        <button type="button" onClick={all('keep-both', waiting)}>
          Keep both for all
        </button>
      </div>
    </section>
  );
}
