import { utilityProcess } from 'electron';
import type { EngineProcess } from '../host/supervisor';

/**
 * Starts the engine (out/main/engine.js) as an Electron utilityProcess — a Node process of its
 * own, so a native crash in SQLite or HID cannot take the window down — and presents it as the
 * supervisor's `EngineProcess`, exactly like `forkEngine` does for browser mode and tests.
 */
export function utilityEngine(opts: { entry: string; args: string[]; log(message: string): void }): EngineProcess {
  const child = utilityProcess.fork(opts.entry, opts.args, {
    serviceName: 'Register Companion Engine',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let exited = false;
  let exitCode: number | null = null;
  const messageListeners: Array<(m: unknown) => void> = [];
  const exitListeners: Array<(code: number | null) => void> = [];

  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    // The engine logs to its own file; stderr only carries start-up failures and crashes.
    for (const line of chunk.split('\n')) if (line.trim()) opts.log(`engine stderr: ${line.trim()}`);
  });
  child.on('message', (m: unknown) => messageListeners.forEach((l) => l(m)));
  child.on('error', (type, location) => opts.log(`engine ${type} at ${location}`));
  child.on('exit', (code) => {
    exited = true;
    exitCode = code;
    exitListeners.forEach((l) => l(code));
  });

  return {
    send(message) {
      if (!exited) child.postMessage(message);
    },
    onMessage: (l) => void messageListeners.push(l),
    onExit(l) {
      if (exited) l(exitCode);
      else exitListeners.push(l);
    },
    kill() {
      if (!exited) child.kill();
    },
  };
}
