import { useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { formatBytes } from '../../shared/format.ts';
import type { JobView } from '../../shared/job-model.ts';
import { fitMiddle, textWidthPx } from './text-width.ts';

/** Space between the pieces of the line under the name (styles.css .file-sub gap). */
const SUB_GAP_PX = 10;

/** The folder the file was added from: its path without the last part. */
export const sourceFolderOf = (path: string): string => path.replace(/[\\/][^\\/]*$/, '') || path;

/** The id of the element that describes a row (full name, source folder, destination). */
export const rowDescriptionId = (jobId: string): string => `job-description-${jobId}`;

const fontOf = (element: Element | null): string => {
  if (!element) return '';
  const style = getComputedStyle(element);
  return `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
};

interface Room {
  widthPx: number;
  fonts: { name: string; sub: string };
}

/** The name block's width and the fonts of its two lines, followed as the block resizes. */
function useRoom(
  box: RefObject<HTMLElement | null>,
  name: RefObject<HTMLElement | null>,
  sub: RefObject<HTMLElement | null>,
): Room {
  const [room, setRoom] = useState<Room>({ widthPx: 0, fonts: { name: '', sub: '' } });
  useLayoutEffect(() => {
    const target = box.current;
    if (!target) return;
    // A ResizeObserver reports the first size as soon as it observes.
    const observer = new ResizeObserver(([entry]) => {
      const widthPx = Math.floor(entry?.contentRect.width ?? 0);
      setRoom((known) =>
        known.widthPx === widthPx && known.fonts.name
          ? known
          : { widthPx, fonts: { name: fontOf(name.current), sub: fontOf(sub.current) } },
      );
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [box, name, sub]);
  return room;
}

interface Texts {
  name: string;
  source: string;
  destination: string;
}

/**
 * The name, and the line under it (size, source folder, destination), each shortened in the
 * middle to the room there is: the source and the destination share what the size leaves.
 */
function fitTexts(full: Texts, widthPx: number, fonts: { name: string; sub: string }, sizeText: string): Texts {
  if (widthPx <= 0 || !fonts.name) return full;
  const roomPx = widthPx - 2; // subpixel rounding: never let the browser's own ellipsis cut the end
  const name = fitMiddle(full.name, roomPx, fonts.name);
  const pieces = [full.source, full.destination].filter((text) => text.length > 0).length;
  let restPx = roomPx - (sizeText ? textWidthPx(sizeText, fonts.sub) + SUB_GAP_PX : 0) - SUB_GAP_PX * (pieces - 1);
  const fit = (text: string, budgetPx: number) => (text ? fitMiddle(text, Math.max(0, budgetPx), fonts.sub) : '');
  let source = full.source;
  if (full.source && full.destination) {
    const wantedPx = textWidthPx(full.destination, fonts.sub);
    source = fit(full.source, Math.max(restPx / 2, restPx - wantedPx));
    restPx -= textWidthPx(source, fonts.sub);
  } else if (full.source) {
    source = fit(full.source, restPx);
  }
  return { name, source, destination: fit(full.destination, restPx) };
}

/**
 * A row's name block: the file name shortened in the middle (the extension stays), its size, the
 * folder it came from when another row has the same name, and where on Box it goes. The full
 * name, source folder and destination show on hover, and when the row's first control has
 * keyboard focus; they are also that control's accessible description.
 */
export function JobName({ job, sameNameElsewhere }: { job: JobView; sameNameElsewhere: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const nameElement = useRef<HTMLSpanElement>(null);
  const subElement = useRef<HTMLSpanElement>(null);
  const { widthPx, fonts } = useRoom(box, nameElement, subElement);
  const source = sourceFolderOf(job.path);
  const destination = job.destinationPath?.join(' › ') ?? '';
  const sizeText = job.refused ? '' : formatBytes(job.totals.sizeBytes);
  const full: Texts = {
    name: job.fileName,
    source: sameNameElsewhere || job.refused ? `from ${source}` : '',
    destination: destination && !job.refused ? `→ ${destination}` : '',
  };
  const shown = useMemo(
    () => fitTexts(full, widthPx, fonts, sizeText),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the texts are strings; `full` is rebuilt every render
    [full.name, full.source, full.destination, widthPx, fonts, sizeText],
  );
  return (
    <div className="job-name" ref={box}>
      <span className="file-name" ref={nameElement} aria-hidden="true">
        {shown.name}
      </span>
      <span className="visually-hidden">{job.fileName}</span>
      <span className="file-sub" ref={subElement}>
        {sizeText && <span className="file-size">{sizeText}</span>}
        {shown.source && <span className="file-source">{shown.source}</span>}
        {shown.destination && <span className="file-destination">{shown.destination}</span>}
      </span>
      <div className="name-popover" id={rowDescriptionId(job.id)}>
        <span className="popover-name">{job.fileName}</span>
        <span>From {source}</span>
        {destination && <span>To Box: {destination}</span>}
      </div>
    </div>
  );
}
