import type { PartProgress, PartState } from '../../shared/job-model.ts';

export interface PartMapLayout {
  cellPx: number;
  gapPx: number;
  columns: number;
  rows: number;
  heightPx: number;
}

const MAX_HEIGHT_PX = 260;

/** Cells as large as fit: 14 px for a few parts, down to 3 px so 10,000 parts stay in view. */
export function partMapLayout(count: number, widthPx: number): PartMapLayout {
  for (const [cellPx, gapPx] of [
    [14, 3],
    [10, 2],
    [7, 1],
    [5, 1],
    [4, 1],
    [3, 0],
  ] as const) {
    const columns = Math.max(1, Math.floor((widthPx + gapPx) / (cellPx + gapPx)));
    const rows = Math.ceil(count / columns);
    const heightPx = rows * (cellPx + gapPx);
    if (heightPx <= MAX_HEIGHT_PX || cellPx === 3)
      return { cellPx, gapPx, columns, rows, heightPx: Math.max(heightPx, cellPx) };
  }
  throw new Error('unreachable');
}

/** The part under a point of the canvas, if any. */
export function partAt(layout: PartMapLayout, count: number, xPx: number, yPx: number): number | undefined {
  const pitch = layout.cellPx + layout.gapPx;
  const column = Math.floor(xPx / pitch);
  const row = Math.floor(yPx / pitch);
  if (column < 0 || column >= layout.columns || row < 0) return undefined;
  const index = row * layout.columns + column;
  return index < count ? index : undefined;
}

export const STATE_LABELS: Record<PartState, string> = {
  pending: 'Pending',
  reading: 'Reading',
  uploading: 'Uploading',
  retrying: 'Retrying',
  done: 'Done',
  failed: 'Failed',
};

/**
 * "412 done, 4 uploading, 608 pending": what a screen reader hears for the whole map. Counted
 * with plain counters (it runs on every progress batch over up to 10,000 parts; a Map per part
 * was the costliest script while a large map was open).
 */
export function summarizeParts(parts: readonly PartProgress[]): string {
  const counts: Record<PartState, number> = { pending: 0, reading: 0, uploading: 0, retrying: 0, done: 0, failed: 0 };
  for (let index = 0; index < parts.length; index++) counts[parts[index]!.state]++;
  return (['done', 'uploading', 'reading', 'retrying', 'failed', 'pending'] as const)
    .filter((state) => counts[state] > 0)
    .map((state) => `${counts[state].toLocaleString('en-US')} ${STATE_LABELS[state].toLowerCase()}`)
    .join(', ');
}
