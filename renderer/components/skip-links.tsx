import { useEffect } from 'react';
import type { JobView } from '../../shared/job-model.ts';
import { useHoist } from '../store/hoist-store.ts';
import { awaitsNameChoice } from '../store/queue-summary.ts';

/** A row a person should look at: failed, paused, waiting for something, or asking about a name. */
export const needsAttention = (job: JobView | undefined): boolean =>
  job !== undefined &&
  (job.state === 'failed' ||
    job.state === 'paused' ||
    job.state === 'waiting-network' ||
    job.state === 'waiting-token' ||
    job.state === 'waiting-sign-in' ||
    awaitsNameChoice(job));

/** Rows are windowed above 200 files: wait this many frames for a row scrolled to to be rendered. */
const FRAMES_FOR_A_ROW = 10;

const rowElement = (jobId: string) => document.querySelector<HTMLElement>(`[data-job-id="${CSS.escape(jobId)}"]`);

/**
 * Moves focus to the next row needing attention after the one holding focus (wrapping around),
 * on its first action (Resume, Retry, Replace...), scrolling it into view; false when none needs it.
 */
export function focusNextNeedingAttention(): boolean {
  const { order, jobsById } = useHoist.getState();
  const current = document.activeElement?.closest<HTMLElement>('[data-job-id]')?.dataset['jobId'];
  const from = current === undefined ? -1 : order.indexOf(current);
  let next: string | undefined;
  for (let step = 1; step <= order.length && next === undefined; step++) {
    const id = order[(from + step) % order.length]!;
    if (needsAttention(jobsById[id])) next = id;
  }
  if (next === undefined) return false;
  const target = next;
  const focusRow = (framesLeft: number) => {
    const row = rowElement(target);
    if (!row) {
      // Not rendered (a long, windowed list): scroll to where it is, then look again.
      const scroller = document.querySelector('main');
      const list = document.querySelector<HTMLElement>('.jobs');
      if (scroller && list && framesLeft === FRAMES_FOR_A_ROW)
        scroller.scrollTop = list.offsetTop + (list.scrollHeight * order.indexOf(target)) / order.length;
      if (framesLeft > 0) requestAnimationFrame(() => focusRow(framesLeft - 1));
      return;
    }
    const control =
      row.querySelector<HTMLElement>('.job-message button, .job-actions button') ?? row.querySelector('button');
    row.scrollIntoView({ block: 'nearest' });
    control?.focus();
  };
  focusRow(FRAMES_FOR_A_ROW);
  return true;
}

/** Focuses the queue summary (its totals and bulk actions), above the list. */
function focusSummary(): void {
  const summary = document.querySelector<HTMLElement>('.queue-totals');
  if (!summary) return;
  summary.tabIndex = -1;
  summary.focus();
}

/**
 * The first stops on Tab, shown only while focused: past the header to the summary, and to the
 * next file needing attention, so a long list never has to be tabbed through. Alt+N does the
 * latter from anywhere in the list.
 */
export function SkipLinks() {
  const files = useHoist((state) => state.order.length);
  useEffect(() => {
    const shortcut = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey || event.key.toLowerCase() !== 'n') return;
      if (document.querySelector('dialog[open]')) return;
      event.preventDefault();
      focusNextNeedingAttention();
    };
    window.addEventListener('keydown', shortcut);
    return () => window.removeEventListener('keydown', shortcut);
  }, []);
  if (files === 0) return null;
  return (
    <nav className="skip-links" aria-label="Skip links">
      <a
        href="#summary"
        onClick={(event) => {
          event.preventDefault();
          focusSummary();
        }}
      >
        Skip to the summary
      </a>
      <a
        href="#attention"
        aria-keyshortcuts="Alt+N"
        onClick={(event) => {
          event.preventDefault();
          if (!focusNextNeedingAttention()) focusSummary();
        }}
      >
        Next file needing attention
      </a>
    </nav>
  );
}
