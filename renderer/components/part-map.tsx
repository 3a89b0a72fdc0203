import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { formatBytes, formatCount, formatPercent } from '../../shared/format.ts';
import type { JobView, PartProgress, PartState } from '../../shared/job-model.ts';
import { partSizeAt } from '../../shared/part-size.ts';
import { useHoist } from '../store/hoist-store.ts';
import { partAt, partMapLayout, STATE_LABELS, summarizeParts, type PartMapLayout } from './part-map-layout.ts';

const STATES: PartState[] = ['pending', 'reading', 'uploading', 'retrying', 'done', 'failed'];
const EMPTY: PartProgress[] = [];

function partSize(job: JobView, index: number, count: number): number {
  return partSizeAt(index, count, job.partSizeBytes ?? job.totals.sizeBytes, job.totals.sizeBytes);
}

function describePart(job: JobView, parts: readonly PartProgress[], index: number): string {
  const part = parts[index]!;
  const size = partSize(job, index, parts.length);
  const offset = (job.partSizeBytes ?? 0) * index;
  const progress = part.state === 'uploading' ? ` ${formatPercent(part.bytesSent, size)}` : '';
  const attempts = part.attempts > 1 ? `, attempt ${part.attempts}` : '';
  const error = part.lastError ? `. Last error: ${part.lastError}` : '';
  return `Part ${formatCount(index + 1)}: ${STATE_LABELS[part.state].toLowerCase()}${progress}${attempts}; offset ${formatCount(offset)}, ${formatBytes(size)}${error}`;
}

interface Painted {
  parts: readonly PartProgress[];
  layout: PartMapLayout;
  focus: number | undefined;
  width: number;
  scheme: string;
}

function paintCell(
  context: CanvasRenderingContext2D,
  colors: Record<PartState, string>,
  layout: PartMapLayout,
  job: JobView,
  parts: readonly PartProgress[],
  index: number,
) {
  const part = parts[index]!;
  const pitch = layout.cellPx + layout.gapPx;
  const cell = layout.cellPx;
  const x = (index % layout.columns) * pitch;
  const y = Math.floor(index / layout.columns) * pitch;
  context.clearRect(x - 1, y - 1, cell + 2, cell + 2);
  if (part.state === 'uploading') {
    context.fillStyle = colors.pending;
    context.fillRect(x, y, cell, cell);
    const filled = Math.min(
      cell,
      Math.max(1, Math.round((cell * part.bytesSent) / Math.max(1, partSize(job, index, parts.length)))),
    );
    context.fillStyle = colors.uploading;
    context.fillRect(x, y + cell - filled, cell, filled);
  } else {
    context.fillStyle = colors[part.state];
    context.fillRect(x, y, cell, cell);
  }
}

/**
 * Paints the parts. The store replaces exactly the part objects that changed, so after the first
 * paint only those cells are drawn again: a progress batch costs what it changed, not 10,000 cells.
 */
function paint(
  canvas: HTMLCanvasElement,
  layout: PartMapLayout,
  job: JobView,
  parts: readonly PartProgress[],
  focus: number | undefined,
  last: Painted | undefined,
): Painted {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const scheme = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  const resized = canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(layout.heightPx * ratio);
  if (resized) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(layout.heightPx * ratio);
  }
  const painted: Painted = { parts, layout, focus, width, scheme };
  const context = canvas.getContext('2d');
  if (!context) return painted;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  const style = getComputedStyle(canvas);
  const colors = Object.fromEntries(
    STATES.map((state) => [state, style.getPropertyValue(`--part-${state}`).trim() || '#888']),
  ) as Record<PartState, string>;
  const incremental =
    !resized &&
    last !== undefined &&
    last.layout === layout &&
    last.width === width &&
    last.scheme === scheme &&
    last.parts.length === parts.length;
  if (!incremental) context.clearRect(0, 0, width, layout.heightPx);
  const pitch = layout.cellPx + layout.gapPx;
  for (let index = 0; index < parts.length; index++) {
    const moved = incremental && (index === last.focus || index === focus);
    if (!incremental || moved || parts[index] !== last.parts[index])
      paintCell(context, colors, layout, job, parts, index);
  }
  if (focus !== undefined && focus < parts.length) {
    context.strokeStyle = style.getPropertyValue('--focus').trim() || '#000';
    context.lineWidth = 2;
    context.strokeRect(
      (focus % layout.columns) * pitch - 1,
      Math.floor(focus / layout.columns) * pitch - 1,
      layout.cellPx + 2,
      layout.cellPx + 2,
    );
  }
  return painted;
}

