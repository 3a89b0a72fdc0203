import { badRequest } from './localbox-error.ts';

export interface MultipartPartInfo {
  /** The form field name from content-disposition. */
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
}

/** Receives one part's bytes; returning a promise applies backpressure to the request. */
export interface MultipartSink {
  write(chunk: Buffer): Promise<void> | void;
  end(): Promise<void> | void;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;

/** The boundary from `multipart/form-data; boundary=...`, or a 400. */
export function boundaryOf(contentType: string | undefined): string {
  const match = /^multipart\/form-data\s*;.*\bboundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw badRequest('Content-Type must be multipart/form-data with a boundary');
  return boundary;
}

function parsePartHeaders(block: string): MultipartPartInfo {
  let disposition = '';
  let contentType: string | undefined;
  for (const line of block.split('\r\n')) {
    const at = line.indexOf(':');
    if (at < 0) continue;
    const name = line.slice(0, at).trim().toLowerCase();
    const value = line.slice(at + 1).trim();
    if (name === 'content-disposition') disposition = value;
    if (name === 'content-type') contentType = value;
  }
  const field = (key: string): string | undefined =>
    new RegExp(`;\\s*${key}="([^"]*)"`, 'i').exec(disposition)?.[1] ??
    new RegExp(`;\\s*${key}=([^;\\s]+)`, 'i').exec(disposition)?.[1];
  const name = field('name');
  if (!/^form-data\b/i.test(disposition) || name === undefined) {
    throw badRequest('Every multipart part needs Content-Disposition: form-data; name="..."');
  }
  return { name, filename: field('filename'), contentType };
}

/**
 * Streams a multipart/form-data body: part bodies go to their sinks as they arrive, so a file
 * part is never held whole in memory. `onPart` may throw to reject the upload early.
 */
export async function readMultipart(
  source: AsyncIterable<Buffer>,
  boundary: string,
  onPart: (info: MultipartPartInfo) => Promise<MultipartSink> | MultipartSink,
): Promise<void> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // Treat the body as if preceded by CRLF so the first boundary looks like every other one.
  let buffer: Buffer = Buffer.from(CRLF);
  type ReaderState = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done';
  let state = 'preamble' as ReaderState;
  let sink: MultipartSink | undefined;

  const step = async (): Promise<boolean> => {
    switch (state) {
      case 'preamble': {
        const at = buffer.indexOf(delimiter);
        if (at < 0) {
          buffer = buffer.subarray(Math.max(0, buffer.length - delimiter.length));
          return false;
        }
        buffer = buffer.subarray(at + delimiter.length);
        state = 'after-delimiter';
        return true;
      }
      case 'after-delimiter': {
        if (buffer.length < 2) return false;
        if (buffer[0] === 0x2d && buffer[1] === 0x2d) {
          state = 'done';
          return false;
        }
        if (!buffer.subarray(0, 2).equals(CRLF)) throw badRequest('Malformed multipart boundary line');
        buffer = buffer.subarray(2);
        state = 'headers';
        return true;
      }
      case 'headers': {
        const at = buffer.indexOf(HEADER_END);
        if (at < 0) {
          if (buffer.length > MAX_HEADER_BYTES) throw badRequest('Multipart part headers are too long');
          return false;
        }
        sink = await onPart(parsePartHeaders(buffer.subarray(0, at).toString('utf8')));
        buffer = buffer.subarray(at + HEADER_END.length);
        state = 'body';
        return true;
      }
      case 'body': {
        const at = buffer.indexOf(delimiter);
        if (at >= 0) {
          if (at > 0) await sink?.write(buffer.subarray(0, at));
          await sink?.end();
          buffer = buffer.subarray(at + delimiter.length);
          state = 'after-delimiter';
          return true;
        }
        // Keep a tail that could be the start of the delimiter; pass the rest on.
        const safe = buffer.length - (delimiter.length - 1);
        if (safe > 0) {
          await sink?.write(buffer.subarray(0, safe));
          buffer = buffer.subarray(safe);
        }
        return false;
      }
      case 'done':
        return false;
    }
  };

  for await (const chunk of source) {
    if (state === 'done') continue; // the epilogue is read and ignored, so the socket stays usable
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    while (await step());
  }
  if (state !== 'done') throw badRequest('The multipart body ended before its closing boundary');
}
