/**
 * `npm run bench [wan] [startup] [cpu] [rss] [resume] [many] [limit] [total] [ratelimit]`: Hoist's performance targets,
 * measured side by side with Box's official Node SDK against localbox in a separate process. Not a test: it reports
 * numbers (and whether each target is met), it never fails the build on timing.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatBytes } from '../../shared/format.ts';
import type { BatchSummary } from '../../electron/service/queue-activity.ts';
import { memoryStoresFor } from '../../electron/service/settings-store.ts';
import { UploadService } from '../../electron/service/upload-service.ts';
import { cpu as cpuWholeProcess, startup as startupScenario } from './cli-bench.ts';
import {
  checkSha1,
  withLocalbox,
  buildRunner,
  localboxStats,
  startCli,
  opensslSha1,
  removeDir,
  runUpload,
  scratchDir,
  writeRandomFile,
  writeSparseFile,
} from './bench-tools.ts';
import { ratelimit as ratelimitScenario, total as totalScenario, wanAuto } from './link-bench.ts';

const MB = 1_000_000;
const PARALLEL = 4;
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: `${(await import('node:os')).cpus()[0]?.model} x${(await import('node:os')).cpus().length}`,
};
const lines: string[] = [];
const report = (line: string): void => {
  lines.push(line);
  console.log(line);
};

async function wan(filesDir: string): Promise<void> {
  const file = join(filesDir, 'wan-120MB.bin');
  await writeRandomFile(file, 120 * MB);
  const { sha1 } = opensslSha1(file);
  const flags = ['--latency-ms', '40', '--conn-bandwidth', '8000000'];
  const [sdk, hoist] = await withLocalbox(flags, 300 * MB, async (localbox) => [
    await runUpload('sdk', localbox, file),
    await runUpload('hoist', localbox, file, PARALLEL),
  ]);
  checkSha1(sdk!, sha1);
  checkSha1(hoist!, sha1);
  const speedup = sdk!.wallMs / hoist!.wallMs;
  results['wan'] = { sdk, hoist, speedup };
  report(
    `1. WAN (localbox ${flags.join(' ')}), 120 MB: SDK uploadBigFile ${(sdk!.wallMs / 1000).toFixed(1)} s, ` +
      `Hoist ${(hoist!.wallMs / 1000).toFixed(1)} s (parallel ${PARALLEL}) -> ${speedup.toFixed(2)}x faster ` +
      `(target >= 3.5x: ${speedup >= 3.5 ? 'met' : 'NOT met'})`,
  );
  await wanAuto({ filesDir, report, results }, file);
}

async function rss(filesDir: string): Promise<void> {
  const partSizeBytes = 32 * 1024 * 1024;
  const small = join(filesDir, 'rss-1GB.bin');
  const large = join(filesDir, 'rss-8GB-sparse.bin');
  await writeSparseFile(small, 1000 * MB);
  await writeSparseFile(large, 8000 * MB);
  const limitBytes = 100 * MB + (PARALLEL + 1) * partSizeBytes;
  const measure = async (file: string, sizeBytes: number) =>
    withLocalbox(['--part-size', String(partSizeBytes)], sizeBytes + 100 * MB, (localbox) =>
      runUpload('hoist', localbox, file, PARALLEL),
    );
  const one = await measure(small, 1000 * MB);
  const eight = await measure(large, 8000 * MB);
  checkSha1(one, opensslSha1(small).sha1);
  checkSha1(eight, opensslSha1(large).sha1);
  const spread = Math.abs(eight.maxRssBytes - one.maxRssBytes) / one.maxRssBytes;
  const met = one.maxRssBytes <= limitBytes && eight.maxRssBytes <= limitBytes && spread <= 0.1;
  results['rss'] = { partSizeBytes, limitBytes, one, eight, spread };
  report(
    `3. Peak RSS, part size 32 MiB, parallel ${PARALLEL}: 1 GB ${formatBytes(one.maxRssBytes)}, 8 GB (sparse) ` +
      `${formatBytes(eight.maxRssBytes)}; limit 100 MB + 5 x 32 MiB = ${formatBytes(limitBytes)}; sizes differ by ` +
      `${(spread * 100).toFixed(1)}% (target <= 10%: ${met ? 'met' : 'NOT met'})`,
  );
}

async function resume(filesDir: string): Promise<void> {
  const file = join(filesDir, 'resume-8GB-sparse.bin');
  await writeSparseFile(file, 8000 * MB);
  const stateDir = join(filesDir, 'resume-state');
  await withLocalbox([], 8100 * MB, async (localbox) => {
    const target = ['--api-url', localbox.url, '--token', localbox.token, '--state-dir', stateDir, '--json'];
    const first = startCli(['upload', file, ...target]);
    // Run until half the parts are on the server, then kill -9.
    for (;;) {
      const progress = first
        .output()
        .trim()
        .split('\n')
        .filter((line) => line.includes('"progress"'))
        .at(-1);
      const event = progress ? (JSON.parse(progress) as { partsDone: number; totalParts: number }) : undefined;
      if (event && event.partsDone >= event.totalParts / 2) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    first.child.kill('SIGKILL');
    await first.exited;
    const startedMs = Date.now();
    const resumed = startCli(['resume', ...target]);
    let firstPartMs: number | undefined;
    while (firstPartMs === undefined) {
      const stats = await localboxStats(localbox);
      firstPartMs = stats.partAttempts.find((attempt) => attempt.startedAtMs >= startedMs)?.startedAtMs;
      if (firstPartMs === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const code = await resumed.exited;
    const done = resumed
      .output()
      .split('\n')
      .find((line) => line.includes('"event":"done"'));
    const sha1 = done ? (JSON.parse(done) as { sha1: string }).sha1 : '';
    if (code !== 0 || sha1 !== opensslSha1(file).sha1) throw new Error(`resume ended ${code} with SHA-1 ${sha1}`);
    const elapsedMs = firstPartMs - startedMs;
    results['resume'] = { fileBytes: 8000 * MB, msToFirstNewPart: elapsedMs };
    report(
      `4. Resume, 8 GB (sparse) half uploaded then kill -9: \`hoist resume\` process start to the first new part at the server ` +
        `${elapsedMs} ms (target < 2000 ms: ${elapsedMs < 2000 ? 'met' : 'NOT met'}); it completed with the right SHA-1`,
    );
  });
}

/** A folder of 10,000 small files in 100 subfolders, dropped on the app: the desktop service at work. */
async function many(filesDir: string): Promise<void> {
  const root = join(filesDir, 'many-files');
  const fileCount = 10_000;
  for (let index = 0; index < fileCount; index++) {
    const folder = join(root, `folder-${String(index % 100).padStart(3, '0')}`);
    if (index < 100) await mkdir(folder, { recursive: true });
    await writeFile(join(folder, `file-${index}.txt`), `file ${index} `.repeat(1 + (index % 300)));
  }
  await withLocalbox([], 500 * MB, async (localbox) => {
    const { settings, secrets } = memoryStoresFor(localbox);
    const service = await UploadService.start({ stateDir: join(filesDir, 'many-state'), settings, secrets });
    try {
      const finished = new Promise<BatchSummary>((resolve) => service.once('batch-finished', resolve));
      const cpuBefore = process.cpuUsage();
      const startedMs = Date.now();
      const added = await service.addFiles([root]);
      const queuedMs = Date.now() - startedMs;
      const summary = await finished;
      const totalMs = Date.now() - startedMs;
      const cpu = process.cpuUsage(cpuBefore);
      if (added.added.length !== fileCount || summary.done !== fileCount)
        throw new Error(`queued ${added.added.length} and uploaded ${summary.done} of ${fileCount} files`);
      const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
      results['many'] = { files: fileCount, folders: 101, queuedMs, totalMs, cpuMs };
      report(
        `5. A folder of ${fileCount.toLocaleString('en-US')} small files in 100 subfolders, dropped on the app (UploadService, localbox in another process): ` +
          `101 folders created and every file queued in ${queuedMs} ms; all uploaded in ${(totalMs / 1000).toFixed(1)} s ` +
          `(${Math.round(fileCount / (totalMs / 1000))} files/s; the app's CPU ${(cpuMs / 1000).toFixed(1)} s)`,
      );
    } finally {
      await service.shutdown();
    }
  });
}

