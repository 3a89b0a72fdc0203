import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoxApiError } from '../../electron/box/box-error.ts';
import { nameConflictOf, nextKeepBothName } from '../../electron/engine/name-conflict.ts';

describe('name conflicts', () => {
  const conflict = (conflicts: unknown, code = 'item_name_in_use') =>
    new BoxApiError({ status: 409, code, message: 'taken', contextInfo: { conflicts }, operation: 'upload file' });

  it('reads the existing item from a conflict sent as an object (files) or an array (folders)', () => {
    assert.deepEqual(nameConflictOf(conflict({ type: 'file', id: '12' })), { type: 'file', id: '12' });
    assert.deepEqual(nameConflictOf(conflict([{ type: 'folder', id: '7' }])), { type: 'folder', id: '7' });
    assert.equal(nameConflictOf(conflict({ type: 'file', id: '12' }, 'conflict')), undefined);
    assert.equal(nameConflictOf(conflict({ id: 12 })), undefined);
    assert.equal(nameConflictOf(conflict(undefined)), undefined);
    assert.equal(nameConflictOf(new Error('item_name_in_use')), undefined);
  });

  it('numbers names for keep both before the last extension', () => {
    const cases: Array<[string, string]> = [
      ['report.pdf', 'report (1).pdf'],
      ['report (1).pdf', 'report (2).pdf'],
      ['report (9).pdf', 'report (10).pdf'],
      ['archive.tar.gz', 'archive (1).tar.gz'],
      ['v1.2.3.zip', 'v1.2.3 (1).zip'],
      ['.env.local', '.env (1).local'],
      ['README', 'README (1)'],
      ['.env', '.env (1)'],
      ['photo (edited).jpg', 'photo (edited) (1).jpg'],
    ];
    for (const [name, next] of cases) assert.equal(nextKeepBothName(name), next, name);
  });
});
