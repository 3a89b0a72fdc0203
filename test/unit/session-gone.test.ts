import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoxApiError } from '../../electron/box/box-error.ts';
import { sessionGone } from '../../electron/engine/session-ensure.ts';

const answer = (status: number, operation: string, code = 'not_found'): BoxApiError =>
  new BoxApiError({ status, code, message: 'x', operation });

describe('sessionGone: only a session answering for itself is a lost session', () => {
  it('a 404 from the session URLs is the session gone', () => {
    for (const operation of [
      'upload part at offset 0',
      'list parts',
      'get upload session',
      'commit upload session',
      'abort upload session',
    ]) {
      assert.equal(sessionGone(answer(404, operation)), true, operation);
    }
  });

  it('a 404 to the create, or to a direct upload, is the destination gone', () => {
    for (const operation of [
      'create upload session',
      'create version upload session',
      'upload file',
      'upload new version',
    ]) {
      assert.equal(sessionGone(answer(404, operation)), false, operation);
      assert.equal(sessionGone(answer(404, operation, 'invalid_parameter')), false, operation);
    }
  });

  it('a 410 is gone wherever it comes from; other errors are not', () => {
    assert.equal(sessionGone(answer(410, 'commit upload session', 'session_expired')), true);
    assert.equal(sessionGone(answer(400, 'commit upload session', 'bad_request')), false);
    assert.equal(sessionGone(new Error('x')), false);
  });
});