/** `hoist upload --limit-rate`: the speed the server sees, against the limit asked for. */
async function limit(filesDir: string): Promise<void> {
  const file = join(filesDir, 'limit-60MB.bin');
  await writeRandomFile(file, 60 * MB);
  const { sha1 } = opensslSha1(file);
  const runs: Array<{ limitBytesPerSec: number; wallMs: number; serverBytesPerSec: number }> = [];
  for (const limitBytesPerSec of [10 * MB, 25 * MB]) {
    await withLocalbox([], 100 * MB, async (localbox) => {
      const startedMs = Date.now();
      const cli = startCli(
        ['upload', file, '--api-url', localbox.url, '--token', localbox.token, '--json'].concat([
          '--state-dir',
          join(filesDir, `limit-state-${limitBytesPerSec}`),
          '--limit-rate',
          String(limitBytesPerSec),
        ]),
      );
      const code = await cli.exited;
      const wallMs = Date.now() - startedMs;
      const done = cli
        .output()
        .split('\n')
        .find((line) => line.includes('"event":"done"'));
      if (code !== 0 || !done || (JSON.parse(done) as { sha1: string }).sha1 !== sha1)
        throw new Error(`the limited upload ended ${code}: ${done}`);
      // From the first part's arrival to the end of the command: the rate parts really left at.
      const firstPartMs = Math.min(...(await localboxStats(localbox)).partAttempts.map((part) => part.startedAtMs));
      runs.push({
        limitBytesPerSec,
        wallMs,
        serverBytesPerSec: (60 * MB) / ((startedMs + wallMs - firstPartMs) / 1000),
      });
    });
  }
  results['limit'] = runs;
  report(
    `6. Upload speed limit, 60 MB with \`hoist upload --limit-rate\` over raw loopback: ` +
      runs
        .map(
          (run) =>
            `limit ${formatBytes(run.limitBytesPerSec)}/s -> ${formatBytes(run.serverBytesPerSec)}/s at the server ` +
            `(${((100 * run.serverBytesPerSec) / run.limitBytesPerSec).toFixed(1)}% of the limit; whole command ${(run.wallMs / 1000).toFixed(1)} s)`,
        )
        .join('; '),
  );
}

