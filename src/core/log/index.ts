import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
  /** Never write this value: every occurrence in a log line is replaced by ***. */
  redact(value: string): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * JSON-lines log in `<dataDir>/logs/engine.log` (and stderr when asked). Secrets are never passed
 * in, and as a second guard every value registered with `redact` is masked before writing.
 */
export function createLogger(opts: { dir?: string | null; stderr?: boolean; level?: LogLevel }): Logger {
  const file = opts.dir ? join(opts.dir, 'engine.log') : null;
  if (opts.dir) mkdirSync(opts.dir, { recursive: true });
  const min = ORDER[opts.level ?? 'info'];
  const secrets = new Set<string>();

  const write = (level: LogLevel, scope: string, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    let line = JSON.stringify({ at: new Date().toISOString(), level, scope, msg, ...fields }, (_k, v) =>
      v instanceof Error ? { name: v.name, message: v.message } : v,
    );
    for (const s of secrets) if (s.length >= 4) line = line.split(s).join('***');
    if (file) {
      try {
        appendFileSync(file, line + '\n');
      } catch {
        /* a full disk must not take the engine down through its log */
      }
    }
    if (opts.stderr) process.stderr.write(line + '\n');
  };

  const make = (scope: string): Logger => ({
    debug: (m, f) => write('debug', scope, m, f),
    info: (m, f) => write('info', scope, m, f),
    warn: (m, f) => write('warn', scope, m, f),
    error: (m, f) => write('error', scope, m, f),
    child: (s) => make(scope ? `${scope}.${s}` : s),
    redact: (v) => {
      if (v) secrets.add(v);
    },
  });
  return make('engine');
}

/** A logger that keeps lines in memory: for tests. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const make = (scope: string): Logger => ({
    debug: (m, f) => lines.push(JSON.stringify({ level: 'debug', scope, msg: m, ...f })),
    info: (m, f) => lines.push(JSON.stringify({ level: 'info', scope, msg: m, ...f })),
    warn: (m, f) => lines.push(JSON.stringify({ level: 'warn', scope, msg: m, ...f })),
    error: (m, f) => lines.push(JSON.stringify({ level: 'error', scope, msg: m, ...f })),
    child: (s) => make(`${scope}.${s}`),
    redact: () => {},
  });
  return Object.assign(make('test'), { lines });
}
