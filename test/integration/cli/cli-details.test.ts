import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { JobJournal } from '../../../electron/engine/journal/job-journal.ts';
import { JournalStore } from '../../../electron/engine/journal/journal-store.ts';
import { JobRecord } from '../../../electron/engine/job-record.ts';
import { printable } from '../../../shared/printable.ts';
import { clientFor } from '../../helpers/engine-fixture.ts';
import { runHoist, startHoist } from '../../helpers/hoist-process.ts';
import { call, localboxFor } from '../../helpers/localbox-fixture.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writePatternFile } from '../../helpers/test-files.ts';
import { until } from '../../helpers/wait-until.ts';

describe('hoist, in the details', () => {
  it('shows control characters in file names escaped: a newline or ESC never splits a line or reaches the terminal', async (t) => {
    const localbox = await localboxFor(t);
    const dir = await tempDir(t);
    const name = 'evil\nname\x1b[2J\x07.txt';
    const file = await writePatternFile(dir, name, 100, 931);
    const result = await runHoist(['upload', file.path, '--state-dir', join(dir, 'state'), '--api-url', localbox.url], {
      HOIST_TOKEN: localbox.token,
      HOIST_API_URL: localbox.url,
    });
    for (const text of [result.stdout, result.stderr]) {
      // eslint-disable-next-line no-control-regex -- looking for control characters
      assert.doesNotMatch(text, /[\x00-\x09\x0b-\x1f\x7f]/, 'no control character but the line ends');
    }
    const lines = `${result.stdout}${result.stderr}`.split('\n').filter(Boolean);
    assert.ok(lines.length > 0);
    for (const line of lines)
      assert.match(line, /^(queued|uploading|hashing|committing|done|hoist:|\s*\d+%) /, `a line of its own: ${line}`);
    assert.ok(
      `${result.stdout}${result.stderr}`.includes(printable(join(dir, name))),
      'the name is shown, escaped: evil\\nname\\x1b[2J\\x07.txt',
    );
    assert.equal(printable('a\nb\x1b[31m\u009b\u2028'), 'a\\nb\\x1b[31m\\x9b\\u2028');
  });

  it('uploads a file named twice once', async (t) => {
    const localbox = await localboxFor(t);
    const dir = await tempDir(t);
    const file = await writePatternFile(dir, 'twice.txt', 100, 932);
    const result = await runHoist(
      ['upload', file.path, join(dir, '.', 'twice.txt'), '--state-dir', join(dir, 'state'), '--api-url', localbox.url],
      { HOIST_TOKEN: localbox.token, HOIST_API_URL: localbox.url },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.split('\n').filter((line) => line.startsWith('done ')).length, 1);
    const items = await clientFor(localbox).listFolderItems('0', { limit: 10 });
    assert.deepEqual(
      items.entries.map((item) => item.name),
      ['twice.txt'],
    );
  });

  it('names a flag that upload and resume both take when a name is taken, and resume takes it', async (t) => {
    const localbox = await localboxFor(t);
    const dir = await tempDir(t);
    const file = await writePatternFile(dir, 'taken.txt', 100, 933);
    const args = ['--state-dir', join(dir, 'state'), '--api-url', localbox.url];
    const env = { HOIST_TOKEN: localbox.token, HOIST_API_URL: localbox.url };
    assert.equal((await runHoist(['upload', file.path, ...args], env)).code, 0);
    const other = await writePatternFile(await tempDir(t), 'taken.txt', 100, 935);
    const again = await runHoist(['upload', other.path, ...args], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /\(choose with --on-conflict replace or keep-both, which upload and resume take\)/);
    const resumed = await runHoist(['resume', '--on-conflict', 'replace', ...args], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal((await runHoist(['resume', '--on-conflict', 'skip', ...args], env)).code, 2);
  });

  it('prints the journal’s warnings, such as unreadable part-log lines, when it resumes', async (t) => {
    const localbox = await localboxFor(t, { partSize: 5_242_881 });
    const dir = await tempDir(t);
    const stateDir = join(dir, 'state');
    const file = await writePatternFile(dir, 'torn.bin', 21_000_000, 934);
    const target = { kind: 'custom' as const, apiBaseUrl: localbox.url, uploadBaseUrl: `${localbox.url}/api` };
    const journal = new JobJournal(JournalStore.open(join(stateDir, 'journal')), { target, keepFailed: 'resumable' });
    const record = JobRecord.create({ path: file.path, destination: { kind: 'folder', folderId: '0' } });
    journal.stateChanged(record, 'queued');
    journal.flush();
    const logs = join(stateDir, 'journal', 'parts');
    appendFileSync(join(logs, `${record.id}.log`), 'not a part\n{"i":\n');
    assert.equal(readdirSync(logs).length, 1);
    // A session so the part log is read: the journal record names one the server never made.
    const store = JournalStore.open(join(stateDir, 'journal'));
    const header = store.headers()[0]!;
    const id = '0'.repeat(32);
    const base = `${localbox.url}/api/2.0/files/upload_sessions/${id}`;
    store.write([
      {
        ...header,
        snapshot: null,
        session: {
          id,
          endpoints: {
            upload_part: base,
            commit: `${base}/commit`,
            abort: base,
            list_parts: `${base}/parts`,
            status: base,
          },
          partSizeBytes: 5_242_881,
          totalParts: 5,
          expiresAt: '2099-01-01T00:00:00Z',
        },
      },
    ]);
    const result = await runHoist(['resume', '--state-dir', stateDir, '--api-url', localbox.url], {
      HOIST_TOKEN: localbox.token,
      HOIST_API_URL: localbox.url,
    });
    assert.match(
      result.stderr,
      new RegExp(`hoist: warning: 2 line\\(s\\) of the part log of job ${record.id} were unreadable and ignored`),
    );
  });

  it('aborts the server session of an upload it drops from the journal (a name taken meanwhile)', async (t) => {
    const localbox = await localboxFor(t, { partSize: 2 * 1024 * 1024 + 1, connBandwidthBytesPerSec: 8_000_000 });
    const dir = await tempDir(t);
    const file = await writePatternFile(dir, 'contested.bin', 25_000_000, 936);
    const run = startHoist(t, [
      'upload',
      file.path,
      '--state-dir',
      join(dir, 'state'),
      '--api-url',
      localbox.url,
      '--token',
      localbox.token,
    ]);
    await until(() => localbox.stats().partsStored >= 1, 'the upload is under way', 30_000);
    const sessionId = localbox.stats().partAttempts[0]!.sessionId;
    const content = Buffer.from('someone else was faster');
    await clientFor(localbox).uploadFile({
      folderId: '0',
      fileName: 'contested.bin',
      content,
      sha1Hex: createHash('sha1').update(content).digest('hex'),
    });
    assert.equal(await run.exited, 1);
    assert.match(run.stderr(), /contested\.bin: A file named "contested\.bin" already exists/);
    const status = await call(localbox, 'GET', `/api/2.0/files/upload_sessions/${sessionId}`);
    assert.equal(status.status, 404, 'the session was aborted, its parts gone');
  });
});