const startup = (filesDir: string) => startupScenario({ filesDir, report, results });
const cpu = (filesDir: string) => cpuWholeProcess({ filesDir, report, results });
const total = (filesDir: string) => totalScenario({ filesDir, report, results });
const ratelimit = (filesDir: string) => ratelimitScenario({ filesDir, report, results });
const scenarios: Record<string, (filesDir: string) => Promise<void>> = {
  wan,
  startup,
  cpu,
  rss,
  resume,
  many,
  limit,
  total,
  ratelimit,
};
const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(scenarios);
await buildRunner();
const filesDir = await scratchDir('hoist-bench-files-', 10_000 * MB);
try {
  for (const name of wanted) {
    const scenario = scenarios[name];
    if (!scenario) throw new Error(`unknown scenario "${name}"; choose from ${Object.keys(scenarios).join(', ')}`);
    await scenario(filesDir);
  }
} finally {
  await removeDir(filesDir);
}
// A run of some scenarios replaces theirs and keeps the latest numbers of the others.
const outDir = new URL('../bench-results/', import.meta.url);
const latest = new URL('latest.json', outDir);
await mkdir(outDir, { recursive: true });
const earlier = (await readFile(latest, 'utf8').then(JSON.parse, () => ({}))) as Record<string, unknown>;
const linesOf = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : []);
// A line's scenario is its text up to the first colon ("3. CLI start-up (median of 5)").
const scenarioOf = (line: string): string => line.slice(0, line.indexOf(':'));
const keptLines = linesOf(earlier['lines']).filter(
  (line) => !lines.some((fresh) => scenarioOf(fresh) === scenarioOf(line)),
);
const allLines = [...keptLines, ...lines].sort((a, b) => Number.parseInt(a) - Number.parseInt(b));
await writeFile(latest, `${JSON.stringify({ ...earlier, ...results, lines: allLines }, null, 2)}\n`);
