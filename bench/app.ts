/** App-level metrics: engine start-up and idle memory (built engine under Node), renderer bundle size. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { forkEngine } from '../src/host/fork';

const root = join(import.meta.dirname, '..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Spawns the built engine and resolves when it answers status.get; returns [ms, child]. */
async function readyOnce(dataDir: string) {
  const t0 = performance.now();
  const child = forkEngine({ entry: join(root, 'out/main/engine.js'), args: ['--data-dir', dataDir, '--demo', 'off'] });
  await new Promise<void>((resolve, reject) => {
    child.onExit((code) => reject(new Error(`engine exited ${code}`)));
    child.onMessage((m) => {
      const msg = m as { kind?: string; id?: string };
      if (msg.kind === 'ready') child.send({ kind: 'request', id: 'b', method: 'status.get', params: {} });
      if (msg.kind === 'reply' && msg.id === 'b') resolve();
    });
  });
  return { ms: performance.now() - t0, child };
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );
}

export async function run(): Promise<Record<string, number>> {
  statSync(join(root, 'out/main/engine.js')); // run `npm run build` first
  const times: number[] = [];
  let rss = 0;
  for (let i = 0; i < 5; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
    const { ms, child } = await readyOnce(dir);
    times.push(ms);
    if (i === 4) {
      await new Promise((r) => setTimeout(r, 2000));
      rss = child.pid ? rssOf(child.pid) : 0;
    }
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  const gz = jsFiles(join(root, 'out/renderer')).reduce((n, f) => n + gzipSync(readFileSync(f)).length, 0) / 1024;
  return { engine_ready_ms: Math.round(median(times)), engine_idle_rss_mb: Math.round(rss * 10) / 10, renderer_js_gzip_kb: Math.round(gz * 10) / 10 };
}
