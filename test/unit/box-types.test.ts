import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseConflictingPart,
  parseFile,
  parseMarkerPage,
  parsePage,
  parseStoredPart,
  parseUploadSession,
  storedPartToWire,
} from '../../electron/box/box-types.ts';
import { BoxProtocolError } from '../../electron/box/box-error.ts';
import { markerPages } from '../../electron/box/marker-pages.ts';

// Box's own examples (box-api.md sections 3, 4 and 7), as they arrive on the wire.
const SESSION = {
  id: 'F971964745A5CD0C001BBE4E58196BFD',
  type: 'upload_session',
  session_expires_at: '2012-12-12T10:53:43-08:00',
  part_size: 8388608,
  total_parts: 1000,
  num_parts_processed: 455,
  session_endpoints: {
    upload_part: 'https://upload.box.com/api/2.0/files/upload_sessions/F97/',
    commit: 'https://upload.box.com/api/2.0/files/upload_sessions/F97/commit',
    abort: 'https://upload.box.com/api/2.0/files/upload_sessions/F97',
    list_parts: 'https://upload.box.com/api/2.0/files/upload_sessions/F97/parts',
    status: 'https://upload.box.com/api/2.0/files/upload_sessions/F97',
    log_event: 'https://upload.box.com/api/2.0/files/upload_sessions/F97/log',
  },
};

describe('Box types at the HTTP edge', () => {
  it('turns an upload session into names with units, keeping every value', () => {
    assert.deepEqual(parseUploadSession(SESSION), {
      id: 'F971964745A5CD0C001BBE4E58196BFD',
      expiresAt: '2012-12-12T10:53:43-08:00',
      partSizeBytes: 8388608,
      totalParts: 1000,
      partsProcessed: 455,
      endpoints: {
        uploadPart: SESSION.session_endpoints.upload_part,
        commit: SESSION.session_endpoints.commit,
        abort: SESSION.session_endpoints.abort,
        listParts: SESSION.session_endpoints.list_parts,
        status: SESSION.session_endpoints.status,
      },
    });
    assert.throws(() => parseUploadSession({ ...SESSION, part_size: 0 }), BoxProtocolError);
    assert.throws(() => parseUploadSession({ ...SESSION, session_endpoints: {} }), BoxProtocolError);
  });

  it('sends a stored part back to the commit as Box returned it, field for field', () => {
    const fromBox = {
      part_id: '6F2D3486',
      offset: 8388608,
      size: 8388608,
      sha1: '134b65991ed521fcfe4724b7d814ab8ded5185dc',
    };
    const part = parseStoredPart(fromBox);
    assert.deepEqual(part, {
      partId: '6F2D3486',
      offsetBytes: 8388608,
      sizeBytes: 8388608,
      sha1Hex: '134b65991ed521fcfe4724b7d814ab8ded5185dc',
    });
    assert.equal(JSON.stringify(storedPartToWire(part)), JSON.stringify(fromBox));
    // Upper-case hex (Box's spec examples) is lower-cased when read, as it always was.
    const upper = parseStoredPart({ ...fromBox, sha1: fromBox.sha1.toUpperCase() });
    assert.equal(JSON.stringify(storedPartToWire(upper)), JSON.stringify(fromBox));
  });

  it('reads the part a 416 overlap names, or nothing when it names none usable', () => {
    assert.deepEqual(parseConflictingPart({ conflicting_part: { part_id: 'P', offset: 8, size: 4, sha1: 'ABC' } }), {
      partId: 'P',
      offsetBytes: 8,
      sizeBytes: 4,
      sha1Hex: 'abc',
    });
    assert.equal(parseConflictingPart({ conflicting_part: { part_id: 'P', offset: 8 } }), undefined);
    assert.equal(parseConflictingPart(undefined), undefined);
  });

  it('reads files and pages into names with units', () => {
    const file = parseFile({
      type: 'file',
      id: '22',
      etag: '1',
      name: 'a.txt',
      size: 12,
      sha1: '85136C79CBF9FE36BB9D05D0639C70C265C18D37',
      file_version: { type: 'file_version', id: '33', sha1: '85136C79CBF9FE36BB9D05D0639C70C265C18D37' },
    });
    assert.equal(file.sizeBytes, 12);
    assert.deepEqual(file.fileVersion, { id: '33', sha1: '85136C79CBF9FE36BB9D05D0639C70C265C18D37' });
    const page = parsePage({ total_count: 7, offset: 2, limit: 1, entries: [{}] }, () => 'entry');
    assert.deepEqual(page, { entries: ['entry'], totalCount: 7, offset: 2, limit: 1 });
  });

  it('reads a marker page: the next marker as given (string or number), none when null, empty or absent', async () => {
    const page = (extra: Record<string, unknown>) => parseMarkerPage({ entries: [{}], limit: 1, ...extra }, () => 'e');
    assert.deepEqual(page({ next_marker: 'JV9IRGZm' }), { entries: ['e'], nextMarker: 'JV9IRGZm' });
    assert.equal(page({ next_marker: 34332423 }).nextMarker, '34332423', 'the guide writes markers as integers');
    for (const last of [{ next_marker: null }, { next_marker: '' }, {}]) assert.equal(page(last).nextMarker, undefined);
    assert.throws(() => page({ next_marker: {} }), BoxProtocolError);

    const endless = markerPages(async () => ({ entries: [1], nextMarker: 'same' }));
    await assert.rejects(
      (async () => {
        for await (const _page of endless);
      })(),
      /gave the marker same twice/,
    );
  });
});
