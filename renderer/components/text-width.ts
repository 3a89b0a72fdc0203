/** Text measured as the browser draws it (canvas measureText), for shortening names in the middle. */
import { shortenMiddle } from './middle-ellipsis.ts';

let context: CanvasRenderingContext2D | null | undefined;

/** The width of `text` in `font` (a CSS font shorthand), by one shared canvas; 0 where there is none. */
export function textWidthPx(text: string, font: string): number {
  context ??= document.createElement('canvas').getContext('2d');
  if (!context) return 0;
  if (context.font !== font) context.font = font;
  return context.measureText(text).width;
}

/** `text` shortened in the middle to fit `widthPx` in `font`. */
export function fitMiddle(text: string, widthPx: number, font: string): string {
  return shortenMiddle(text, (candidate) => textWidthPx(candidate, font) <= widthPx);
}
