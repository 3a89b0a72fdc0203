import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareSnapshot, type FileSnapshot } from '../../electron/engine/file-snapshot.ts';

describe('file snapshot', () => {
  const base: FileSnapshot = { sizeBytes: 10, mtimeNs: '1', ctimeNs: '1', ino: '5', dev: '1' };
  it('says in words what changed', () => {
    assert.deepEqual(compareSnapshot(base, base), { kind: 'unchanged' });
    assert.deepEqual(compareSnapshot(base, { ...base, ctimeNs: '2' }), { kind: 'ctime-only' });
    assert.match(JSON.stringify(compareSnapshot(base, { ...base, sizeBytes: 11 })), /size changed from 10 to 11 bytes/);
    assert.match(JSON.stringify(compareSnapshot(base, { ...base, mtimeNs: '2' })), /modified/);
    assert.match(JSON.stringify(compareSnapshot(base, { ...base, ino: '6' })), /replaced/);
  });
});
