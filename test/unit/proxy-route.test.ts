import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { certificateErrorFrom } from '../../electron/box/network-trust.ts';
import { environmentProxyFor, ProxyError, routeFromPac } from '../../electron/box/proxy-route.ts';
import { ProxyLoginBook } from '../../electron/service/app-network.ts';
import { MemorySecretStore } from '../../electron/service/settings-store.ts';

const href = (route: ReturnType<typeof routeFromPac>): string => (route.kind === 'proxy' ? route.url.href : 'DIRECT');

describe('a PAC answer (Chromium resolveProxy) read as a route', () => {
  it('takes the first entry Hoist can use, in order', () => {
    assert.equal(href(routeFromPac('DIRECT')), 'DIRECT');
    assert.equal(href(routeFromPac('')), 'DIRECT');
    assert.equal(href(routeFromPac('PROXY proxy.corp:8080; DIRECT')), 'http://proxy.corp:8080/');
    assert.equal(href(routeFromPac('HTTPS secure.corp:443')), 'https://secure.corp/');
    assert.equal(href(routeFromPac('SOCKS5 socks.corp:1080; PROXY b.corp:3128')), 'http://b.corp:3128/');
  });

  it('an answer naming only SOCKS proxies is refused in words, not sent direct', () => {
    assert.throws(
      () => routeFromPac('SOCKS5 socks.corp:1080'),
      (error: unknown) => {
        assert.ok(error instanceof ProxyError);
        assert.match(error.message, /only HTTP and HTTPS proxies are supported/);
        return true;
      },
    );
  });
});

describe('the proxy environment variables (the CLI)', () => {
  const withEnv = (vars: Record<string, string>, check: () => void): void => {
    const names = ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'ALL_PROXY'].flatMap((name) => [name, name.toLowerCase()]);
    const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
    for (const name of names) delete process.env[name];
    Object.assign(process.env, vars);
    try {
      check();
    } finally {
      for (const name of names) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  };
  const route = (url: string) => {
    const chosen = environmentProxyFor()(new URL(url));
    return chosen instanceof Promise ? assert.fail('synchronous') : chosen;
  };

  it('HTTPS_PROXY for https, HTTP_PROXY for http, with user:pass@ kept for the proxy', () => {
    withEnv({ HTTPS_PROXY: 'http://ana:s%40cret@proxy.corp:3128', HTTP_PROXY: 'http://plain.corp:80' }, () => {
      const secure = route('https://upload.box.com/api/2.0/files/content');
      assert.equal(secure.kind, 'proxy');
      if (secure.kind !== 'proxy') return;
      assert.equal(secure.url.host, 'proxy.corp:3128');
      assert.equal(decodeURIComponent(secure.url.password), 's@cret');
      assert.equal(secure.source, 'HTTPS_PROXY');
      assert.equal(href(route('http://127.0.0.1:9000/2.0/folders/0')), 'http://plain.corp/');
    });
  });

  it('NO_PROXY names hosts that go direct; nothing set is direct', () => {
    withEnv({ HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: '.box.com,127.0.0.1' }, () => {
      assert.equal(route('https://api.box.com/2.0/users/me').kind, 'direct');
      assert.equal(route('https://127.0.0.1:4443/2.0').kind, 'direct');
      assert.equal(route('https://example.com/').kind, 'proxy');
    });
    withEnv({}, () => assert.equal(route('https://api.box.com/').kind, 'direct'));
  });
});

describe('a refused certificate in one sentence', () => {
  // With the chain the server sent, the issuer is named (test/integration/network/ checks that
  // against a real TLS server); without it, the sentence still names the host.
  const failure = (code: string) => Object.assign(new Error('x'), { code });
  it('names the host, and says what is wrong', () => {
    assert.equal(
      certificateErrorFrom(failure('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'api.box.com')?.message,
      'The certificate of api.box.com is not trusted: it was issued by an authority this computer does not trust',
    );
    assert.equal(
      certificateErrorFrom(failure('ERR_TLS_CERT_ALTNAME_INVALID'), 'api.box.com')?.message,
      'The certificate of api.box.com is for other names',
    );
    assert.equal(
      certificateErrorFrom(failure('CERT_HAS_EXPIRED'), 'api.box.com')?.message,
      'The certificate of api.box.com expired',
    );
  });

  it('leaves errors that are no certificate problem alone', () => {
    assert.equal(certificateErrorFrom(failure('ECONNRESET'), 'api.box.com'), undefined);
  });
});

describe('proxy credentials (the app)', () => {
  it('asks once for all requests that met the 407 together, keeps the login only once the proxy took it', async () => {
    const secrets = new MemorySecretStore();
    let asked = 0;
    let answer: (login: { username: string; password: string }) => void = () => undefined;
    const book = new ProxyLoginBook(secrets, () => {
      asked += 1;
      return new Promise((resolve) => (answer = resolve));
    });
    const waiting = [book.ask('proxy.corp:3128', undefined), book.ask('proxy.corp:3128', undefined)];
    answer({ username: 'ana', password: 'pw' });
    const logins = await Promise.all(waiting);
    assert.equal(asked, 1);
    assert.deepEqual(logins[0], logins[1]);
    assert.equal(
      secrets.getSecret(ProxyLoginBook.secretName('proxy.corp:3128')),
      undefined,
      'not before the proxy took it',
    );
    book.accepted('proxy.corp:3128', logins[0]!);
    assert.equal(secrets.getSecret(ProxyLoginBook.secretName('proxy.corp:3128')), '{"username":"ana","password":"pw"}');
    assert.equal(book.known('other.corp:3128'), undefined, 'another proxy gets nothing');
  });

  it('after the person cancels, requests fail without asking again for a while', async () => {
    let asked = 0;
    let nowMs = 0;
    const book = new ProxyLoginBook(
      new MemorySecretStore(),
      async () => {
        asked += 1;
        return undefined;
      },
      () => nowMs,
    );
    assert.equal(await book.ask('p:1', undefined), undefined);
    assert.equal(await book.ask('p:1', undefined), undefined);
    assert.equal(asked, 1);
    nowMs = 61_000;
    await book.ask('p:1', undefined);
    assert.equal(asked, 2);
  });
});
