/**
 * `npm run dist`: installers for this platform with electron-builder, signed, notarized and with
 * an update feed only when the environment says so (dist-config.ts lists the variables).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'electron-builder';
import { distPlan } from './dist-config.ts';

const base = JSON.parse(
  readFileSync(fileURLToPath(new URL('../electron-builder.json', import.meta.url)), 'utf8'),
) as Record<string, unknown>;
const plan = distPlan(base, process.env);
Object.assign(process.env, plan.env);
for (const line of plan.summary) console.log(line);
await build({ config: plan.config as never, publish: 'never' });
