import type { Writable } from 'node:stream';
import { formatBytes, formatDuration, formatPercent, formatRate } from '../../shared/format.ts';
import type { JobProgressBatch, JobView } from '../../shared/job-model.ts';
import { printable } from '../../shared/printable.ts';

/**
 * How `hoist` reports uploads: live lines in a terminal, plain lines in a pipe, or JSON events.
 * A printer keeps no timer of its own: it says how often it wants progress (`intervalMs`), and
 * runQueue reads the queue at that rate, handing each job's progress to `progress()` and then
 * calling `tick()`. That read is the CLI's one throttle.
 */
export interface ProgressPrinter {
  /** How often progress is read for this printer, in milliseconds. */
  readonly intervalMs: number;
  /** A job's state or view changed. `sharedLink`: the file's shared link, once made (--share). */
  changed(view: JobView & { sharedLink?: string }): void;
  /** One job's progress since the last read: its view now and the parts that changed. */
  progress(view: JobView, batch: JobProgressBatch): void;
  /** The end of a read, every `intervalMs` while anything changes: a live display redraws. */
  tick(): void;
  /** Stops redrawing; leaves the final state on screen. */
  close(): void;
}

/** JSON mode's progress rate: about ten events a second per uploading file. */
export const JSON_INTERVAL_MS = 100;
/** A terminal's live lines are redrawn up to ten times a second. */
export const TTY_INTERVAL_MS = 100;
/** A pipe or log gets a progress line per uploading file every two seconds. */
export const PLAIN_INTERVAL_MS = 2000;

const STATE_WORDS: Record<JobView['state'], string> = {
  queued: 'queued',
  hashing: 'hashing',
  uploading: 'uploading',
  paused: 'paused',
  'waiting-network': 'waiting for the network',
  'waiting-token': 'waiting for a token',
  'waiting-sign-in': 'waiting for sign-in',
  committing: 'committing',
  done: 'done',
  failed: 'failed',
  canceled: 'canceled',
};

const FINAL = new Set<JobView['state']>(['done', 'failed', 'canceled']);

function progressText(view: JobView): string {
  const { totals } = view;
  const parts = totals.totalParts > 0 ? `${totals.partsDone}/${totals.totalParts} parts` : '';
  return [
    formatPercent(totals.bytesConfirmed, totals.sizeBytes).padStart(4),
    formatRate(totals.speedBytesPerSec).padStart(10),
    `ETA ${formatDuration(totals.etaSeconds)}`.padEnd(11),
    parts.padEnd(15),
  ].join('  ');
}

/** The one line that says why a file failed, naming the file (goes to stderr). */
export function failureLine(view: JobView): string {
  const detail = view.error?.detail ? ` [${view.error.detail}]` : '';
  // What the command line can do about it, inside the sentence.
  const hint =
    view.error?.kind === 'name-taken'
      ? ' (choose with --on-conflict replace or keep-both, which upload and resume take)'
      : view.error?.detail === 'EISDIR'
        ? ' (add --recursive to upload it with everything in it)'
        : '';
  const message = view.error?.message ?? 'failed';
  const sentence = hint ? `${message.replace(/\.$/, '')}${hint}.` : message;
  return printable(`hoist: ${view.path}: ${sentence}${detail}`);
}

function doneLine(view: JobView & { sharedLink?: string }): string {
  const link = view.sharedLink ? `  link ${view.sharedLink}` : '';
  return printable(
    `done  ${view.path}  ${formatBytes(view.totals.sizeBytes)}  file ${view.fileId}  sha1 ${view.sha1}${link}`,
  );
}

/** One JSON object a line: state, progress (totals and changed parts), done and failed events. */
export function jsonPrinter(out: Writable, intervalMs = JSON_INTERVAL_MS): ProgressPrinter {
  const write = (event: Record<string, unknown>): void => void out.write(`${JSON.stringify(event)}\n`);
  return {
    intervalMs,
    changed(view) {
      if (view.state === 'done')
        write({
          event: 'done',
          path: view.path,
          fileId: view.fileId,
          sha1: view.sha1,
          ...(view.sharedLink ? { sharedLink: view.sharedLink } : {}),
        });
      else if (view.state === 'failed') write({ event: 'failed', path: view.path, error: view.error });
      else
        write({
          event: 'state',
          path: view.path,
          state: view.state,
          ...(view.error ? { error: view.error } : {}),
          ...(view.resumed ? { resumed: view.resumed } : {}),
        });
    },
    progress(view, batch) {
      write({
        event: 'progress',
        path: view.path,
        ...batch.totals,
        parts: batch.parts.map(([index, part]) => ({ index, state: part.state, attempts: part.attempts })),
      });
    },
    tick() {},
    close() {},
  };
}

/**
 * For pipes and logs: a line per state change and, while uploading, one per read of progress
 * (every `intervalMs`, a few seconds).
 */
export function plainPrinter(out: Writable, err: Writable, intervalMs = PLAIN_INTERVAL_MS): ProgressPrinter {
  return {
    intervalMs,
    changed(view) {
      if (view.state === 'done') out.write(`${doneLine(view)}\n`);
      else if (view.state === 'failed') err.write(`${failureLine(view)}\n`);
      else {
        const why = view.error && view.state.startsWith('waiting') ? ` (${view.error.message})` : '';
        out.write(`${printable(`${STATE_WORDS[view.state]}  ${view.path}${why}`)}\n`);
      }
    },
    progress(view) {
      if (view.state !== 'uploading') return;
      out.write(
        `${progressText(view)
          .trim()
          .replace(/\s{2,}/g, '  ')}  ${printable(view.path)}\n`,
      );
    },
    tick() {},
    close() {},
  };
}

/**
 * For terminals: one live line per unfinished file, redrawn at each read of progress (up to ten
 * times a second); a finished file's line is printed at once, above them.
 */
export function ttyPrinter(
  out: Writable & { columns?: number },
  err: Writable,
  intervalMs = TTY_INTERVAL_MS,
): ProgressPrinter {
  const live = new Map<string, JobView>();
  let drawnLines = 0;
  const clearLive = (): void => {
    if (drawnLines > 0) out.write(`\x1b[${drawnLines}F\x1b[0J`);
    drawnLines = 0;
  };
  const drawLive = (): void => {
    const width = Math.max(40, (out.columns ?? 100) - 1);
    const lines = [...live.values()].map((view) =>
      `${progressText(view)}  ${STATE_WORDS[view.state].padEnd(10)}  ${printable(view.fileName)}`.slice(0, width),
    );
    if (lines.length > 0) out.write(`${lines.join('\n')}\n`);
    drawnLines = lines.length;
  };
  const redraw = (): void => {
    clearLive();
    drawLive();
  };
  return {
    intervalMs,
    changed(view) {
      if (FINAL.has(view.state)) {
        live.delete(view.id);
        clearLive();
        if (view.state === 'failed') err.write(`${failureLine(view)}\n`);
        else out.write(`${view.state === 'done' ? doneLine(view) : printable(`canceled  ${view.path}`)}\n`);
        drawLive();
        return;
      }
      live.set(view.id, view); // shown at the next tick
    },
    progress(view) {
      if (live.has(view.id)) live.set(view.id, view);
    },
    tick: redraw,
    close: redraw,
  };
}
