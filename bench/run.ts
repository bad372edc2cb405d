/**
 * `npm run bench`: runs every area's bench module, writes bench/results.json (metric → number) and
 * prints a table with the targets. Speed is measured here, never asserted in tests.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Target per metric: `max` = lower is better, `min` = higher is better. */
const TARGETS: Record<string, { max?: number; min?: number; unit: string }> = {
  engine_ready_ms: { max: 800, unit: 'ms' },
  engine_idle_rss_mb: { max: 120, unit: 'MB' },
  renderer_js_gzip_kb: { max: 250, unit: 'KB' },
  scan_to_verdict_p99_ms: { max: 2, unit: 'ms' },
  hid_reports_decoded_per_s: { min: 200_000, unit: '/s' },
  outbox_commit_p99_ms: { max: 5, unit: 'ms' },
  outbox_bulk_enqueue_per_s: { min: 100_000, unit: '/s' },
  drain_rate_ratio: { min: 0.9, unit: '×' },
  crash_trials: { min: 30, unit: '' },
  crash_lost: { max: 0, unit: '' },
  crash_duplicated: { max: 0, unit: '' },
};

const AREAS = ['app', 'scan', 'redemption', 'outbox'];

async function main() {
  const only = process.argv.slice(2);
  const results: Record<string, number> = {};
  for (const area of AREAS) {
    if (only.length && !only.includes(area)) continue;
    const file = join(here, `${area}.ts`);
    if (!existsSync(file)) {
      process.stderr.write(`bench: no ${area}.ts yet\n`);
      continue;
    }
    process.stderr.write(`bench: ${area}…\n`);
    const mod = (await import(pathToFileURL(file).href)) as { run(): Promise<Record<string, number>> };
    Object.assign(results, await mod.run());
  }
  writeFileSync(join(here, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  const rows = Object.entries(results).map(([name, value]) => {
    const t = TARGETS[name];
    const target = t ? (t.max !== undefined ? `≤ ${t.max}` : `≥ ${t.min}`) : '';
    const ok = t ? (t.max !== undefined ? value <= t.max : value >= (t.min ?? -Infinity)) : true;
    return [name, Number.isInteger(value) ? String(value) : value.toFixed(3), `${target} ${t?.unit ?? ''}`.trim(), ok ? 'ok' : 'MISS'];
  });
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[['metric', 'value', 'target', ''], ...rows].map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(['metric', 'value', 'target', '']));
  for (const r of rows) console.log(line(r));
  process.exit(0);
}

void main();
