import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serverPairProblem, serverUrlProblem } from '../../shared/server-url.ts';

describe('server URLs a person may enter', () => {
  it('takes Box, a loopback server and other https servers, with or without a trailing slash', () => {
    for (const url of [
      'https://api.box.com',
      'https://upload.box.com/api/',
      'http://127.0.0.1:5000',
      'http://[::1]:5000/api',
      'https://box.example/base',
    ])
      assert.equal(serverUrlProblem(url), undefined, url);
  });

  it('refuses, with a reason, what would send requests or a token somewhere unmeant', () => {
    const cases: Array<[string, RegExp]> = [
      ['api.box.com', /full URL/],
      ['http://box.example', /must use https/],
      ['https://user:pass@api.box.com', /user name or password/],
      ['https://api.box.com/?x=1', /query or fragment/],
      ['https://api.box.com.', /host name with a dot/],
      ['https://api.box.com/2.0', /must not end in \/2\.0: Hoist adds it/],
      ['https://upload.box.com/api/2.0/', /must not end in \/2\.0/],
    ];
    for (const [url, reason] of cases) assert.match(serverUrlProblem(url) ?? 'accepted', reason, url);
  });

  it('pairs Box’s API only with Box’s upload host', () => {
    assert.equal(serverPairProblem('https://api.box.com', 'https://upload.box.com/api'), undefined);
    assert.match(serverPairProblem('https://api.box.com', 'https://evil.example/api') ?? '', /go only to/);
    assert.equal(serverPairProblem('https://box.example', 'https://uploads.example/api'), undefined);
  });
});
