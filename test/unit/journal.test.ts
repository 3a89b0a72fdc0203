import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { JobJournal, WRITE_AT_ONCE_MAX_JOBS } from '../../electron/engine/journal/job-journal.ts';
import { JournalStore } from '../../electron/engine/journal/journal-store.ts';
import { StateLock, StateLockedError } from '../../electron/engine/journal/state-lock.ts';
import { JobRecord } from '../../electron/engine/job-record.ts';
import { endpointsOn, recordWithSession as sessionRecord } from '../helpers/session-record.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const TARGET = { kind: 'custom' as const, apiBaseUrl: 'http://127.0.0.1:1', uploadBaseUrl: 'http://127.0.0.1:1/api' };
const ENDPOINTS = endpointsOn('http://127.0.0.1:1');

function recordWithSession(endpoints = ENDPOINTS) {
  const record = sessionRecord(endpoints);
  record.wholeFile.update(Buffer.from('0123456789'));
  return record;
}

const part = (index: number) => ({
  partId: `P${index}`,
  offsetBytes: index * 10,
  sizeBytes: 10,
  sha1Hex: String(index).repeat(40),
});

/** A part as the journal stores it: Box's field names, as journals on users' disks have them. */
const storedLine = (index: number) => ({
  part_id: `P${index}`,
  offset: index * 10,
  size: 10,
  sha1: String(index).repeat(40),
});

