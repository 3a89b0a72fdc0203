import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { BoxClient } from '../../../electron/box/box-client.ts';
import { createHttpSend } from '../../../electron/box/http-transport.ts';
import type { ProxyLogin } from '../../../electron/box/proxy-agents.ts';
import { FixedTokenSource } from '../../../electron/box/token-source.ts';
import type { LocalboxHandle } from '../../../electron/localbox/localbox.ts';
import { ProxyLoginBook, type AppNetwork } from '../../../electron/service/app-network.ts';
import { RotatingLog } from '../../../electron/service/rotating-log.ts';
import { memoryStoresFor } from '../../../electron/service/settings-store.ts';
import { UploadService } from '../../../electron/service/upload-service.ts';
import { startTestProxy, type TestProxy } from '../../helpers/connect-proxy.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { makeTestAuthority, type TestAuthority } from '../../helpers/test-ca.ts';
import { writePatternFile } from '../../helpers/test-files.ts';
import { until } from '../../helpers/wait-until.ts';

// Above the 20,000,000-byte direct-upload limit: an upload session with many parts.
const FILE_BYTES = 21_000_000;
const PART_BYTES = 1024 * 1024 + 7;
const LOGIN: ProxyLogin = { username: 'ana', password: 'pr0xy:secret' };

interface Stand {
  localbox: LocalboxHandle;
  proxy: TestProxy;
  authority: TestAuthority;
  dir: string;
}

/** localbox over https with a certificate from a test CA (or `servedBy`'s), and a CONNECT proxy. */
async function stand(t: TestContext, options: { proxyLogin?: ProxyLogin; bandwidth?: number; servedBy?: string } = {}) {
  const dir = await tempDir(t);
  const authority = makeTestAuthority(dir, 'Hoist Test CA');
  const served = options.servedBy ? makeTestAuthority(dir, options.servedBy) : authority;
  const localbox = await localboxFor(t, {
    partSize: PART_BYTES,
    tls: { cert: served.cert, key: served.key },
    ...(options.bandwidth ? { connBandwidthBytesPerSec: options.bandwidth } : {}),
  });
  const proxy = await startTestProxy(t, options.proxyLogin);
  return { localbox, proxy, authority, dir } satisfies Stand;
}

/** A service whose resolveProxy port sends localbox's URLs through the proxy (as a PAC script would). */
async function serviceFor(t: TestContext, { localbox, proxy, authority }: Stand, network: Partial<AppNetwork> = {}) {
  const { settings, secrets } = memoryStoresFor(localbox);
  const resolved: string[] = [];
  const service = await UploadService.start({
    stateDir: await tempDir(t),
    settings,
    secrets,
    logger: new RotatingLog(join(await tempDir(t), 'logs')),
    network: {
      resolveProxy: async (url) => {
        resolved.push(url);
        return url.startsWith(localbox.url) ? `PROXY ${proxy.host}; DIRECT` : 'DIRECT';
      },
      extraCaPem: [authority.caPem],
      ...network,
    },
  });
  t.after(() => service.shutdown());
  return { service, secrets, resolved };
}

async function uploadAndWait(service: UploadService, path: string) {
  await service.addFiles([path]);
  await until(() => ['done', 'failed'].includes(service.listJobs().jobs[0]?.state ?? ''), 'the upload ended', 60_000);
  return service.listJobs().jobs[0]!;
}

/** What localbox stored, asked over https trusting the test CA (no proxy). */
async function storedSha1(s: Stand, fileId: string): Promise<string> {
  const client = new BoxClient(
    { apiBaseUrl: s.localbox.url, uploadBaseUrl: `${s.localbox.url}/api` },
    new FixedTokenSource(s.localbox.token),
    { send: createHttpSend({ extraCaPem: [s.authority.caPem] }) },
  );
  return (await client.getFile(fileId)).sha1;
}

