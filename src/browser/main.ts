/**
 * Browser mode: the same app without Electron. The engine runs as a node child; the built renderer is
 * served on 127.0.0.1; the contract travels over a WebSocket that demands this run's random token and
 * our own Origin. Prints exactly one line on stdout: `Register Companion UI: http://127.0.0.1:PORT/?token=TOKEN`.
 */
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkEngine } from '../host/fork';
import { createSupervisor } from '../host/supervisor';
import { startBrowserHost } from './host';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const here = dirname(fileURLToPath(import.meta.url));
  const dataDir = resolve(arg('--data-dir') ?? process.env.REGISTER_COMPANION_DATA_DIR ?? join(homedir(), '.register-companion'));
  const portArg = arg('--port');
  const port = portArg === undefined ? 0 : Number(portArg);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a number from 0 to 65535, got "${portArg}"\n`);
    process.exit(64);
  }
  const demo = arg('--demo') === 'off' ? 'off' : 'auto';
  const log = (m: string) => process.stderr.write(`[browser-host] ${m}\n`);

  const host = await startBrowserHost({
    port,
    token: randomBytes(24).toString('base64url'),
    rendererDir: resolve(here, '../renderer'),
    log,
  });
  const supervisor = createSupervisor({
    spawn: () =>
      forkEngine({
        entry: join(here, 'engine.js'),
        args: ['--data-dir', dataDir, '--demo', demo, '--owner', 'browser-mode'],
        stderr: (c) => process.stderr.write(c),
      }),
    onEvent: (e) => host.broadcast(e),
    log,
  });
  host.setSupervisor(supervisor);
  supervisor.start();
  process.stdout.write(`Register Companion UI: ${host.url}\n`);

  let quitting = false;
  const quit = async () => {
    if (quitting) return;
    quitting = true;
    await supervisor.shutdown(3000);
    await host.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void quit());
  process.on('SIGTERM', () => void quit());
  // Orphaned (the launcher was killed): stop rather than hold the port and the data folder.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void quit();
  }, 1000).unref();
}

void main().catch((err) => {
  process.stderr.write(`browser mode failed to start: ${(err as Error)?.message ?? err}\n`);
  process.exit(1);
});
