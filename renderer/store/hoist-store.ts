import { create } from 'zustand';
import type { JobsUpdate, JobView, Notice, PartProgress } from '../../shared/job-model.ts';
import type { SettingsView } from '../../shared/settings-model.ts';
import { adjustSummary, EMPTY_SUMMARY, summarize, type QueueSummary } from './queue-summary.ts';

export interface ShownNotice extends Notice {
  id: number;
}

export interface HoistState {
  /**
   * Every job's view. Entries are replaced, never changed, so a row's selector sees its own
   * change; the container itself is reused across updates, because copying it would make every
   * update cost O(jobs) with tens of thousands of files in the queue.
   */
  jobsById: Record<string, JobView>;
  /** Totals over all jobs, adjusted per changed job. */
  summary: QueueSummary;
  /** Job ids in the order they were added. */
  order: string[];
  /** Parts of jobs whose part map was opened, by job id. */
  partsByJob: Record<string, PartProgress[]>;
  expanded: Record<string, boolean>;
  settings: SettingsView | undefined;
  settingsOpen: boolean;
  notices: ShownNotice[];
  dragging: boolean;
  /**
   * How many rows have each file name, so rows sharing one show their source folder. Kept per
   * changed job and reused like jobsById (a row's selector reads its own name's count).
   */
  nameCounts: Record<string, number>;
  /** A row to scroll to and focus (the summary's "Go to…"); the row clears it once focused. */
  focusRequest: { jobId: string } | undefined;
}

export interface HoistActions {
  /** One update batch from main, applied with one set(). */
  applyUpdate(update: JobsUpdate): void;
  setJobs(jobs: JobView[]): void;
  setParts(jobId: string, parts: PartProgress[]): void;
  toggleExpanded(jobId: string): void;
  setSettings(settings: SettingsView): void;
  setSettingsOpen(open: boolean): void;
  notify(notice: Notice): void;
  dismissNotice(id: number): void;
  setDragging(dragging: boolean): void;
  /** Scrolls to the row and focuses it (rendering it first in a windowed list). */
  requestFocus(jobId: string | undefined): void;
}

/** `name` counted once more (or less), in place. */
function countName(counts: Record<string, number>, name: string, delta: 1 | -1): void {
  const next = (counts[name] ?? 0) + delta;
  if (next > 0) counts[name] = next;
  else delete counts[name];
}

let nextNoticeId = 1;

/**
 * Applies a batch: changed jobs, removed jobs, and changed parts (copy on write, per job), in
 * O(what changed).
 */
export function reduceUpdate(state: HoistState, update: JobsUpdate): Partial<HoistState> {
  const { jobsById, nameCounts } = state;
  let { order, summary } = state;
  const partsByJob = { ...state.partsByJob };
  const added: string[] = [];
  const replace = (view: JobView): void => {
    const before = jobsById[view.id];
    summary = adjustSummary(summary, before, view);
    if (before?.fileName !== view.fileName) {
      if (before) countName(nameCounts, before.fileName, -1);
      countName(nameCounts, view.fileName, 1);
    }
    jobsById[view.id] = view;
  };
  for (const view of update.changed) {
    if (!jobsById[view.id]) added.push(view.id);
    replace(view);
  }
  if (added.length > 0) order = [...order, ...added];
  for (const batch of update.progress) {
    const view = jobsById[batch.jobId];
    if (view) replace({ ...view, totals: batch.totals });
    const parts = partsByJob[batch.jobId];
    if (!parts || batch.parts.length === 0) continue;
    const next = parts.slice();
    for (const [index, part] of batch.parts) if (index < next.length) next[index] = part;
    partsByJob[batch.jobId] = next;
  }
  if (update.removed.length > 0) {
    const removed = new Set(update.removed);
    order = order.filter((id) => !removed.has(id));
    for (const id of removed) {
      const before = jobsById[id];
      summary = adjustSummary(summary, before, undefined);
      if (before) countName(nameCounts, before.fileName, -1);
      delete jobsById[id];
      delete partsByJob[id];
    }
  }
  return { jobsById, order, partsByJob, summary };
}

export const useHoist = create<HoistState & HoistActions>()((set) => ({
  jobsById: {},
  summary: EMPTY_SUMMARY,
  order: [],
  partsByJob: {},
  expanded: {},
  settings: undefined,
  settingsOpen: false,
  notices: [],
  dragging: false,
  nameCounts: {},
  focusRequest: undefined,
  applyUpdate: (update) => set((state) => reduceUpdate(state, update)),
  setJobs: (jobs) => {
    const nameCounts: Record<string, number> = {};
    for (const job of jobs) countName(nameCounts, job.fileName, 1);
    set({
      jobsById: Object.fromEntries(jobs.map((job) => [job.id, job])),
      order: jobs.map((job) => job.id),
      summary: summarize(jobs),
      nameCounts,
    });
  },
  setParts: (jobId, parts) => set((state) => ({ partsByJob: { ...state.partsByJob, [jobId]: parts } })),
  toggleExpanded: (jobId) => set((state) => ({ expanded: { ...state.expanded, [jobId]: !state.expanded[jobId] } })),
  setSettings: (settings) => set({ settings }),
  setSettingsOpen: (settingsOpen) => set({ settingsOpen }),
  notify: (notice) => set((state) => ({ notices: [...state.notices.slice(-4), { ...notice, id: nextNoticeId++ }] })),
  dismissNotice: (id) => set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) })),
  setDragging: (dragging) => set({ dragging }),
  requestFocus: (jobId) => set({ focusRequest: jobId === undefined ? undefined : { jobId } }),
}));
