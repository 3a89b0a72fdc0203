/**
 * The bench scenarios of adaptive parts in flight and pacing (issue 13): a WAN-like link limited
 * per connection (`wan`, with bench.ts's SDK comparison), a link limited in total (`total`), and
 * Box's upload rate limit (`ratelimit`). Each runs the client in its own process against
 * `hoist localbox` in another.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkSha1,
  withLocalbox,
  localboxStats,
  opensslSha1,
  runUpload,
  writeRandomFile,
  type RunResult,
} from './bench-tools.ts';

const MB = 1_000_000;
/** localbox's `box` part size for files of this size (Box's 8 MiB). */
const PART_BYTES = 8 * 1024 * 1024;

export interface BenchContext {
  filesDir: string;
  report(line: string): void;
  results: Record<string, unknown>;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Each of fixed 4 and auto, once, on a fresh localbox with `flags`; returns their runs. */
async function fixedAndAuto(flags: string[], file: string): Promise<{ fixed: RunResult; auto: RunResult }> {
  const { sha1 } = opensslSha1(file);
  return withLocalbox(flags, 300 * MB, async (localbox) => {
    const fixed = await runUpload('hoist', localbox, file, 4);
    const auto = await runUpload('hoist', localbox, file, 'auto');
    checkSha1(fixed, sha1);
    checkSha1(auto, sha1);
    return { fixed, auto };
  });
}

/**
 * Scenario 1, adaptive half: 120 MB over `--latency-ms 40 --conn-bandwidth 8000000`. The link's
 * floor for P in flight is ceil(parts / P) rounds of one part at the per-connection bandwidth.
 */
export async function wanAuto(context: BenchContext, file: string): Promise<void> {
  const bytesPerSec = 8_000_000;
  const flags = ['--latency-ms', '40', '--conn-bandwidth', String(bytesPerSec)];
  const { fixed, auto } = await fixedAndAuto(flags, file);
  const parts = Math.ceil((120 * MB) / PART_BYTES);
  const floorMs = (inFlight: number) => (Math.ceil(parts / inFlight) * PART_BYTES * 1000) / bytesPerSec;
  const fixedRatio = fixed.wallMs / floorMs(4);
  const speedup = fixed.wallMs / auto.wallMs;
  context.results['wanAuto'] = { fixed, auto, floor4Ms: floorMs(4), floor5Ms: floorMs(5), fixedRatio, speedup };
  context.report(
    `1b. WAN (localbox ${flags.join(' ')}), 120 MB in ${parts} parts, parts in flight: fixed 4 ${seconds(fixed.wallMs)} ` +
      `against its floor ${seconds(floorMs(4))} -> ${fixedRatio.toFixed(2)}x (target <= 1.1x: ${fixedRatio <= 1.1 ? 'met' : 'NOT met'}); ` +
      `auto ${seconds(auto.wallMs)} (floor at 5: ${seconds(floorMs(5))}) -> ${speedup.toFixed(2)}x faster than fixed 4 ` +
      `(target >= 1.2x: ${speedup >= 1.2 ? 'met' : 'NOT met'})`,
  );
}

/** Scenario 2: a link limited in total (`--total-bandwidth 32000000`): auto within 5% of fixed 4. */
export async function total(context: BenchContext): Promise<void> {
  const file = join(context.filesDir, 'total-120MB.bin');
  await writeRandomFile(file, 120 * MB);
  const bytesPerSec = 32_000_000;
  const flags = ['--total-bandwidth', String(bytesPerSec)];
  const { fixed, auto } = await fixedAndAuto(flags, file);
  const floorMs = (120 * MB * 1000) / bytesPerSec;
  const slower = auto.wallMs / fixed.wallMs - 1;
  context.results['total'] = { fixed, auto, floorMs, slower };
  context.report(
    `7. Link limited in total (localbox ${flags.join(' ')}), 120 MB: fixed 4 ${seconds(fixed.wallMs)}, auto ${seconds(auto.wallMs)} ` +
      `(floor ${seconds(floorMs)}) -> auto ${Math.abs(slower * 100).toFixed(1)}% ${slower >= 0 ? 'slower' : 'faster'} ` +
      `(target: within 5%: ${slower <= 0.05 ? 'met' : 'NOT met'}); peak RSS fixed 4 ${Math.round(fixed.maxRssBytes / MB)} MB, ` +
      `auto ${Math.round(auto.maxRssBytes / MB)} MB`,
  );
}

/**
 * Scenario 5: 2,000 files of 10 kB against localbox limited to 600 upload requests a minute. The
 * floor is requests / rate; the 429s are counted by the server.
 */
export async function ratelimit(context: BenchContext): Promise<void> {
  const dir = join(context.filesDir, 'ratelimit-files');
  const fileCount = 2000;
  const perMinute = 600;
  await mkdir(dir, { recursive: true });
  const content = Buffer.alloc(10_000, 'hoist ');
  for (let index = 0; index < fileCount; index++) await writeFile(join(dir, `small-${index}.txt`), content);
  const flags = ['--upload-requests-per-minute', String(perMinute)];
  const { run, refused } = await withLocalbox(flags, 100 * MB, async (localbox) => {
    const run = await runUpload('hoist-many', localbox, dir, 'auto');
    const stats = (await localboxStats(localbox)) as unknown as { rateLimitedRequests: number };
    return { run, refused: stats.rateLimitedRequests };
  });
  const floorMs = (fileCount / perMinute) * 60_000;
  const ratio = run.wallMs / floorMs;
  context.results['ratelimit'] = { fileCount, perMinute, run, refused, floorMs, ratio };
  context.report(
    `8. Rate limit (localbox ${flags.join(' ')}), ${fileCount.toLocaleString('en-US')} files of 10 kB: ${refused} answers 429 ` +
      `(target <= 1: ${refused <= 1 ? 'met' : 'NOT met'}); ${seconds(run.wallMs)} against the floor ${seconds(floorMs)} ` +
      `-> ${ratio.toFixed(2)}x (target <= 1.1x: ${ratio <= 1.1 ? 'met' : 'NOT met'})`,
  );
}