describe('the app through a proxy (resolveProxy port) to localbox over https', () => {
  it('uploads through the CONNECT proxy Chromium names, and Box holds the right SHA-1', async (t) => {
    const s = await stand(t);
    const { service, resolved } = await serviceFor(t, s);
    const file = await writePatternFile(s.dir, 'through-proxy.bin', FILE_BYTES, 1501);
    const job = await uploadAndWait(service, file.path);
    assert.equal(job.state, 'done', JSON.stringify(job.error));
    assert.equal(job.sha1, file.sha1);
    assert.equal(await storedSha1(s, job.fileId!), file.sha1);
    const port = new URL(s.localbox.url).port;
    assert.ok(s.proxy.connects.length > 0, 'the requests went through the proxy');
    assert.ok(s.proxy.connects.every((connect) => connect.target === `127.0.0.1:${port}`));
    assert.ok(
      resolved.some((url) => url.includes('/api/2.0/files/upload_sessions')),
      'each URL was resolved',
    );
  });

  it('a proxy asking for a password: the person is asked once, it is kept sealed, and the upload completes', async (t) => {
    const s = await stand(t, { proxyLogin: LOGIN });
    const questions: Array<{ proxy: string; refused: boolean }> = [];
    const { service, secrets } = await serviceFor(t, s, {
      askProxyLogin: async (question) => {
        questions.push(question);
        return LOGIN;
      },
    });
    const file = await writePatternFile(s.dir, 'with-login.bin', FILE_BYTES, 1502);
    const job = await uploadAndWait(service, file.path);
    assert.equal(job.state, 'done', JSON.stringify(job.error));
    assert.equal(await storedSha1(s, job.fileId!), file.sha1);
    assert.deepEqual(questions, [{ proxy: s.proxy.host, refused: false }], 'asked once, for that proxy');
    assert.deepEqual(JSON.parse(secrets.getSecret(ProxyLoginBook.secretName(s.proxy.host)) ?? '{}'), LOGIN);
    const authorized = s.proxy.connects.filter((connect) => connect.authorization !== undefined);
    assert.ok(
      authorized.length > 0 && authorized.length >= s.proxy.connects.length - 4,
      'later tunnels send it at once',
    );
  });

  it('wrong proxy credentials: the upload fails with one sentence naming the proxy, and they are not kept', async (t) => {
    const s = await stand(t, { proxyLogin: LOGIN });
    const questions: boolean[] = [];
    const { service, secrets } = await serviceFor(t, s, {
      askProxyLogin: async ({ refused }) => {
        questions.push(refused);
        return { username: 'ana', password: 'wrong' };
      },
    });
    const file = await writePatternFile(s.dir, 'wrong-login.bin', 1000, 1503);
    const job = await uploadAndWait(service, file.path);
    assert.equal(job.state, 'failed');
    assert.equal(job.error?.message, `The proxy ${s.proxy.host} refused the user name and password given for it.`);
    // Each request asks at most once; a question after a refusal says so.
    assert.deepEqual(questions, [false, ...questions.slice(1).map(() => true)]);
    assert.equal(secrets.getSecret(ProxyLoginBook.secretName(s.proxy.host)), undefined, 'a refused login is not kept');
    assert.equal(Object.keys(s.localbox.stats().requestsByOperation).length, 0, 'localbox was never reached');
  });

  it('a certificate from an authority this computer does not trust: one sentence naming the host and the issuer', async (t) => {
    const s = await stand(t, { servedBy: 'Corp Inspect CA' });
    const { service } = await serviceFor(t, s);
    const file = await writePatternFile(s.dir, 'inspected.bin', 1000, 1504);
    const job = await uploadAndWait(service, file.path);
    assert.equal(job.state, 'failed');
    assert.equal(
      job.error?.message,
      "The certificate of 127.0.0.1 is not trusted: issued by 'Corp Inspect CA', which this computer does not trust.",
    );
  });

  it('the proxy resets every tunnel mid-upload: the parts are retried like any network fault', async (t) => {
    const s = await stand(t, { bandwidth: 8_000_000 });
    const { service } = await serviceFor(t, s);
    const file = await writePatternFile(s.dir, 'reset.bin', FILE_BYTES, 1505);
    await service.addFiles([file.path]);
    await until(() => (service.listJobs().jobs[0]?.totals.partsDone ?? 0) >= 2, 'some parts uploaded');
    const tunnelsBefore = s.proxy.tunnelsOpened();
    s.proxy.resetTunnels();
    await until(() => ['done', 'failed'].includes(service.listJobs().jobs[0]?.state ?? ''), 'the upload ended', 60_000);
    const job = service.listJobs().jobs[0]!;
    assert.equal(job.state, 'done', JSON.stringify(job.error));
    assert.equal(await storedSha1(s, job.fileId!), file.sha1);
    assert.ok(s.proxy.tunnelsOpened() > tunnelsBefore, 'new tunnels after the reset');
  });
});
