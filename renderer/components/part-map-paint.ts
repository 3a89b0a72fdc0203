import type { PartProgress, PartState } from '../../shared/job-model.ts';
import type { PartMapLayout } from './part-map-layout.ts';

/**
 * Room around the cells for the focus ring (2 px wide, drawn just outside a cell), so a ring on
 * the first row or column is not cut off by the canvas edge.
 */
export const RING_PAD_PX = 2;
/** Below this cell size the marks would be noise: brightness alone tells the states apart there. */
const MARK_MIN_CELL_PX = 7;
/**
 * Time a frame may spend painting cells. The first paint of 10,000 cells takes several frames
 * instead of one long task (the page stays responsive while a large map appears).
 */
const FRAME_BUDGET_MS = 6;
/** Cells painted between two looks at the clock. */
const CHUNK_CELLS = 200;

const STATES: readonly PartState[] = ['pending', 'reading', 'uploading', 'retrying', 'done', 'failed'];

export interface Palette {
  fill: Record<PartState, string>;
  /** The colour of a state's mark (a dot, stripes, a cross), chosen to stand out on its fill. */
  mark: Record<PartState, string>;
  focus: string;
}

/** The part colours of the current theme, from the CSS custom properties (styles.css). */
export function readPalette(element: Element): Palette {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const fill = {} as Record<PartState, string>;
  const mark = {} as Record<PartState, string>;
  for (const state of STATES) {
    fill[state] = read(`--part-${state}`, '#888');
    mark[state] = read(`--part-${state}-mark`, fill[state]);
  }
  return { fill, mark, focus: read('--focus', '#000') };
}

/**
 * One cell at (x, y), `cell` px square. Each state has its own brightness and, from 7 px up, its
 * own mark, so states differ without colour: pending plain and lightest (darkest in the dark
 * theme), reading a dot, uploading an outline filling from the bottom, retrying stripes, done
 * plain and darkest (brightest), failed a cross.
 */
export function drawCell(
  context: CanvasRenderingContext2D,
  palette: Palette,
  x: number,
  y: number,
  cell: number,
  part: PartProgress,
  sizeBytes: number,
): void {
  const { state } = part;
  const marked = cell >= MARK_MIN_CELL_PX;
  if (state === 'uploading') {
    context.fillStyle = palette.fill.pending;
    context.fillRect(x, y, cell, cell);
    const filled = Math.min(cell, Math.max(1, Math.round((cell * part.bytesSent) / Math.max(1, sizeBytes))));
    context.fillStyle = palette.fill.uploading;
    context.fillRect(x, y + cell - filled, cell, filled);
    if (marked) {
      context.strokeStyle = palette.fill.uploading;
      context.lineWidth = 1;
      context.strokeRect(x + 0.5, y + 0.5, cell - 1, cell - 1);
    }
    return;
  }
  context.fillStyle = palette.fill[state];
  context.fillRect(x, y, cell, cell);
  if (!marked) return;
  const mark = palette.mark[state];
  if (state === 'reading') {
    const dot = Math.max(2, Math.round(cell / 3));
    const at = Math.floor((cell - dot) / 2);
    context.fillStyle = mark;
    context.fillRect(x + at, y + at, dot, dot);
  } else if (state === 'retrying' || state === 'failed') {
    context.save();
    context.beginPath();
    context.rect(x, y, cell, cell);
    context.clip();
    context.strokeStyle = mark;
    context.lineWidth = Math.max(1.5, cell / 6);
    context.beginPath();
    if (state === 'retrying') {
      // Three stripes rising to the right.
      for (const shift of [-cell / 2, 0, cell / 2]) {
        context.moveTo(x + shift, y + cell);
        context.lineTo(x + shift + cell, y);
      }
    } else {
      const inset = cell / 4;
      context.moveTo(x + inset, y + inset);
      context.lineTo(x + cell - inset, y + cell - inset);
      context.moveTo(x + cell - inset, y + inset);
      context.lineTo(x + inset, y + cell - inset);
    }
    context.stroke();
    context.restore();
  }
}

export interface PaintInput {
  layout: PartMapLayout;
  parts: readonly PartProgress[];
  /** Bytes in part `index` (the last part is shorter). */
  sizeOf(index: number): number;
  focus: number | undefined;
}

