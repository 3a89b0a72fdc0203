import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CancellationToken,
  configureRequestOptions,
  configureRequestUrl,
  HttpExecutor,
  type DownloadOptions,
} from 'builder-util-runtime';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider.js';
import type { AppUpdater } from 'electron-updater';
import type { ElectronHttpExecutor } from 'electron-updater/out/electronHttpExecutor.js';
import { failedVerification } from '../../../electron/service/update-controller.ts';
import { serveDirectory } from '../../helpers/static-server.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { patternBytes } from '../../helpers/test-files.ts';

/**
 * electron-updater's own HTTP layer with Node's http in place of Electron's net: the same
 * subclass electron-updater's ElectronHttpExecutor is, minus Electron (builder-util's
 * NodeHttpExecutor does the same; it is not a dependency of ours).
 */
class NodeExecutor extends HttpExecutor<ClientRequest> {
  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    return request(options, callback);
  }
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise((resolve, reject, onCancel) => {
      const requestOptions = { headers: options.headers ?? undefined, redirect: 'manual' };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error) => (error == null ? resolve(destination) : reject(error)),
          responseHandler: null,
        },
        0,
      );
    });
  }
}

const sha512Base64 = (data: Uint8Array): string => createHash('sha512').update(data).digest('base64');

/** `latest.yml` as electron-builder writes it for a Windows installer (its updateInfoBuilder). */
function latestYml(fileName: string, data: Uint8Array, version: string): string {
  const sha512 = sha512Base64(data);
  return `version: ${version}
files:
  - url: ${fileName}
    sha512: ${sha512}
    size: ${data.length}
path: ${fileName}
sha512: ${sha512}
releaseDate: '2026-12-02T10:00:00.000Z'
`;
}

/** electron-updater's generic provider, reading the feed as the app would (platform win32: latest.yml). */
function providerFor(url: string): GenericProvider {
  const updater = { channel: null, isAddNoCacheQuery: false } as unknown as AppUpdater;
  return new GenericProvider({ provider: 'generic', url }, updater, {
    // Typed as Electron's executor; the provider calls only what every HttpExecutor has.
    executor: new NodeExecutor() as unknown as ElectronHttpExecutor,
    isUseMultipleRangeRequest: false,
    platform: 'win32',
  });
}

describe('the update feed, read by electron-updater’s own provider from a static server', () => {
  it('parses latest.yml and downloads the installer it names, checked against its SHA-512', async (t) => {
    const dir = await tempDir(t);
    const installer = patternBytes(200_000, 61);
    await writeFile(join(dir, 'Hoist-Setup-1.4.0.exe'), installer);
    await writeFile(join(dir, 'latest.yml'), latestYml('Hoist-Setup-1.4.0.exe', installer, '1.4.0'));
    const server = await serveDirectory(dir, "default-src 'none'");
    t.after(() => server.close());

    const provider = providerFor(`${server.url}/`);
    const info = await provider.getLatestVersion();
    assert.equal(info.version, '1.4.0');
    assert.equal(info.releaseDate, '2026-12-02T10:00:00.000Z');
    const [file] = provider.resolveFiles(info);
    assert.equal(file!.url.href, `${server.url}/Hoist-Setup-1.4.0.exe`);
    assert.equal(file!.info.sha512, sha512Base64(installer));
    assert.equal(file!.info.size, installer.length);

    const destination = join(await tempDir(t), 'download.exe');
    await new NodeExecutor().download(file!.url, destination, {
      cancellationToken: new CancellationToken(),
      sha512: file!.info.sha512,
    });
    assert.deepEqual(await readFile(destination), installer);
  });

  it('a download that does not match the feed fails electron-updater’s check, which Hoist treats as “discard”', async (t) => {
    const dir = await tempDir(t);
    const promised = patternBytes(100_000, 62);
    await writeFile(join(dir, 'Hoist-Setup-1.5.0.exe'), patternBytes(100_000, 63)); // tampered
    await writeFile(join(dir, 'latest.yml'), latestYml('Hoist-Setup-1.5.0.exe', promised, '1.5.0'));
    const server = await serveDirectory(dir, "default-src 'none'");
    t.after(() => server.close());
    const provider = providerFor(server.url);
    const [file] = provider.resolveFiles(await provider.getLatestVersion());
    const failure = await new NodeExecutor()
      .download(file!.url, join(await tempDir(t), 'download.exe'), {
        cancellationToken: new CancellationToken(),
        sha512: file!.info.sha512,
      })
      .then(
        () => undefined,
        (error: Error & { code?: string }) => error,
      );
    assert.ok(failure, 'the tampered file is refused');
    assert.equal(failure.code, 'ERR_CHECKSUM_MISMATCH');
    assert.ok(failedVerification(failure));
  });

  it('a feed without latest.yml is electron-updater’s “channel file not found”, not an update', async (t) => {
    const server = await serveDirectory(await tempDir(t), "default-src 'none'");
    t.after(() => server.close());
    await assert.rejects(providerFor(server.url).getLatestVersion(), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND');
      assert.ok(!failedVerification(error));
      return true;
    });
  });
});
