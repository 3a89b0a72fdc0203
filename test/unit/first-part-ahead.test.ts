import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { describe, it, type TestContext } from 'node:test';
import { BufferPool } from '../../electron/engine/buffer-pool.ts';
import { LIKELY_PART_SIZE_BYTES, readFirstPartAhead } from '../../electron/engine/first-part-ahead.ts';
import { planParts } from '../../electron/engine/part-plan.ts';
import { OrderedPartReader, type ReadPart } from '../../electron/engine/part-reader.ts';
import { ResumableSha1 } from '../../electron/engine/sha1/resumable-sha1.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { writePatternFile } from '../helpers/test-files.ts';

const sha1 = (bytes: Uint8Array): string => createHash('sha1').update(bytes).digest('hex');

/** The file, with every read's offset noted: which bytes were read from disk, and when. */
async function countedFile(t: TestContext, sizeBytes: number) {
  const file = await writePatternFile(await tempDir(t), 'ahead.bin', sizeBytes, 21);
  const handle = await open(file.path);
  t.after(() => handle.close());
  const readOffsets: number[] = [];
  const counted = new Proxy(handle, {
    get(target, property) {
      if (property === 'read') {
        return (buffer: Buffer, offset: number, length: number, position: number) => {
          readOffsets.push(position);
          return target.read(buffer, offset, length, position);
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as FileHandle;
  return { file, handle: counted, readOffsets };
}

async function readAll(
  handle: FileHandle,
  sizeBytes: number,
  partSizeBytes: number,
  wholeFile: ResumableSha1,
  ahead?: ReturnType<typeof readFirstPartAhead>,
) {
  const plan = planParts(sizeBytes, partSizeBytes, Math.ceil(sizeBytes / partSizeBytes));
  const reader = new OrderedPartReader({
    file: handle,
    plan,
    pool: new BufferPool(partSizeBytes, 2),
    wholeFile,
    isConfirmed: () => false,
    afterRead: async () => undefined,
    firstPartAhead: ahead,
  });
  const parts: Array<Pick<ReadPart, 'index' | 'sha1Hex'> & { bytesSha1: string }> = [];
  for (let part = await reader.next(); part; part = await reader.next()) {
    parts.push({ index: part.index, sha1Hex: part.sha1Hex, bytesSha1: sha1(part.bytes) });
    part.release();
  }
  return parts;
}

describe('the first part, read while the session is created', () => {
  it('is sent from what was read ahead, not read again, with the same digests', async (t) => {
    const sizeBytes = LIKELY_PART_SIZE_BYTES + 1000;
    const { file, handle, readOffsets } = await countedFile(t, sizeBytes);
    const wholeFile = ResumableSha1.create();
    const ahead = readFirstPartAhead(handle, sizeBytes, wholeFile);
    assert.ok(ahead, 'a new upload of a usual size reads ahead');
    await ahead; // the session "answers" after the read
    const readsAhead = readOffsets.length;
    assert.ok(readsAhead > 0 && readOffsets.every((offset) => offset < LIKELY_PART_SIZE_BYTES));
    const parts = await readAll(handle, sizeBytes, LIKELY_PART_SIZE_BYTES, wholeFile, ahead);
    assert.deepEqual(
      readOffsets.slice(readsAhead).filter((offset) => offset < LIKELY_PART_SIZE_BYTES),
      [],
      'the first part was not read again',
    );
    assert.equal(parts.length, 2);
    for (const part of parts) assert.equal(part.sha1Hex, part.bytesSha1, `part ${part.index}'s digest is its bytes'`);
    assert.equal(wholeFile.digest().toString('hex'), file.sha1, 'the whole-file SHA-1 is the file’s');
  });

  it('is dropped when the session chose another part size, and the parts are read as they are', async (t) => {
    const sizeBytes = LIKELY_PART_SIZE_BYTES + 1000;
    const { file, handle } = await countedFile(t, sizeBytes);
    const wholeFile = ResumableSha1.create();
    const ahead = readFirstPartAhead(handle, sizeBytes, wholeFile);
    const otherPartSizeBytes = 5 * 1024 * 1024 + 1;
    const parts = await readAll(handle, sizeBytes, otherPartSizeBytes, wholeFile, ahead);
    assert.equal(parts.length, 2);
    for (const part of parts) assert.equal(part.sha1Hex, part.bytesSha1);
    assert.equal(wholeFile.digest().toString('hex'), file.sha1);
  });

  it('is not guessed for a hash already begun (a resumed upload)', async (t) => {
    const { handle } = await countedFile(t, 1000);
    const begun = ResumableSha1.create();
    begun.update(Buffer.alloc(64));
    assert.equal(readFirstPartAhead(handle, 1000, begun), undefined);
  });
});
