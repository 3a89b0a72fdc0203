import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { formatBytes, formatCount, formatPercent } from '../../shared/format.ts';
import type { JobView, PartProgress, PartState } from '../../shared/job-model.ts';
import { partSizeAt } from '../../shared/part-size.ts';
import { useHoist } from '../store/hoist-store.ts';
import { partAt, partMapLayout, STATE_LABELS, summarizeParts } from './part-map-layout.ts';
import { drawCell, PartMapPainter, readPalette, RING_PAD_PX } from './part-map-paint.ts';

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

/** The theme the OS asks for; a change repaints what reads colours from CSS. */
function useColorScheme(): 'dark' | 'light' {
  const query = useMemo(() => window.matchMedia('(prefers-color-scheme: dark)'), []);
  const [dark, setDark] = useState(query.matches);
  useEffect(() => {
    const changed = () => setDark(query.matches);
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }, [query]);
  return dark ? 'dark' : 'light';
}

const SWATCH_PX = 14;
const SWATCH_PART: Record<PartState, PartProgress> = Object.fromEntries(
  STATES.map((state) => [state, { state, bytesSent: state === 'uploading' ? 1 : 0, bytesConfirmed: 0, attempts: 1 }]),
) as Record<PartState, PartProgress>;

/** A legend entry's sample: the same cell the map draws for that state, mark included. */
function Swatch({ state }: { state: PartState }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const scheme = useColorScheme();
  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    const ratio = window.devicePixelRatio || 1;
    element.width = SWATCH_PX * ratio;
    element.height = SWATCH_PX * ratio;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    // Half full, as an uploading part in the middle of its request.
    drawCell(context, readPalette(element), 0, 0, SWATCH_PX, SWATCH_PART[state], 2);
  }, [state, scheme]);
  return <canvas ref={canvas} className="swatch" width={SWATCH_PX} height={SWATCH_PX} aria-hidden="true" />;
}

/**
 * Every part of one job as a cell showing its state, drawn on a canvas so 10,000 parts cost one
 * paint, not 10,000 elements. Hover or arrow keys show a part's offset, size, attempts and last
 * error; the keyboard's part has the one focus ring, and its description sits between the map
 * and the legend, covering neither.
 */
export function PartMap({ job }: { job: JobView }) {
  const parts = useHoist((state) => state.partsByJob[job.id]) ?? EMPTY;
  const canvas = useRef<HTMLCanvasElement>(null);
  const painter = useRef<PartMapPainter | undefined>(undefined);
  const [width, setWidth] = useState(600);
  const [hover, setHover] = useState<{ index: number; x: number; y: number } | undefined>();
  const [focus, setFocus] = useState<number | undefined>();
  const lastFocus = useRef(0);
  const scheme = useColorScheme();
  const layout = useMemo(() => partMapLayout(parts.length, width - 2 * RING_PAD_PX), [parts.length, width]);
  const tooltipId = useId();
  const summary = useMemo(() => summarizeParts(parts), [parts]);
  const hasParts = parts.length > 0;

  useLayoutEffect(() => {
    const element = canvas.current;
    if (!element) return undefined;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 600)));
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasParts]);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return undefined;
    const current = (painter.current ??= new PartMapPainter(element));
    return () => {
      current.dispose();
      painter.current = undefined;
    };
  }, [hasParts]);

  useEffect(() => {
    painter.current?.update({ layout, parts, focus, sizeOf: (index) => partSize(job, index, parts.length) });
  }, [layout, job, parts, focus, scheme]);

  const pointAt = (event: React.MouseEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const x = event.clientX - box.left;
    const y = event.clientY - box.top;
    return { x, y, index: partAt(layout, parts.length, x - RING_PAD_PX, y - RING_PAD_PX) };
  };
  const onMove = (event: React.MouseEvent<HTMLCanvasElement>) => {
    const { x, y, index } = pointAt(event);
    setHover(index === undefined ? undefined : { index, x, y });
  };
  const moveFocus = (index: number | undefined) => {
    if (index !== undefined) lastFocus.current = index;
    setFocus(index);
  };

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
    // The first key on the map picks the part last inspected (the first part at first).
    if (focus === undefined && Number.isFinite(move)) return moveFocus(Math.min(lastFocus.current, parts.length - 1));
    const from = focus ?? 0;
    moveFocus(
      Math.min(parts.length - 1, Math.max(0, Number.isFinite(move) ? from + move : move > 0 ? parts.length : 0)),
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
  const pointed = hover && parts[hover.index] ? hover.index : undefined;
  const focused = focus !== undefined && parts[focus] ? focus : undefined;
  return (
    <div className="part-map">
      <div className="part-map-canvas-wrap">
        <canvas
          ref={canvas}
          className="part-map-canvas"
          style={{ height: `${layout.heightPx + 2 * RING_PAD_PX}px` }}
          tabIndex={0}
          role="img"
          aria-label={`Part map of ${job.fileName}: ${summary}. Use the arrow keys to inspect parts.`}
          aria-describedby={focused !== undefined ? tooltipId : undefined}
          onMouseMove={onMove}
          onMouseLeave={() => setHover(undefined)}
          onMouseDown={(event) => moveFocus(pointAt(event).index)}
          onKeyDown={onKey}
          // One focus ring: around the map until a part is picked, then around that part only.
          data-part-focused={focused !== undefined ? '' : undefined}
          onBlur={() => setFocus(undefined)}
        />
        {pointed !== undefined && pointed !== focused && (
          // By mouse: above the pointer, so it never hides the legend under the map.
          <div
            className="part-tooltip part-tooltip-pointer"
            role="tooltip"
            style={{ left: `${hover!.x + 12}px`, bottom: `calc(100% - ${hover!.y - 8}px)` }}
          >
            {describePart(job, parts, pointed)}
          </div>
        )}
      </div>
      {focused !== undefined && (
        <div id={tooltipId} className="part-tooltip part-tooltip-keyboard" role="tooltip">
          {describePart(job, parts, focused)}
        </div>
      )}
      <ul className="part-legend" aria-label="Legend">
        {STATES.map((state) => (
          <li key={state}>
            <Swatch state={state} />
            {STATE_LABELS[state]}
          </li>
        ))}
      </ul>
      <p className="visually-hidden" aria-live="polite">
        {focused !== undefined ? describePart(job, parts, focused) : ''}
      </p>
    </div>
  );
}
