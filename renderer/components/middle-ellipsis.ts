/**
 * Long names shortened in the middle, so the end and the extension stay (a little more of the end
 * than of the start: names made from one another differ mostly at the end) ("holiday-vid…v3-DRAFT.mov"),
 * as GitHub Desktop shortens paths: two names that differ only at the end stay apart on screen.
 * CSS can only cut at the end (text-overflow), hence the measuring.
 */

export const ELLIPSIS = '…';

/** The extension with its dot (".mov"), or "" when there is none worth keeping. */
function extensionOf(text: string): string {
  const dot = text.lastIndexOf('.');
  return dot > 0 && text.length - dot <= 10 ? text.slice(dot) : '';
}

/** `text` with `kept` of its characters kept: a head, "…", and a tail holding the extension and a few more. */
export function keepCharacters(text: string, kept: number): string {
  if (kept >= text.length) return text;
  if (kept <= 0) return ELLIPSIS;
  const wantedTail = Math.max(Math.ceil(kept * 0.55), extensionOf(text).length + 5);
  const tail = Math.min(kept, wantedTail);
  return `${text.slice(0, kept - tail)}${ELLIPSIS}${text.slice(text.length - tail)}`;
}

/**
 * The longest middle-shortened form of `text` that `fits` (the whole text when it fits). Binary
 * search over the characters kept: about log2(length) measurements.
 */
export function shortenMiddle(text: string, fits: (candidate: string) => boolean): string {
  if (fits(text)) return text;
  let low = 0; // fits (or nothing does)
  let high = text.length; // does not fit
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (fits(keepCharacters(text, middle))) low = middle;
    else high = middle;
  }
  return keepCharacters(text, low);
}