describe('journal', () => {
  it('records a job, its session, confirmed parts and hash state, and restores them', async (t) => {
    const dir = await tempDir(t);
    const journal = new JobJournal(JournalStore.open(dir), {
      target: TARGET,
      keepFailed: 'resumable',
      flushIntervalMs: 10_000,
    });
    const record = recordWithSession();
    record.reportTo(journal); // from here on the record tells the journal of its changes
    journal.stateChanged(record, 'queued');
    journal.sessionChanged(record);
    for (const index of [0, 2]) record.confirmPart(index, part(index));
    journal.hashAdvanced(record);
    journal.flush();

    const restored = new JobJournal(JournalStore.open(dir), { target: TARGET, keepFailed: 'resumable' }).restore();
    assert.equal(restored.length, 1);
    const again = restored[0]!.record;
    assert.equal(again.path, '/data/a.bin');
    assert.equal(again.session?.endpoints.commit, ENDPOINTS.commit);
    assert.deepEqual(
      [...again.confirmed.entries()],
      [
        [0, part(0)],
        [2, part(2)],
      ],
    );
    assert.equal(again.wholeFile.bytesHashed, 10);
    assert.equal(again.wholeFile.digest().toString('hex'), record.wholeFile.digest().toString('hex'));
    assert.equal(again.restored, true);
    assert.equal(restored[0]!.state, 'queued');
  });

  it('reads and writes sessions and parts in the on-disk shape journals on users’ disks already have', async (t) => {
    const dir = await tempDir(t);
    // Written as the journal has always written them: Box's names for the session's endpoints
    // and for the part fields, the rest in Hoist's names.
    const session = {
      id: 'S',
      endpoints: {
        upload_part: 'http://127.0.0.1:1/api/2.0/files/upload_sessions/S',
        commit: 'http://127.0.0.1:1/api/2.0/files/upload_sessions/S/commit',
        abort: 'http://127.0.0.1:1/api/2.0/files/upload_sessions/S',
        list_parts: 'http://127.0.0.1:1/api/2.0/files/upload_sessions/S/parts',
        status: 'http://127.0.0.1:1/api/2.0/files/upload_sessions/S',
      },
      partSizeBytes: 10,
      totalParts: 3,
      expiresAt: '2026-12-01T00:00:00Z',
    };
    const header = {
      id: 'job-1',
      path: '/data/a.bin',
      fileName: 'a.bin',
      destination: { kind: 'folder', folderId: '0' },
      target: TARGET,
      createdAtMs: 1,
      updatedAtMs: 2,
      snapshot: { sizeBytes: 30, mtimeNs: '1', ctimeNs: '1', ino: '2', dev: '3' },
      session,
      sha1State: { bytesHashed: 10, h: '67452301efcdab8998badcfe10325476c3d2e1f0', pendingBase64: 'MDEyMzQ1Njc4OQ==' },
      confirmedParts: 2,
      confirmedBytes: 20,
      state: 'paused',
    };
    mkdirSync(join(dir, 'parts'), { recursive: true });
    writeFileSync(join(dir, 'jobs.json'), JSON.stringify({ schemaVersion: 2, jobs: { 'job-1': header } }));
    const lines = [0, 2].map((index) => JSON.stringify({ i: index, ...storedLine(index) }));
    writeFileSync(join(dir, 'parts', 'job-1.log'), lines.map((line) => `${line}\n`).join(''));

    const journal = new JobJournal(JournalStore.open(dir), { target: TARGET, keepFailed: 'resumable' });
    const [restored] = journal.restore();
    assert.deepEqual(journal.store.problems, []);
    const record = restored!.record;
    assert.equal(restored!.state, 'paused');
    assert.deepEqual(record.session, {
      id: 'S',
      expiresAt: '2026-12-01T00:00:00Z',
      partSizeBytes: 10,
      totalParts: 3,
      partsProcessed: 0,
      endpoints: ENDPOINTS,
    });
    assert.deepEqual(
      [...record.confirmed.entries()],
      [
        [0, part(0)],
        [2, part(2)],
      ],
    );
    assert.equal(record.wholeFile.digest().toString('hex'), createHash('sha1').update('0123456789').digest('hex'));

    // Written back, the session and the parts keep that shape, byte for byte.
    record.reportTo(journal);
    record.confirmPart(1, part(1)); // appended to the log
    journal.flush();
    const written = JSON.parse(readFileSync(join(dir, 'jobs.json'), 'utf8')).jobs['job-1'];
    assert.equal(JSON.stringify(written.session), JSON.stringify(session));
    assert.equal(
      readFileSync(join(dir, 'parts', 'job-1.log'), 'utf8'),
      [0, 2, 1].map((index) => `${JSON.stringify({ i: index, ...storedLine(index) })}\n`).join(''),
    );
  });

  it('keeps a name-conflict choice, the numbered name and a new-version destination across a restart', async (t) => {
    const dir = await tempDir(t);
    const journal = new JobJournal(JournalStore.open(dir), { target: TARGET, keepFailed: 'all' });
    const renamed = JobRecord.create({
      path: '/data/a.bin',
      destination: { kind: 'folder', folderId: '0' },
      onNameConflict: 'keep-both',
      folderPath: 'Photos/2026',
    });
    const replacing = JobRecord.create({ path: '/data/b.bin', destination: { kind: 'folder', folderId: '0' } });
    const asking = JobRecord.create({ path: '/data/c.bin', destination: { kind: 'folder', folderId: '0' } });
    for (const record of [renamed, replacing, asking]) {
      record.reportTo(journal);
      record.saveState('queued');
    }
    renamed.rename('a (2).bin'); // the record tells the journal itself
    replacing.chooseOnNameConflict('replace');
    replacing.replaceExisting('42');
    journal.stateChanged(asking, 'failed', {
      kind: 'name-taken',
      message: 'A folder named "c.bin" is already in the destination folder.',
      takenBy: 'folder',
    });

    const restored = new JobJournal(JournalStore.open(dir), { target: TARGET, keepFailed: 'all' }).restore();
    const byPath = new Map(restored.map((job) => [job.record.path, job]));
    assert.equal(byPath.get('/data/a.bin')?.record.fileName, 'a (2).bin');
    assert.equal(byPath.get('/data/a.bin')?.record.onNameConflict, 'keep-both');
    assert.equal(byPath.get('/data/a.bin')?.record.folderPath, 'Photos/2026');
    assert.deepEqual(byPath.get('/data/b.bin')?.record.destination, { kind: 'new-version', fileId: '42' });
    assert.equal(byPath.get('/data/b.bin')?.record.onNameConflict, 'replace');
    assert.equal(byPath.get('/data/c.bin')?.record.onNameConflict, undefined, 'no choice made: ask');
    assert.equal(byPath.get('/data/c.bin')?.error?.takenBy, 'folder', 'the choice offered after a restart');
  });

  it('costs O(1) per confirmed part: parts are appended to a log, not rewritten with the record', async (t) => {
    const dir = await tempDir(t);
    const journal = new JobJournal(JournalStore.open(dir), {
      target: TARGET,
      keepFailed: 'resumable',
      flushIntervalMs: 10_000,
    });
    const record = recordWithSession();
    journal.sessionChanged(record);
    const sizes: number[] = [];
    for (let index = 0; index < 3; index++) {
      journal.partConfirmed(record, index, part(index));
      journal.flush();
      sizes.push(readFileSync(join(dir, 'jobs.json')).length);
    }
    assert.equal(new Set(sizes.map((size) => Math.round(size / 10))).size, 1, 'the record does not grow with parts');
    assert.equal(
      readFileSync(join(dir, 'parts', `${record.id}.log`), 'utf8')
        .trim()
        .split('\n').length,
      3,
    );
  });

  it('writes jobs.json as JSON.stringify with tabs would, also when only some records changed', async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'jobs.json');
    const asStringify = (): void => {
      const text = readFileSync(path, 'utf8');
      assert.equal(text, JSON.stringify(JSON.parse(text), undefined, '\t'));
    };
    const journal = new JobJournal(JournalStore.open(dir), {
      target: TARGET,
      keepFailed: 'resumable',
      flushIntervalMs: 10_000,
    });
    const records = [recordWithSession(), recordWithSession(), recordWithSession()];
    for (const record of records) journal.sessionChanged(record);
    asStringify();
    const sha1StateOf = (id: string): unknown => JSON.parse(readFileSync(path, 'utf8')).jobs[id].sha1State;
    const [before1, before2] = [sha1StateOf(records[1]!.id), sha1StateOf(records[2]!.id)];
    records[1]!.wholeFile.update(Buffer.from('abcdefghij'));
    journal.hashAdvanced(records[1]!);
    journal.flush();
    asStringify();
    assert.notDeepEqual(sha1StateOf(records[1]!.id), before1, 'the changed record is written anew');
    assert.deepEqual(sha1StateOf(records[2]!.id), before2);
    journal.finished(records[0]!);
    asStringify();
    journal.finished(records[1]!);
    journal.finished(records[2]!);
    asStringify();
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')).jobs, {});

    // Records read back (keys a JS object orders its own way, and one not changed since) keep the shape.
    const header = JSON.parse(
      (() => {
        journal.sessionChanged(records[2]!);
        return readFileSync(path, 'utf8');
      })(),
    ).jobs[records[2]!.id];
    writeFileSync(
      path,
      JSON.stringify({ schemaVersion: 2, jobs: { b: { ...header, id: 'b' }, '7': { ...header, id: '7' } } }),
    );
    const reopened = JournalStore.open(dir);
    reopened.write([
      { ...header, id: '4294967295' },
      { ...header, id: '10' },
      { ...header, id: '3' },
    ]);
    asStringify();
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(path, 'utf8')).jobs), ['3', '7', '10', 'b', '4294967295']);
    reopened.write([], ['7']);
    asStringify();
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(path, 'utf8')).jobs), ['3', '10', 'b', '4294967295']);
  });

  it('batches part confirmations; writes state changes at once; never stores a token', async (t) => {
    const dir = await tempDir(t);
    const journal = new JobJournal(JournalStore.open(dir), {
      target: TARGET,
      keepFailed: 'all',
      flushIntervalMs: 10_000,
    });
    const record = recordWithSession();
    journal.sessionChanged(record);
    journal.partConfirmed(record, 0, part(0));
    assert.equal(JournalStore.open(dir).readParts(record.id).length, 0, 'not yet written');
    journal.stateChanged(record, 'paused');
    assert.equal(JournalStore.open(dir).readParts(record.id).length, 1, 'a state change flushes');
    assert.equal(JournalStore.open(dir).headers()[0]!.state, 'paused');
    assert.doesNotMatch(readFileSync(join(dir, 'jobs.json'), 'utf8'), /token|authorization|bearer/i);
  });

  it('with thousands of jobs, state changes close together share one write instead of one each', async (t) => {
    const dir = await tempDir(t);
    const store = JournalStore.open(dir);
    let writes = 0;
    const write = store.write.bind(store);
    store.write = (...args) => {
      writes += 1;
      write(...args);
    };
    const journal = new JobJournal(store, { target: TARGET, keepFailed: 'all' });
    const records = Array.from({ length: 3000 }, (_, index) =>
      JobRecord.create({ path: `/data/${index}.txt`, destination: { kind: 'folder', folderId: '0' } }),
    );
    for (const record of records) journal.stateChanged(record, 'queued');
    for (const record of records.slice(0, 1000)) journal.stateChanged(record, 'paused');
    for (const record of records.slice(1000, 2000)) journal.finished(record);
    assert.ok(writes <= WRITE_AT_ONCE_MAX_JOBS + 1, `${writes} writes for 5,000 changes`);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const onDisk = JournalStore.open(dir).headers();
    assert.equal(onDisk.length, 2000, 'written within the window, removals included');
    assert.equal(onDisk.filter((header) => header.state === 'paused').length, 1000);
  });

  it('forgets finished jobs and, for the CLI, failures a retry cannot fix', async (t) => {
    const dir = await tempDir(t);
    const journal = new JobJournal(JournalStore.open(dir), { target: TARGET, keepFailed: 'resumable' });
    const done = recordWithSession();
    const unreachable = JobRecord.create({ path: '/data/b', destination: { kind: 'folder', folderId: '0' } });
    const changed = JobRecord.create({ path: '/data/c', destination: { kind: 'folder', folderId: '0' } });
    for (const record of [done, unreachable, changed]) journal.stateChanged(record, 'queued');
    journal.finished(done);
    journal.stateChanged(unreachable, 'failed', { kind: 'server-unreachable', message: 'x cannot be reached.' });
    journal.stateChanged(changed, 'failed', { kind: 'file-changed', message: 'changed' });
    const left = JournalStore.open(dir).headers();
    assert.deepEqual(
      left.map((header) => [header.path, header.state, header.lastError?.kind]),
      [['/data/b', 'failed', 'server-unreachable']],
    );
  });

  it('restores only jobs of its own target, and rebases embedded localbox URLs to the new port', async (t) => {
    const dir = await tempDir(t);
    const embeddedThen = { kind: 'embedded' as const, origin: 'http://127.0.0.1:1' };
    const first = new JobJournal(JournalStore.open(dir), { target: embeddedThen, keepFailed: 'resumable' });
    const record = recordWithSession();
    first.sessionChanged(record);
    const embeddedNow = new JobJournal(JournalStore.open(dir), {
      target: { kind: 'embedded', origin: 'http://127.0.0.1:2' },
      keepFailed: 'resumable',
    });
    assert.equal(
      embeddedNow.restore()[0]!.record.session?.endpoints.commit,
      'http://127.0.0.1:2/api/2.0/files/upload_sessions/S/commit',
    );
    const elsewhere = new JobJournal(JournalStore.open(dir), { target: TARGET, keepFailed: 'resumable' });
    assert.equal(elsewhere.restore().length, 0);
    assert.equal(elsewhere.otherTargets().length, 1);
  });

  it('migrates a v1 journal (parts inline) to v2 (part log)', async (t) => {
    const dir = await tempDir(t);
    mkdirSync(dir, { recursive: true });
    const v2Header = (() => {
      const journal = new JobJournal(JournalStore.open(join(dir, 'scratch')), { target: TARGET, keepFailed: 'all' });
      const record = recordWithSession();
      journal.sessionChanged(record);
      return JSON.parse(readFileSync(join(dir, 'scratch', 'jobs.json'), 'utf8')).jobs[record.id];
    })();
    const { confirmedParts: _count, confirmedBytes: _bytes, ...v1Header } = v2Header;
    writeFileSync(
      join(dir, 'jobs.json'),
      JSON.stringify({ version: 1, jobs: [{ ...v1Header, parts: [storedLine(0), storedLine(1)] }] }),
    );
    const store = JournalStore.open(dir);
    assert.deepEqual(store.problems, []);
    const header = store.headers()[0]!;
    assert.equal(header.confirmedParts, 2);
    assert.equal(store.readParts(header.id).length, 2);
    assert.equal(JSON.parse(readFileSync(join(dir, 'jobs.json'), 'utf8')).schemaVersion, 2);
  });

  it('sets a corrupt or truncated journal aside, says so, and starts empty', async (t) => {
    const dir = await tempDir(t);
    writeFileSync(join(dir, 'jobs.json'), '{"schemaVersion":2,"jobs":{"a":{"id":"a","pa');
    const store = JournalStore.open(dir);
    assert.equal(store.headers().length, 0);
    assert.match(store.problems[0]!.message, /could not be read/);
    assert.match(readFileSync(store.problems[0]!.setAsidePath!, 'utf8'), /"pa$/, 'the bad file is kept for inspection');
    assert.ok(readdirSync(dir).some((name) => name.startsWith('jobs.corrupt-')));
  });

  it('sets invalid records aside and keeps the valid ones', async (t) => {
    const dir = await tempDir(t);
    const journal = new JobJournal(JournalStore.open(dir), { target: TARGET, keepFailed: 'all' });
    const record = recordWithSession();
    journal.sessionChanged(record);
    const file = JSON.parse(readFileSync(join(dir, 'jobs.json'), 'utf8'));
    file.jobs['broken'] = { id: 'broken', path: 42 };
    writeFileSync(join(dir, 'jobs.json'), JSON.stringify(file));
    const store = JournalStore.open(dir);
    assert.deepEqual(
      store.headers().map((header) => header.id),
      [record.id],
    );
    assert.match(store.problems[0]!.message, /1 journal record\(s\) were invalid/);
  });

  it('refuses session URLs that are not on the target’s upload origin: the file uploads anew', async (t) => {
    const dir = await tempDir(t);
    const journal = new JobJournal(JournalStore.open(dir), { target: TARGET, keepFailed: 'resumable' });
    const record = recordWithSession({
      ...ENDPOINTS,
      uploadPart: 'https://collector.example/api/2.0/files/upload_sessions/S',
    });
    record.reportTo(journal);
    journal.stateChanged(record, 'queued');
    journal.sessionChanged(record);
    record.confirmPart(0, part(0));
    journal.hashAdvanced(record);
    journal.flush();
    const store = JournalStore.open(dir);
    const restored = new JobJournal(store, { target: TARGET, keepFailed: 'resumable' }).restore();
    assert.equal(restored.length, 1, 'the job is kept');
    const again = restored[0]!.record;
    assert.equal(again.session, undefined, 'its session is not used');
    assert.equal(again.confirmed.size, 0);
    assert.equal(again.wholeFile.bytesHashed, 0);
    assert.deepEqual(
      store.problems.map((problem) => problem.message),
      [
        "the journal's upload session for /data/a.bin pointed at https://collector.example, not at http://127.0.0.1:1; it was not used and the file uploads anew",
      ],
    );
  });

  it(
    'keeps the journal and the state directory private: directories 0700, files 0600',
    { skip: process.platform === 'win32' },
    async (t) => {
      const stateDir = join(await tempDir(t), 'state');
      const lock = StateLock.acquire(stateDir);
      t.after(() => lock.release());
      const journalDir = join(stateDir, 'journal');
      mkdirSync(journalDir, { mode: 0o755 });
      chmodSync(journalDir, 0o755);
      const journal = new JobJournal(JournalStore.open(journalDir), { target: TARGET, keepFailed: 'resumable' });
      const record = recordWithSession();
      journal.stateChanged(record, 'queued');
      journal.sessionChanged(record);
      journal.partConfirmed(record, 0, part(0));
      journal.flush();
      const modeOf = (path: string) => statSync(path).mode & 0o777;
      assert.equal(modeOf(stateDir), 0o700);
      assert.equal(modeOf(lock.path), 0o600);
      assert.equal(modeOf(journalDir), 0o700, 'made private even when it was not');
      assert.equal(modeOf(join(journalDir, 'parts')), 0o700);
      assert.equal(modeOf(join(journalDir, 'jobs.json')), 0o600);
      const logs = readdirSync(join(journalDir, 'parts'));
      assert.equal(logs.length, 1);
      assert.equal(modeOf(join(journalDir, 'parts', logs[0]!)), 0o600);
    },
  );

  it('ignores a part log line torn by a crash', async (t) => {
    const dir = await tempDir(t);
    const store = JournalStore.open(dir);
    store.appendParts('job', [{ i: 0, ...storedLine(0) }]);
    appendFileSync(join(dir, 'parts', 'job.log'), '{"i":1,"part_id":"P1","off');
    assert.deepEqual(store.readParts('job'), [{ i: 0, ...storedLine(0) }]);
    assert.deepEqual(store.problems, []);
  });
});

