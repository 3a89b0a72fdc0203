/**
 * `npm run security`: electronegativity over electron/ and renderer/ together (global checks
 * need both: the CSP is in the renderer, navigation limits in main). Fails on any HIGH or
 * MEDIUM finding not explained in build/electronegativity-allowlist.json; electronegativity
 * itself exits 0 whatever it finds.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Allowed {
  check: string;
  file: string;
  reason: string;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const scanDir = mkdtempSync(join(tmpdir(), 'hoist-scan-'));
try {
  for (const dir of ['electron', 'renderer']) {
    cpSync(join(root, dir), join(scanDir, dir), {
      recursive: true,
      filter: (path) => !path.includes(join('native', 'sha1', 'build')),
    });
  }
  const report = join(scanDir, 'report.csv');
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'))
    .version as string;
  const scan = spawnSync(
    join(root, 'node_modules/.bin/electronegativity'),
    ['-i', scanDir, '-r', '-e', electronVersion, '-o', report],
    {
      encoding: 'utf8',
      timeout: 300_000,
    },
  );
  if (scan.status !== 0) throw new Error(`electronegativity failed: ${scan.stderr}`);
  const allowlist = JSON.parse(readFileSync(join(root, 'build/electronegativity-allowlist.json'), 'utf8')) as Allowed[];
  const rows = readFileSync(report, 'utf8').trim().split('\n').slice(1);
  const findings = rows.map((row) => {
    const [check = '', severity = '', confidence = '', file = '', location = ''] = row
      .split(',')
      .map((cell) => cell.replace(/^"|"$/g, ''));
    return { check, severity, confidence, file, location };
  });
  const serious = findings.filter((finding) => finding.severity === 'HIGH' || finding.severity === 'MEDIUM');
  const unexplained = serious.filter(
    (finding) => !allowlist.some((allowed) => allowed.check === finding.check && allowed.file === finding.file),
  );
  const stale = allowlist.filter(
    (allowed) => !serious.some((finding) => finding.check === allowed.check && finding.file === allowed.file),
  );
  for (const finding of findings) {
    const note = serious.includes(finding) && !unexplained.includes(finding) ? ' (allowlisted)' : '';
    console.log(`${finding.severity.padEnd(6)} ${finding.check} ${finding.file}:${finding.location}${note}`);
  }
  if (stale.length > 0)
    console.log(`note: allowlist entries no longer needed: ${stale.map((entry) => entry.check).join(', ')}`);
  if (unexplained.length > 0) {
    console.error(
      `electronegativity: ${unexplained.length} HIGH/MEDIUM finding(s) not explained in build/electronegativity-allowlist.json`,
    );
    process.exit(1);
  }
  console.log(`electronegativity: ${findings.length} finding(s), none unexplained at HIGH or MEDIUM`);
} finally {
  rmSync(scanDir, { recursive: true, force: true });
}
