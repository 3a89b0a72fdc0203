import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boxErrorFrom, parseRetryAfter } from '../../electron/box/box-error.ts';

describe('Box errors', () => {
  it('parses error objects, empty 401s and retry-after', () => {
    const error = boxErrorFrom(
      {
        status: 409,
        headers: { 'retry-after': '3' },
        body: Buffer.from(
          JSON.stringify({
            type: 'error',
            status: 409,
            code: 'item_name_in_use',
            message: 'taken',
            request_id: 'r1',
            context_info: { conflicts: { id: '9' } },
          }),
        ),
      },
      'upload file',
    );
    assert.deepEqual(
      [error.status, error.code, error.message, error.requestId, error.retryAfterMs],
      [409, 'item_name_in_use', 'taken', 'r1', 3000],
    );
    assert.deepEqual(error.contextInfo, { conflicts: { id: '9' } });
    const unauthorized = boxErrorFrom(
      {
        status: 401,
        headers: { 'www-authenticate': 'Bearer realm="Service", error="invalid_token"' },
        body: Buffer.alloc(0),
      },
      'commit',
    );
    assert.equal(unauthorized.code, 'invalid_token');
    assert.equal(boxErrorFrom({ status: 502, headers: {}, body: Buffer.from('<html>') }, 'x').code, 'bad_gateway');
    assert.equal(parseRetryAfter(new Date(61_000).toUTCString(), 1000), 60_000);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
});