/**
 * Every part of one job as a cell coloured by its state, drawn on a canvas so 10,000 parts cost
 * one paint, not 10,000 elements. Hover or arrow keys show a part's offset, size, attempts and
 * last error.
 */
export function PartMap({ job }: { job: JobView }) {
  const parts = useHoist((state) => state.partsByJob[job.id]) ?? EMPTY;
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(600);
  const [hover, setHover] = useState<{ index: number; x: number; y: number } | undefined>();
  const [focus, setFocus] = useState<number | undefined>();
  const layout = useMemo(() => partMapLayout(parts.length, width), [parts.length, width]);
  const frame = useRef<number | undefined>(undefined);
  const painted = useRef<Painted | undefined>(undefined);

  useLayoutEffect(() => {
    const element = canvas.current;
    if (!element) return undefined;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 600)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    // One paint per animation frame at most, however often progress arrives.
    if (frame.current !== undefined) cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      frame.current = undefined;
      if (canvas.current) painted.current = paint(canvas.current, layout, job, parts, focus, painted.current);
    });
  }, [layout, job, parts, focus]);

  const onMove = useCallback(
    (event: React.MouseEvent<HTMLCanvasElement>) => {
      const box = event.currentTarget.getBoundingClientRect();
      const index = partAt(layout, parts.length, event.clientX - box.left, event.clientY - box.top);
      setHover(index === undefined ? undefined : { index, x: event.clientX - box.left, y: event.clientY - box.top });
    },
    [layout, parts.length],
  );

  const onKey = (event: React.KeyboardEvent<HTMLCanvasElement>) => {
    const moves: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: layout.columns,
      ArrowUp: -layout.columns,
      Home: -Infinity,
      End: Infinity,
    };
    const move = moves[event.key];
    if (move === undefined || parts.length === 0) return;
    event.preventDefault();
    setFocus((current) =>
      Math.min(
        parts.length - 1,
        Math.max(0, (current ?? -1) + (Number.isFinite(move) ? move : move > 0 ? parts.length : -parts.length)),
      ),
    );
  };

  if (job.method !== 'session' || parts.length === 0) {
    return (
      <p className="part-map-empty">
        {job.method === 'direct'
          ? 'Small files go up in one request; there are no parts to show.'
          : 'Parts appear once the upload session starts.'}
      </p>
    );
  }
  const shown = hover?.index ?? focus;
  return (
    <div className="part-map">
      <div className="part-map-canvas-wrap">
        <canvas
          ref={canvas}
          className="part-map-canvas"
          style={{ height: `${layout.heightPx}px` }}
          tabIndex={0}
          role="img"
          aria-label={`Part map of ${job.fileName}: ${summarizeParts(parts)}. Use the arrow keys to inspect parts.`}
          onMouseMove={onMove}
          onMouseLeave={() => setHover(undefined)}
          onKeyDown={onKey}
          onBlur={() => setFocus(undefined)}
        />
        {shown !== undefined && parts[shown] && (
          <div
            className="part-tooltip"
            role="tooltip"
            style={
              hover
                ? { left: `${hover.x + 12}px`, top: `${hover.y + 12}px` }
                : { left: '8px', top: `${layout.heightPx + 4}px` }
            }
          >
            {describePart(job, parts, shown)}
          </div>
        )}
      </div>
      <ul className="part-legend" aria-label="Legend">
        {STATES.map((state) => (
          <li key={state}>
            <span className={`swatch swatch-${state}`} aria-hidden="true" />
            {STATE_LABELS[state]}
          </li>
        ))}
      </ul>
      <p className="visually-hidden" aria-live="polite">
        {focus !== undefined && parts[focus] ? describePart(job, parts, focus) : ''}
      </p>
    </div>
  );
}
