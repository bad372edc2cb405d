import { z } from 'zod';
import {
  CallError,
  ReplyEnvelopeSchema,
  events,
  isEventName,
  methods,
  type ErrorCode,
  type EventData,
  type EventEnvelope,
  type EventName,
  type MethodName,
  type ParamsIn,
  type RendererApi,
  type Result,
} from '../../shared/contract';
import type { RawTransport } from './types';

/** A failed call: the contract's CallError plus the details the engine sent (e.g. validation issues). */
export class ApiError extends CallError {
  constructor(
    code: ErrorCode | string,
    message: string,
    readonly details?: unknown,
  ) {
    super(code, message);
    this.name = 'ApiError';
  }
}

/** One field-level problem, from zod issues (ours or the engine's). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Field issues carried by an error, if any: `details` as zod issues or `{ issues: [...] }`. */
export function fieldIssues(err: unknown): FieldIssue[] {
  if (!(err instanceof ApiError)) return [];
  const d = err.details as unknown;
  const list = Array.isArray(d) ? d : d && typeof d === 'object' && Array.isArray((d as { issues?: unknown }).issues) ? (d as { issues: unknown[] }).issues : [];
  const out: FieldIssue[] = [];
  for (const i of list) {
    if (!i || typeof i !== 'object') continue;
    const path = Array.isArray((i as { path?: unknown }).path) ? ((i as { path: unknown[] }).path.map(String).join('.')) : '';
    const message = typeof (i as { message?: unknown }).message === 'string' ? (i as { message: string }).message : '';
    out.push({ path, message });
  }
  return out;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export interface ApiObserver {
  /** Every settled call: ok, or the error it failed with. */
  onCall?(method: MethodName, error: ApiError | null): void;
}

type AnySchema = z.ZodType;

/**
 * The typed, validated renderer API over a raw envelope transport: params are checked against the
 * contract before they leave, results and events are checked on arrival (an invalid event is dropped).
 */
export function createApi(raw: RawTransport, observer: ApiObserver = {}): RendererApi {
  let seq = 0;
  const listeners = new Map<string, Set<(data: unknown) => void>>();

  raw.subscribe((envelope: EventEnvelope) => {
    if (!envelope || typeof envelope.event !== 'string' || !isEventName(envelope.event)) return;
    const set = listeners.get(envelope.event);
    if (!set || set.size === 0) return;
    const parsed = (events[envelope.event] as AnySchema).safeParse(envelope.data);
    if (!parsed.success) {
      console.warn(`Dropped invalid event ${envelope.event}:`, z.prettifyError(parsed.error));
      return;
    }
    for (const listener of [...set]) {
      try {
        listener(parsed.data);
      } catch (e) {
        console.error(`Listener for ${envelope.event} failed`, e);
      }
    }
  });

  async function call<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<Result<M>> {
    const schema = methods[method] as unknown as { params: AnySchema; result: AnySchema };
    const settle = (error: ApiError | null): void => observer.onCall?.(method, error);
    const p = schema.params.safeParse(params);
    if (!p.success) {
      const err = new ApiError('invalid_params', z.prettifyError(p.error), p.error.issues);
      settle(err);
      throw err;
    }
    const id = `${Date.now().toString(36)}-${(++seq).toString(36)}`;
    let reply: unknown;
    try {
      reply = await raw.invoke({ kind: 'request', id, method, params: p.data });
    } catch (e) {
      const err =
        e instanceof ApiError
          ? e
          : e instanceof CallError
            ? new ApiError(e.code, e.message)
            : new ApiError('engine_unavailable', `The app did not answer ${method}: ${errorMessage(e)}`);
      settle(err);
      throw err;
    }
    const envelope = ReplyEnvelopeSchema.safeParse(reply);
    if (!envelope.success) {
      const err = new ApiError('bad_message', `Malformed reply to ${method}`);
      settle(err);
      throw err;
    }
    if (!envelope.data.ok) {
      const err = new ApiError(envelope.data.error.code, envelope.data.error.message, envelope.data.error.details);
      settle(err);
      throw err;
    }
    const result = schema.result.safeParse(envelope.data.result);
    if (!result.success) {
      const err = new ApiError('bad_message', `Invalid result for ${method}: ${z.prettifyError(result.error)}`);
      settle(err);
      throw err;
    }
    settle(null);
    return result.data as Result<M>;
  }

  function on<E extends EventName>(event: E, listener: (data: EventData<E>) => void): () => void {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const l = listener as (data: unknown) => void;
    set.add(l);
    return () => {
      set.delete(l);
    };
  }

  return { call, on };
}
