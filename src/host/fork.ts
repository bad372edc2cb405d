import { fork } from 'node:child_process';
import type { EngineProcess } from './supervisor';

/**
 * Starts the engine as a plain `node` child with an IPC channel (browser mode, tests). `entry` is
 * the built `out/main/engine.js`, or `src/core/main.ts` with `execArgv: ['--import', 'tsx']`.
 */
export function forkEngine(opts: { entry: string; args?: string[]; execArgv?: string[]; env?: NodeJS.ProcessEnv; stderr?: (chunk: string) => void }): EngineProcess {
  const child = fork(opts.entry, opts.args ?? [], {
    execArgv: opts.execArgv ?? [],
    env: opts.env ?? process.env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (c: string) => opts.stderr?.(c));
  const exitListeners: Array<(code: number | null) => void> = [];
  let exited = false;
  child.on('exit', (code) => {
    exited = true;
    exitListeners.forEach((l) => l(code));
  });
  child.on('error', () => {
    /* reported through 'exit' */
  });
  return {
    pid: child.pid,
    send(message) {
      if (!exited && child.connected) child.send(message as object);
    },
    onMessage: (l) => child.on('message', l),
    onExit(l) {
      if (exited) l(child.exitCode);
      else exitListeners.push(l);
    },
    kill: () => child.kill('SIGKILL'),
  };
}
