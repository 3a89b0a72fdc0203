import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UploadHistory } from '../../electron/service/upload-history.ts';
import { HISTORY_MAX_ENTRIES, type UploadRecord } from '../../shared/share-model.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const entry = (index: number, overrides: Partial<UploadRecord> = {}): UploadRecord => ({
  id: `job-${index}`,
  fileName: `file-${index}.bin`,
  sizeBytes: 1000 + index,
  uploadedAtMs: 1_700_000_000_000 + index,
  serverLabel: 'Embedded local Box',
  target: { kind: 'embedded' },
  folderPath: 'All Files',
  fileId: String(100_000 + index),
  ...overrides,
});

describe('the recent-uploads history', () => {
  it('keeps the newest 1,000 uploads, newest first, and drops the oldest', async (t) => {
    const history = UploadHistory.open(join(await tempDir(t), 'history.json'));
    for (let index = 0; index < HISTORY_MAX_ENTRIES + 25; index++) history.record(entry(index));
    const { entries, totalCount } = history.list();
    assert.equal(totalCount, 1000);
    assert.equal(entries[0]!.id, `job-${HISTORY_MAX_ENTRIES + 24}`);
    assert.equal(entries.at(-1)!.id, 'job-25', 'the 25 oldest are gone');
    assert.equal(history.get('job-24'), undefined);
  });

  it('survives a restart: entries and links are written atomically to one file and read back', async (t) => {
    const path = join(await tempDir(t), 'history.json');
    const history = UploadHistory.open(path, { writeDelayMs: 10_000 });
    history.record(entry(1));
    history.record(entry(2));
    history.setLink('job-1', { url: 'https://app.box.com/s/abc', access: 'company', effectiveAccess: 'company' });
    assert.equal(UploadHistory.open(path).size, 0, 'nothing written before the delay or a flush');
    history.flush();
    const again = UploadHistory.open(path);
    assert.deepEqual(again.list().entries, history.list().entries);
    assert.equal(again.get('job-1')!.sharedLink!.url, 'https://app.box.com/s/abc');
    const stored = JSON.parse(await readFile(path, 'utf8')) as { version: number };
    assert.equal(stored.version, 1);
  });

  it('writes changes within its delay without a flush, coalescing many into one write', async (t) => {
    const path = join(await tempDir(t), 'history.json');
    let changes = 0;
    const history = UploadHistory.open(path, { writeDelayMs: 20, onChange: () => changes++ });
    for (let index = 0; index < 50; index++) history.record(entry(index));
    assert.equal(changes, 50, 'every change is announced');
    const deadline = Date.now() + 5000;
    while (UploadHistory.open(path).size !== 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(UploadHistory.open(path).size, 50);
  });

  it('finds entries by words of the name, the folder or the server, ignoring case', async (t) => {
    const history = UploadHistory.open(join(await tempDir(t), 'history.json'));
    history.record(entry(1, { fileName: 'Quarterly Report.pdf', folderPath: 'All Files/Finance' }));
    history.record(entry(2, { fileName: 'holiday.mov', folderPath: 'All Files/Photos' }));
    history.record(entry(3, { fileName: 'report-draft.docx', serverLabel: 'api.box.com' }));
    const names = (query: string) => history.list({ query }).entries.map((each) => each.fileName);
    assert.deepEqual(names('report'), ['report-draft.docx', 'Quarterly Report.pdf']);
    assert.deepEqual(names('REPORT finance'), ['Quarterly Report.pdf']);
    assert.deepEqual(names('photos'), ['holiday.mov']);
    assert.deepEqual(names('api.box'), ['report-draft.docx']);
    assert.deepEqual(names('nothing-like-it'), []);
    assert.equal(history.list({ query: '  ' }).totalCount, 3);
  });

  it('the same job again replaces its entry and keeps its link; clear empties it on disk too', async (t) => {
    const path = join(await tempDir(t), 'history.json');
    const history = UploadHistory.open(path);
    history.record(entry(1));
    history.setLink('job-1', { url: 'https://app.box.com/s/x', access: 'open', effectiveAccess: 'open' });
    history.record(entry(2));
    history.record(entry(1, { uploadedAtMs: 1_800_000_000_000 }));
    assert.deepEqual(
      history.list().entries.map((each) => each.id),
      ['job-1', 'job-2'],
    );
    assert.equal(history.get('job-1')!.sharedLink?.url, 'https://app.box.com/s/x');
    history.clear();
    history.flush();
    assert.equal(UploadHistory.open(path).size, 0);
  });

  it('sets an unreadable file aside and starts empty; drops entries it does not recognise', async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'history.json');
    await writeFile(path, '{"entries": [');
    const broken = UploadHistory.open(path);
    assert.equal(broken.size, 0);
    assert.match(broken.problem ?? '', /unreadable; it was kept as .*history\.json\.unreadable/);
    assert.equal(await readFile(`${path}.unreadable`, 'utf8'), '{"entries": [');
    await writeFile(path, JSON.stringify({ entries: [entry(1), { id: 'x' }, entry(2, { sizeBytes: -1 })] }));
    assert.deepEqual(
      UploadHistory.open(path)
        .list()
        .entries.map((each) => each.id),
      ['job-1'],
    );
  });
});
