/**
 * The engine process. Started as an Electron utilityProcess by the shell, or as a plain `node`
 * child (fork) by the browser-mode host and the tests. It speaks the contract envelopes plus three
 * process messages: host → `{kind:'shutdown'}`; engine → `{kind:'ready'}` and `{kind:'fatal', error}`
 * (a start-up failure a restart cannot fix, e.g. a newer schema or a data folder in use).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ContractError } from '../shared/contract/envelope';
import { createEngine, type Engine } from './engine';

interface Port {
  send(msg: unknown): void;
  onMessage(listener: (msg: unknown) => void): void;
}

function hostPort(): Port {
  const parentPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(ev: 'message', l: (e: { data: unknown }) => void): void } }).parentPort;
  if (parentPort) {
    return { send: (m) => parentPort.postMessage(m), onMessage: (l) => parentPort.on('message', (e) => l(e.data)) };
  }
  if (process.send) {
    return { send: (m) => process.send?.(m), onMessage: (l) => process.on('message', l) };
  }
  throw new Error('The engine must be started by a host (utilityProcess or fork with an IPC channel).');
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const port = hostPort();
  const dataDir = resolve(arg('--data-dir') ?? process.env.REGISTER_COMPANION_DATA_DIR ?? join(homedir(), '.register-companion'));
  const demo = (arg('--demo') ?? 'auto') === 'off' ? 'off' : 'auto';
  let engine: Engine;
  try {
    engine = await createEngine({ dataDir, demo, owner: arg('--owner') ?? 'app' });
  } catch (err) {
    const e = err instanceof ContractError ? { code: err.code, message: err.message } : { code: 'internal', message: (err as Error)?.message ?? String(err) };
    port.send({ kind: 'fatal', error: e });
    process.stderr.write(`engine failed to start: ${e.message}\n`);
    setTimeout(() => process.exit(2), 50);
    return;
  }
  engine.onEvent((e) => port.send(e));

  let stopping = false;
  const shutdown = async (flushMs: number) => {
    if (stopping) return;
    stopping = true;
    try {
      if (flushMs > 0) await engine.call('engine.flush', { timeoutMs: flushMs });
    } catch {
      /* quitting anyway: nothing queued is lost, it waits in SQLite */
    }
    await engine.stop();
    process.exit(0);
  };

  port.onMessage((msg) => {
    const m = msg as { kind?: string; timeoutMs?: number };
    if (m?.kind === 'shutdown') {
      void shutdown(typeof m.timeoutMs === 'number' ? m.timeoutMs : 3000);
      return;
    }
    // Every other message is a request; `handle` answers even malformed ones and never throws.
    void engine.handle(msg).then((reply) => port.send(reply));
  });
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGINT', () => void shutdown(0));
  process.on('disconnect', () => void shutdown(0));
  process.on('uncaughtException', (err) => {
    engine.ctx.log.error('uncaught exception', { err });
  });
  process.on('unhandledRejection', (err) => {
    engine.ctx.log.error('unhandled rejection', { err });
  });
  port.send({ kind: 'ready' });
}

void main();
