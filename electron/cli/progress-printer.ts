import type { Writable } from 'node:stream';
import { formatBytes, formatDuration, formatPercent, formatRate } from '../../shared/format.ts';
import type { JobProgressBatch, JobView } from '../../shared/job-model.ts';
import { printable } from '../../shared/printable.ts';

/** How `hoist` reports uploads: live lines in a terminal, plain lines in a pipe, or JSON events. */
export interface ProgressPrinter {
  /** `sharedLink`: the file's shared link, once made (--share). */
  changed(view: JobView & { sharedLink?: string }): void;
  progress(view: JobView, batch: JobProgressBatch): void;
  /** Stops redrawing; leaves the final state on screen. */
  close(): void;
}

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

export function jsonPrinter(out: Writable): ProgressPrinter {
  const write = (event: Record<string, unknown>): void => void out.write(`${JSON.stringify(event)}\n`);
  return {
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
    close() {},
  };
}

/** For pipes and logs: a line per state change and, while uploading, one every few seconds. */
export function plainPrinter(out: Writable, err: Writable, intervalMs = 2000): ProgressPrinter {
  const lastLineMs = new Map<string, number>();
  return {
    changed(view) {
      if (view.state === 'done') out.write(`${doneLine(view)}\n`);
      else if (view.state === 'failed') err.write(`${failureLine(view)}\n`);
      else {
        const why = view.error && view.state.startsWith('waiting') ? ` (${view.error.message})` : '';
        out.write(`${printable(`${STATE_WORDS[view.state]}  ${view.path}${why}`)}\n`);
      }
    },
    progress(view) {
      const nowMs = Date.now();
      if (view.state !== 'uploading' || nowMs - (lastLineMs.get(view.id) ?? 0) < intervalMs) return;
      lastLineMs.set(view.id, nowMs);
      out.write(
        `${progressText(view)
          .trim()
          .replace(/\s{2,}/g, '  ')}  ${printable(view.path)}\n`,
      );
    },
    close() {},
  };
}

/** For terminals: one live line per unfinished file, redrawn up to 10 times a second. */
export function ttyPrinter(out: Writable & { columns?: number }, err: Writable): ProgressPrinter {
  const live = new Map<string, JobView>();
  let drawnLines = 0;
  let timer: NodeJS.Timeout | undefined;
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
    timer = undefined;
    clearLive();
    drawLive();
  };
  const schedule = (): void => {
    timer ??= setTimeout(redraw, 100);
  };
  return {
    changed(view) {
      if (FINAL.has(view.state)) {
        live.delete(view.id);
        clearLive();
        if (view.state === 'failed') err.write(`${failureLine(view)}\n`);
        else out.write(`${view.state === 'done' ? doneLine(view) : printable(`canceled  ${view.path}`)}\n`);
        drawLive();
        return;
      }
      live.set(view.id, view);
      schedule();
    },
    progress(view) {
      if (live.has(view.id)) live.set(view.id, view);
      schedule();
    },
    close() {
      if (timer) clearTimeout(timer);
      redraw();
    },
  };
}
