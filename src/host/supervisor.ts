import {
  EngineMessageSchema,
  RequestEnvelopeSchema,
  type ErrorBody,
  type EventEnvelope,
  type ReplyEnvelope,
  type RequestEnvelope,
} from '../shared/contract/envelope';

/** A running engine process, however it was started (utilityProcess, fork). */
export interface EngineProcess {
  /** OS process id, where known (for diagnostics and the memory bench). */
  readonly pid?: number;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type ConnectionState = 'connecting' | 'ready' | 'reconnecting' | 'fatal' | 'stopped';

export interface SupervisorOptions {
  spawn(): EngineProcess;
  /** Every engine event, plus `engine.connection` while the engine (re)starts. */
  onEvent(event: EventEnvelope): void;
  log?(message: string): void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a call waits for a restarting engine before failing. */
  callWaitMs?: number;
}

export interface Supervisor {
  start(): void;
  /** Sends a request; always resolves with a reply (an error reply when the engine cannot answer). */
  call(request: unknown): Promise<ReplyEnvelope>;
  state(): ConnectionState;
  fatalError(): ErrorBody | null;
  /** Asks the engine to flush and exit; kills it if it does not within the time. */
  shutdown(timeoutMs?: number): Promise<void>;
}

interface Pending {
  clientId: string;
  resolve(reply: ReplyEnvelope): void;
}

/**
 * Keeps one engine process alive for a host: restarts it with capped exponential backoff when it
 * dies, answers calls made meanwhile once it is back (or with `engine_unavailable`), and never
 * restarts after a fatal start-up error (a newer schema, a data folder in use) — that needs a person.
 */
export function createSupervisor(opts: SupervisorOptions): Supervisor {
  const initial = opts.initialBackoffMs ?? 250;
  const max = opts.maxBackoffMs ?? 10_000;
  const callWaitMs = opts.callWaitMs ?? 15_000;
  let proc: EngineProcess | null = null;
  let state: ConnectionState = 'connecting';
  let attempt = 0;
  let fatal: ErrorBody | null = null;
  let seq = 0;
  let stopping = false;
  let readyWaiters: Array<() => void> = [];
  const pending = new Map<string, Pending>();

  const announce = (s: 'connecting' | 'ready' | 'reconnecting' | 'fatal') =>
    opts.onEvent({ kind: 'event', event: 'engine.connection', data: { state: s, attempt, ...(s === 'fatal' && fatal ? { error: fatal } : {}) } });

  const fail = (p: Pending, error: ErrorBody) => p.resolve({ kind: 'reply', id: p.clientId, ok: false, error });

  function spawn() {
    state = attempt === 0 ? 'connecting' : 'reconnecting';
    const child = opts.spawn();
    proc = child;
    child.onMessage((raw) => {
      const m = raw as { kind?: string; error?: ErrorBody };
      if (m?.kind === 'ready') {
        state = 'ready';
        attempt = 0;
        announce('ready');
        const waiters = readyWaiters;
        readyWaiters = [];
        waiters.forEach((w) => w());
        return;
      }
      if (m?.kind === 'fatal') {
        fatal = m.error ?? { code: 'internal', message: 'engine failed to start' };
        state = 'fatal';
        opts.log?.(`engine cannot start: ${fatal.message}`);
        announce('fatal');
        return;
      }
      const parsed = EngineMessageSchema.safeParse(raw);
      if (!parsed.success) {
        opts.log?.('dropped a malformed message from the engine');
        return;
      }
      const msg = parsed.data;
      if (msg.kind === 'event') {
        opts.onEvent(msg);
        return;
      }
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      p.resolve({ ...msg, id: p.clientId });
    });
    child.onExit((code) => {
      if (proc !== child) return;
      proc = null;
      for (const [id, p] of pending) {
        pending.delete(id);
        fail(p, { code: 'engine_unavailable', message: 'The engine stopped while answering; try again.' });
      }
      if (stopping || state === 'fatal') {
        if (state === 'fatal') {
          const waiters = readyWaiters;
          readyWaiters = [];
          waiters.forEach((w) => w());
        }
        return;
      }
      attempt++;
      state = 'reconnecting';
      announce('reconnecting');
      const delay = Math.min(max, initial * 2 ** (attempt - 1));
      opts.log?.(`engine exited (code ${code}); restarting in ${delay} ms (attempt ${attempt})`);
      setTimeout(() => {
        if (!stopping) spawn();
      }, delay);
    });
  }

  function waitReady(): Promise<boolean> {
    if (state === 'ready') return Promise.resolve(true);
    if (state === 'fatal' || state === 'stopped') return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        readyWaiters = readyWaiters.filter((w) => w !== done);
        resolve(false);
      }, callWaitMs);
      const done = () => {
        clearTimeout(timer);
        resolve(state === 'ready');
      };
      readyWaiters.push(done);
    });
  }

  return {
    start() {
      announce('connecting');
      spawn();
    },
    state: () => state,
    fatalError: () => fatal,
    async call(request) {
      const parsed = RequestEnvelopeSchema.safeParse(request);
      const clientId = typeof (request as { id?: unknown })?.id === 'string' ? (request as RequestEnvelope).id : '';
      if (!parsed.success) {
        return { kind: 'reply', id: clientId, ok: false, error: { code: 'bad_message', message: 'Malformed request' } };
      }
      if (!(await waitReady()) || !proc) {
        const error = fatal ?? { code: 'engine_unavailable' as const, message: 'The engine is restarting; try again in a moment.' };
        return { kind: 'reply', id: clientId, ok: false, error };
      }
      const id = `h${++seq}`;
      return new Promise<ReplyEnvelope>((resolve) => {
        pending.set(id, { clientId, resolve });
        proc!.send({ ...parsed.data, id });
      });
    },
    async shutdown(timeoutMs = 5000) {
      stopping = true;
      state = 'stopped';
      const child = proc;
      if (!child) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          child.kill();
          resolve();
        }, timeoutMs + 1000);
        child.onExit(() => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ kind: 'shutdown', timeoutMs });
      });
    },
  };
}