/**
 * Paints the part map on its canvas, at most once per animation frame. The store replaces exactly
 * the part objects that changed, so after the first paint only those cells are drawn again; the
 * first paint itself is spread over frames of a few milliseconds each. Exactly one focus ring is
 * painted: the old one is cleared, with the cells it overlapped, before the new one is drawn.
 */
export class PartMapPainter {
  readonly #canvas: HTMLCanvasElement;
  #input: PaintInput | undefined;
  #frame = 0;
  /** What each cell shows now (the part object drawn there). */
  #shown: Array<PartProgress | undefined> = [];
  /** Cells from here on have not been drawn since the canvas was last reset. */
  #cursor = 0;
  #ringAt: number | undefined;
  #key = '';
  #palette: Palette | undefined;

  constructor(canvas: HTMLCanvasElement) {
    this.#canvas = canvas;
  }

  update(input: PaintInput): void {
    this.#input = input;
    this.#frame ||= requestAnimationFrame(() => this.#run());
  }

  dispose(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  #run(): void {
    this.#frame = 0;
    const input = this.#input;
    const context = this.#canvas.getContext('2d');
    if (!input || !context) return;
    const startedMs = performance.now();
    const { layout, parts, focus } = input;
    const ratio = window.devicePixelRatio || 1;
    const widthPx = this.#canvas.clientWidth;
    const heightPx = layout.heightPx + 2 * RING_PAD_PX;
    const scheme = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    const key = `${widthPx}x${heightPx}@${ratio} ${scheme} ${layout.columns}/${layout.cellPx} ${parts.length}`;
    if (key !== this.#key || !this.#palette) {
      this.#key = key;
      this.#canvas.width = Math.round(widthPx * ratio);
      this.#canvas.height = Math.round(heightPx * ratio);
      this.#palette = readPalette(this.#canvas);
      this.#shown = new Array<PartProgress | undefined>(parts.length);
      this.#cursor = 0;
      this.#ringAt = undefined;
    }
    context.setTransform(ratio, 0, 0, ratio, ratio * RING_PAD_PX, ratio * RING_PAD_PX);
    const palette = this.#palette;
    const pitch = layout.cellPx + layout.gapPx;
    const draw = (index: number) => {
      const part = parts[index];
      if (!part) return;
      const x = (index % layout.columns) * pitch;
      const y = Math.floor(index / layout.columns) * pitch;
      drawCell(context, palette, x, y, layout.cellPx, part, input.sizeOf(index));
      this.#shown[index] = part;
    };

    if (this.#ringAt !== undefined && this.#ringAt !== focus) {
      // Clear the old ring and the gap it sat in, then draw again the cells it overlapped.
      const old = this.#ringAt;
      const column = old % layout.columns;
      const row = Math.floor(old / layout.columns);
      context.clearRect(column * pitch - 2, row * pitch - 2, layout.cellPx + 4, layout.cellPx + 4);
      for (let dRow = -1; dRow <= 1; dRow++)
        for (let dColumn = -1; dColumn <= 1; dColumn++) {
          const c = column + dColumn;
          const index = (row + dRow) * layout.columns + c;
          if (c >= 0 && c < layout.columns && index >= 0 && index < this.#cursor) draw(index);
        }
      this.#ringAt = undefined;
    }
    const shown = this.#shown;
    for (let index = 0; index < this.#cursor; index++) if (parts[index] !== shown[index]) draw(index);
    while (this.#cursor < parts.length && performance.now() - startedMs < FRAME_BUDGET_MS) {
      const end = Math.min(parts.length, this.#cursor + CHUNK_CELLS);
      for (let index = this.#cursor; index < end; index++) draw(index);
      this.#cursor = end;
    }
    if (focus !== undefined && focus < this.#cursor) {
      context.strokeStyle = palette.focus;
      context.lineWidth = 2;
      const x = (focus % layout.columns) * pitch;
      const y = Math.floor(focus / layout.columns) * pitch;
      context.strokeRect(x - 1, y - 1, layout.cellPx + 2, layout.cellPx + 2);
      this.#ringAt = focus;
    }
    if (this.#cursor < parts.length) this.#frame = requestAnimationFrame(() => this.#run());
  }
}
