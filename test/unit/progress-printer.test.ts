import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { jsonPrinter, plainPrinter, ttyPrinter } from '../../electron/cli/progress-printer.ts';
import type { JobView } from '../../shared/job-model.ts';

function sink(): Writable & { text: string; columns: number } {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      stream.text += chunk.toString();
      done();
    },
  }) as Writable & { text: string; columns: number };
  stream.text = '';
  stream.columns = 120;
  return stream;
}

const view = (patch: Partial<JobView>): JobView => ({
  id: 'a',
  path: '/data/movie.mov',
  fileName: 'movie.mov',
  state: 'uploading',
  method: 'session',
  createdAtMs: 0,
  totals: {
    sizeBytes: 100_000_000,
    bytesConfirmed: 45_000_000,
    bytesSent: 50_000_000,
    partsDone: 5,
    totalParts: 12,
    speedBytesPerSec: 12_300_000,
    etaSeconds: 42,
  },
  ...patch,
});

describe('progress printers', () => {
  it('a terminal gets one live line per file, redrawn in place at each read, then a final line', () => {
    const out = sink();
    const err = sink();
    const printer = ttyPrinter(out, err);
    assert.equal(printer.intervalMs, 100, 'read up to ten times a second');
    printer.changed(view({}));
    assert.equal(out.text, '', 'a live line waits for the next read: the printer keeps no timer of its own');
    printer.tick();
    assert.match(out.text, /45%\s+12\.3 MB\/s\s+ETA 0:42\s+5\/12 parts\s+uploading\s+movie\.mov\n$/);
    printer.progress(view({ totals: { ...view({}).totals, bytesConfirmed: 90_000_000, partsDone: 11 } }), {
      jobId: 'a',
      totals: view({}).totals,
      parts: [],
    });
    assert.doesNotMatch(out.text, /90%/, 'progress is drawn at the end of the read, once for all files');
    printer.tick();
    assert.ok(out.text.includes('\u001b[1F\u001b[0J'), 'the live line is redrawn in place');
    assert.match(out.text, /90%/);
    printer.changed(view({ state: 'failed', error: { kind: 'file-changed', message: 'The file changed on disk.' } }));
    printer.close();
    assert.equal(err.text, 'hoist: /data/movie.mov: The file changed on disk.\n');
  });

  it('a pipe gets plain lines and JSON mode one object per event', () => {
    const out = sink();
    const err = sink();
    const plain = plainPrinter(out, err);
    assert.equal(plain.intervalMs, 2000, 'progress read every two seconds');
    plain.changed(view({ state: 'queued' }));
    plain.progress(view({}), { jobId: 'a', totals: view({}).totals, parts: [] });
    plain.tick();
    plain.progress(view({ state: 'committing' }), { jobId: 'a', totals: view({}).totals, parts: [] });
    plain.changed(view({ state: 'done', fileId: '7', sha1: 'ab' }));
    assert.deepEqual(out.text.trim().split('\n'), [
      'queued  /data/movie.mov',
      '45%  12.3 MB/s  ETA 0:42  5/12 parts  /data/movie.mov',
      'done  /data/movie.mov  100 MB  file 7  sha1 ab',
    ]);
    const json = sink();
    const jsonOut = jsonPrinter(json);
    jsonOut.progress(view({}), {
      jobId: 'a',
      totals: view({}).totals,
      parts: [[4, { state: 'done', bytesSent: 9, bytesConfirmed: 9, attempts: 2 }]],
    });
    jsonOut.tick();
    jsonOut.changed(view({ state: 'done', fileId: '7', sha1: 'ab' }));
    assert.deepEqual(
      json.text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
      [
        {
          event: 'progress',
          path: '/data/movie.mov',
          ...view({}).totals,
          parts: [{ index: 4, state: 'done', attempts: 2 }],
        },
        { event: 'done', path: '/data/movie.mov', fileId: '7', sha1: 'ab' },
      ],
    );
  });
});