describe('state lock', () => {
  it('lets one process own a state directory; a second is told who owns it', async (t) => {
    const dir = await tempDir(t);
    const child = spawn(process.execPath, [
      '--input-type=module',
      '-e',
      `import { StateLock } from ${JSON.stringify(new URL('../../electron/engine/journal/state-lock.ts', import.meta.url).href)};
       StateLock.acquire(${JSON.stringify(dir)}); console.log('locked'); setTimeout(() => {}, 60000);`,
    ]);
    await once(child.stdout!, 'data');
    assert.throws(
      () => StateLock.acquire(dir),
      (error: unknown) => error instanceof StateLockedError && error.ownerPid === child.pid,
    );
    child.kill('SIGKILL');
    await once(child, 'exit');
    const mine = StateLock.acquire(dir);
    assert.equal(readFileSync(mine.path, 'utf8'), String(process.pid), 'a lock left by a killed process is taken over');
    assert.deepEqual(readdirSync(dir), ['hoist.lock'], 'the pid was written beside it first, and that draft is gone');
    mine.release();
  });

  it('never shows a lock without its pid, even to a process checking at the same moment', async (t) => {
    const dir = await tempDir(t);
    const script = (
      name: string,
    ) => `import { StateLock } from ${JSON.stringify(new URL('../../electron/engine/journal/state-lock.ts', import.meta.url).href)};
       import { readFileSync } from 'node:fs';
       let empty = 0, won = 0;
       for (let i = 0; i < 300; i++) {
         try { const lock = StateLock.acquire(${JSON.stringify(dir)}); won++; lock.release(); }
         catch (error) { if (!/another hoist/.test(error.message) && !/could not lock/.test(error.message)) { console.log('${name} ' + error.message); process.exit(1); } }
         try { if (readFileSync(${JSON.stringify(join(dir, 'hoist.lock'))}, 'utf8') === '') empty++; } catch {}
       }
       console.log(JSON.stringify({ empty, won }));`;
    const children = ['a', 'b'].map((name) =>
      spawn(process.execPath, ['--input-type=module', '-e', script(name)], { stdio: ['ignore', 'pipe', 'inherit'] }),
    );
    const outputs = await Promise.all(
      children.map(async (child) => {
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
        const [code] = (await once(child, 'close')) as [number];
        assert.equal(code, 0, out);
        return JSON.parse(out.trim()) as { empty: number; won: number };
      }),
    );
    assert.deepEqual(
      outputs.map((output) => output.empty),
      [0, 0],
      'no one ever read an empty lock',
    );
  });
});
