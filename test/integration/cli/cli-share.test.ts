import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runHoist, jsonLines } from '../../helpers/hoist-process.ts';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';

describe('hoist upload --share', () => {
  it('adds each file’s shared link, made with the access asked, to its done event', async (t) => {
    const localbox = await localboxFor(t);
    const dir = await tempDir(t);
    const files = await Promise.all(
      ['a.txt', 'b.txt'].map((name, index) => writePatternFile(dir, name, 2000, 90 + index)),
    );
    const result = await runHoist([
      'upload',
      ...files.map((file) => file.path),
      '--api-url',
      localbox.url,
      '--token',
      localbox.token,
      '--state-dir',
      join(dir, 'state'),
      '--share',
      'collaborators',
      '--json',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const done = jsonLines(result.stdout).filter((event) => event['event'] === 'done');
    assert.equal(done.length, 2);
    for (const event of done) {
      assert.deepEqual(Object.keys(event), ['event', 'path', 'fileId', 'sha1', 'sharedLink']);
      const stored = await call(localbox, 'GET', `/2.0/files/${String(event['fileId'])}?fields=shared_link`);
      const link = stored.body?.['shared_link'] as Record<string, unknown>;
      assert.equal(link['url'], event['sharedLink']);
      assert.equal(link['access'], 'collaborators');
    }
  });

  it('prints the link on the done line, and says so and exits 1 when Box makes none', async (t) => {
    const localbox = await localboxFor(t);
    const dir = await tempDir(t);
    const file = await writePatternFile(dir, 'plain.txt', 1500, 95);
    const args = ['--api-url', localbox.url, '--token', localbox.token, '--state-dir', join(dir, 'state')];
    const result = await runHoist(['upload', file.path, ...args, '--share', 'open']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(
        `^done  ${file.path}  1.5 kB  file \\d+  sha1 ${file.sha1}  link ${localbox.url}/s/[a-z0-9]{32}$`,
        'm',
      ),
    );

    await call(localbox, 'POST', '/_localbox/faults', {
      json: { on: 'update-file', action: { kind: 'status', status: 403, code: 'forbidden' } },
    });
    const other = await writePatternFile(dir, 'other.txt', 1500, 96);
    const refused = await runHoist(['upload', other.path, ...args, '--share', 'company', '--json']);
    assert.equal(refused.code, 1);
    const events = jsonLines(refused.stdout);
    assert.deepEqual(Object.keys(events.find((event) => event['event'] === 'done')!), [
      'event',
      'path',
      'fileId',
      'sha1',
    ]);
    const failed = events.find((event) => event['event'] === 'share-failed')!;
    assert.match(
      String((failed['error'] as { message: string }).message),
      /^uploaded, but Box made no shared link for it: /,
    );

    const usage = await runHoist(['upload', file.path, ...args, '--share', 'everyone']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--share must be open, company or collaborators, not "everyone"/);
  });
});
