import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { firstLine, runHoist, startHoist } from '../../helpers/hoist-process.ts';
import { startTestProxy } from '../../helpers/connect-proxy.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { makeTestAuthority } from '../../helpers/test-ca.ts';
import { writePatternFile } from '../../helpers/test-files.ts';

/** The environment of a hoist run: no proxy variables but those given, trusting `caFile` besides the OS store. */
function env(caFile: string, vars: Record<string, string> = {}): Record<string, string> {
  const cleared = Object.fromEntries(
    ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'NO_PROXY'].flatMap((name) => [
      [name, ''],
      [name.toLowerCase(), ''],
    ]),
  );
  return { ...cleared, NODE_EXTRA_CA_CERTS: caFile, ...vars };
}

async function files(t: TestContext) {
  const dir = await tempDir(t);
  return { dir, authority: makeTestAuthority(dir, 'Hoist Test CA') };
}

const doneEvent = (stdout: string): Record<string, unknown> | undefined =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((event) => event['event'] === 'done');

describe('hoist through proxies and certificates (a real process, environment variables)', () => {
  it('hoist localbox --tls-cert/--tls-key serves https; an upload through HTTPS_PROXY with user:pass@ lands with the right SHA-1', async (t) => {
    const { dir, authority } = await files(t);
    const server = startHoist(t, ['localbox', '--tls-cert', authority.certFile, '--tls-key', authority.keyFile]);
    const ready = JSON.parse(await firstLine(server)) as { url: string; token: string };
    assert.match(ready.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const proxy = await startTestProxy(t, { username: 'ci', password: 'p@ss word' });
    const file = await writePatternFile(dir, 'proxied.bin', 21_000_000, 1601);
    const proxyUrl = `http://ci:${encodeURIComponent('p@ss word')}@${proxy.host}`;
    const run = await runHoist(
      ['upload', '--api-url', ready.url, '--token', ready.token, '--state-dir', dir, '--json', file.path],
      env(authority.caFile, { HTTPS_PROXY: proxyUrl }),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(doneEvent(run.stdout)?.['sha1'], file.sha1);
    assert.ok(proxy.connects.length > 0 && proxy.connects.every((connect) => connect.authorization !== undefined));
    assert.doesNotMatch(run.stdout + run.stderr, /p@ss word|cDBzcyB3b3Jk/, 'the password is never printed');
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  });

  it('a proxy asking for a password that HTTPS_PROXY lacks, or gets wrong: one line saying so, exit 1', async (t) => {
    const { dir, authority } = await files(t);
    const localbox = await localboxFor(t, { tls: { cert: authority.cert, key: authority.key } });
    const proxy = await startTestProxy(t, { username: 'ci', password: 'right' });
    const file = await writePatternFile(dir, 'refused.bin', 1000, 1602);
    const upload = (proxyUrl: string) =>
      runHoist(
        ['upload', '--api-url', localbox.url, '--token', localbox.token, '--state-dir', dir, file.path],
        env(authority.caFile, { HTTPS_PROXY: proxyUrl }),
      );
    const none = await upload(`http://${proxy.host}`);
    assert.equal(none.code, 1);
    assert.equal(
      none.stderr.trim(),
      `hoist: ${file.path}: The proxy ${proxy.host} asks for a user name and password (give them in HTTPS_PROXY as http://user:password@${proxy.host})`,
    );
    const wrong = await upload(`http://ci:wrong@${proxy.host}`);
    assert.equal(wrong.code, 1);
    assert.equal(
      wrong.stderr.trim(),
      `hoist: ${file.path}: The proxy ${proxy.host} refused the user name and password in HTTPS_PROXY`,
    );
    assert.equal(Object.keys(localbox.stats().requestsByOperation).length, 0, 'localbox was never reached');
  });

  it('a CA that only the OS certificate store holds is trusted (on Linux the store is SSL_CERT_FILE/SSL_CERT_DIR)', async (t) => {
    const { dir, authority } = await files(t);
    const localbox = await localboxFor(t, { tls: { cert: authority.cert, key: authority.key } });
    const file = await writePatternFile(dir, 'system-store.bin', 1000, 1606);
    const run = await runHoist(
      ['upload', '--api-url', localbox.url, '--token', localbox.token, '--state-dir', dir, '--json', file.path],
      { ...env(''), SSL_CERT_FILE: authority.caFile, SSL_CERT_DIR: await tempDir(t) },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(doneEvent(run.stdout)?.['sha1'], file.sha1);
  });

  it('NO_PROXY naming the server: the upload goes direct and the proxy sees no request', async (t) => {
    const { dir, authority } = await files(t);
    const localbox = await localboxFor(t, { tls: { cert: authority.cert, key: authority.key } });
    const proxy = await startTestProxy(t);
    const file = await writePatternFile(dir, 'direct.bin', 1_000_000, 1603);
    const run = await runHoist(
      ['upload', '--api-url', localbox.url, '--token', localbox.token, '--state-dir', dir, '--json', file.path],
      env(authority.caFile, { HTTPS_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' }),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(doneEvent(run.stdout)?.['sha1'], file.sha1);
    assert.equal(proxy.connects.length, 0);
  });

  it('a server certificate from an authority this computer does not trust: one sentence naming host and issuer, no stack, through the proxy or not', async (t) => {
    const { dir, authority } = await files(t);
    const inspector = makeTestAuthority(dir, 'Corp Inspect CA');
    const localbox = await localboxFor(t, { tls: { cert: inspector.cert, key: inspector.key } });
    const proxy = await startTestProxy(t);
    const file = await writePatternFile(dir, 'untrusted.bin', 1000, 1604);
    for (const route of [{ HTTPS_PROXY: proxy.url }, {}]) {
      const run = await runHoist(
        ['upload', '--api-url', localbox.url, '--token', localbox.token, '--state-dir', dir, file.path],
        env(authority.caFile, route),
      );
      assert.equal(run.code, 1);
      assert.equal(
        run.stderr.trim(),
        `hoist: ${file.path}: The certificate of 127.0.0.1 is not trusted: issued by 'Corp Inspect CA', which this computer does not trust`,
        `through ${JSON.stringify(route)}`,
      );
    }
  });

  it('hoist localbox refuses --tls-cert without --tls-key, and a file that is no certificate, in one line', async (t) => {
    const { dir, authority } = await files(t);
    const alone = await runHoist(['localbox', '--tls-cert', authority.certFile]);
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /^hoist: --tls-cert and --tls-key go together\n/);
    const notPem = await writePatternFile(dir, 'not.pem', 100, 1605);
    const bad = await runHoist(['localbox', '--tls-cert', notPem.path, '--tls-key', authority.keyFile]);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, `hoist: --tls-cert ${notPem.path}: not a PEM file\n`);
  });
});
