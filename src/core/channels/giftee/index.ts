import type { z } from 'zod';
import { HttpError, requestJson } from '../../http';
import type { Channel, ProbeResult } from '../types';
import type { EngineContext, GifteeConfig } from '../../context';
import {
  ConsumptionAnswerSchema,
  ErrorAnswerSchema,
  GIFTEE_PATHS,
  HealthAnswerSchema,
  TicketAnswerSchema,
  VerifyAnswerSchema,
  type ConsumptionWire,
  type TicketWire,
} from './wire';

/*
 * The giftee adapter: the only module that speaks giftee's wire format (./wire.ts). Everyone else
 * sees domain answers:
 *   - `{ ok: true, value }`                      giftee answered and agreed
 *   - `{ ok: false, refusal, message }`          giftee answered and said no (a certain outcome)
 *   - a thrown `HttpError`                       no usable answer: network, timeout, 5xx/429, unreadable.
 *                                                For `consume`, `err.outcomeUnknown` (or a 5xx) means the
 *                                                ticket may have been consumed: read its status to know.
 */

export type GifteeTicket = TicketWire;
export type GifteeConsumption = ConsumptionWire;

export type GifteeRefusal =
  | 'ticket_used'
  | 'ticket_expired'
  | 'ticket_unknown'
  | 'cancel_window_passed'
  | 'consumption_unknown'
  | 'unauthorized'
  /** Any other 4xx: giftee understood the request and refused it; nothing happened. */
  | 'rejected';

export type GifteeAnswer<T> = { ok: true; value: T } | { ok: false; refusal: GifteeRefusal; message: string };

export interface ConsumePlace {
  storeId: string;
  terminalId: string;
  /** Yen the ticket pays for in this sale (its discount). */
  amount: number;
}

export interface GifteeChannel extends Channel {
  /** Is the ticket redeemable now? Refusals: ticket_used, ticket_expired, ticket_unknown, unauthorized. */
  verify(code: string): Promise<GifteeAnswer<GifteeTicket>>;
  /** The ticket's current status, with the consumption that used it (and its idempotency key). */
  status(code: string): Promise<GifteeAnswer<GifteeTicket>>;
  /** Consumes the ticket. Repeating with the same key never consumes twice (giftee replays the first answer). */
  consume(code: string, idempotencyKey: string, place: ConsumePlace): Promise<GifteeAnswer<GifteeConsumption>>;
  /** Cancels a consumption (the ticket becomes unused again) while giftee's cancel window is open. */
  cancel(consumptionId: string): Promise<GifteeAnswer<GifteeConsumption>>;
}

/** Thrown when giftee is not configured: nothing was sent. */
export class GifteeNotConfiguredError extends Error {
  constructor() {
    super('giftee is not configured (Settings → giftee)');
    this.name = 'GifteeNotConfiguredError';
  }
}

export interface GifteeChannelOptions {
  /** Per-request timeout. Default: env REGISTER_COMPANION_GIFTEE_TIMEOUT_MS, else 8 s. */
  timeoutMs?: number;
}

function defaultTimeoutMs(): number {
  const env = Number(process.env.REGISTER_COMPANION_GIFTEE_TIMEOUT_MS);
  return Number.isFinite(env) && env > 0 ? env : 8_000;
}

/** Maps giftee's error answer to a refusal; null when it is not a refusal (5xx, 429: retry later). */
export function refusalOf(err: HttpError, notFound: GifteeRefusal): { refusal: GifteeRefusal; message: string } | null {
  if (err.kind !== 'status' || err.status === null) return null;
  const s = err.status;
  if (s >= 500 || s === 429 || s === 408) return null;
  const parsed = ErrorAnswerSchema.safeParse(err.body);
  const code = parsed.success ? parsed.data.error.code : '';
  const message = parsed.success && parsed.data.error.message ? parsed.data.error.message : `HTTP ${s}`;
  const known: Record<string, GifteeRefusal> = {
    ticket_used: 'ticket_used',
    ticket_expired: 'ticket_expired',
    ticket_unknown: 'ticket_unknown',
    cancel_window_passed: 'cancel_window_passed',
    consumption_unknown: 'consumption_unknown',
    unauthorized: 'unauthorized',
  };
  if (known[code]) return { refusal: known[code], message };
  if (s === 401 || s === 403) return { refusal: 'unauthorized', message };
  if (s === 404) return { refusal: notFound, message };
  if (s === 409) return { refusal: notFound === 'consumption_unknown' ? 'cancel_window_passed' : 'ticket_used', message };
  if (s === 410) return { refusal: 'ticket_expired', message };
  return { refusal: 'rejected', message };
}

export function createGifteeChannel(ctx: EngineContext, opts: GifteeChannelOptions = {}): GifteeChannel {
  const timeoutMs = () => opts.timeoutMs ?? defaultTimeoutMs();

  function config(): GifteeConfig {
    const c = ctx.gifteeConfig();
    if (!c) throw new GifteeNotConfiguredError();
    return c;
  }

  async function call<S extends z.ZodType>(
    schema: S,
    req: { method: 'GET' | 'POST'; path: string; json?: unknown; headers?: Record<string, string>; auth?: boolean; timeoutMs?: number },
    notFound: GifteeRefusal,
  ): Promise<GifteeAnswer<z.output<S>>> {
    const c = config();
    const headers: Record<string, string> = { ...req.headers };
    if (req.auth !== false) {
      const token = await c.accessToken();
      if (!token) return { ok: false, refusal: 'unauthorized', message: 'no giftee access token is set (Settings → giftee)' };
      headers.authorization = `Bearer ${token}`;
    }
    let body: unknown;
    try {
      const res = await requestJson({
        method: req.method,
        url: c.baseUrl.replace(/\/+$/, '') + req.path,
        headers,
        json: req.json,
        timeoutMs: req.timeoutMs ?? timeoutMs(),
      });
      body = res.body;
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      const refusal = refusalOf(err, notFound);
      if (refusal) return { ok: false, ...refusal };
      throw err;
    }
    const parsed = schema.safeParse(body);
    // A 2xx we cannot read: the request may have been applied; callers treat it like a lost answer.
    if (!parsed.success) throw new HttpError('bad_response', `unexpected answer from giftee ${req.path}: ${parsed.error.issues[0]?.message ?? ''}`, 200, body);
    return { ok: true, value: parsed.data };
  }

  const place = () => {
    const c = config();
    return { storeId: c.storeId, terminalId: c.terminalId };
  };

  return {
    id: 'giftee',
    configured: () => ctx.gifteeConfig() !== null,

    async probe(probeOpts): Promise<ProbeResult> {
      const t0 = Date.now();
      try {
        const short = Math.min(3_000, timeoutMs());
        await call(HealthAnswerSchema, { method: 'GET', path: GIFTEE_PATHS.health, auth: false, timeoutMs: short }, 'rejected');
        if (probeOpts?.auth) {
          // An all-zero code exists nowhere: "unknown ticket" proves the token is accepted.
          const r = await call(TicketAnswerSchema, { method: 'GET', path: GIFTEE_PATHS.ticket('0'.repeat(24)), timeoutMs: short }, 'ticket_unknown');
          if (!r.ok && r.refusal === 'unauthorized') return { ok: false, latencyMs: Date.now() - t0, message: `access token rejected: ${r.message}` };
        }
        return { ok: true, latencyMs: Date.now() - t0, message: 'OK' };
      } catch (err) {
        return { ok: false, latencyMs: null, message: (err as Error).message };
      }
    },

    async verify(code) {
      const r = await call(VerifyAnswerSchema, { method: 'POST', path: GIFTEE_PATHS.verify(code), json: place() }, 'ticket_unknown');
      if (!r.ok) return r;
      if (r.value.redeemable) return { ok: true, value: r.value.ticket };
      const status = r.value.ticket.status;
      const refusal: GifteeRefusal = r.value.reason === 'ticket_expired' || status === 'expired' ? 'ticket_expired' : 'ticket_used';
      return { ok: false, refusal, message: r.value.reason ?? status };
    },

    async status(code) {
      const r = await call(TicketAnswerSchema, { method: 'GET', path: GIFTEE_PATHS.ticket(code) }, 'ticket_unknown');
      return r.ok ? { ok: true, value: r.value.ticket } : r;
    },

    async consume(code, idempotencyKey, p) {
      const r = await call(
        ConsumptionAnswerSchema,
        {
          method: 'POST',
          path: GIFTEE_PATHS.consume(code),
          headers: { 'idempotency-key': idempotencyKey },
          json: { storeId: p.storeId, terminalId: p.terminalId, amount: p.amount },
        },
        'ticket_unknown',
      );
      return r.ok ? { ok: true, value: r.value.consumption } : r;
    },

    async cancel(consumptionId) {
      const r = await call(ConsumptionAnswerSchema, { method: 'POST', path: GIFTEE_PATHS.cancel(consumptionId), json: {} }, 'consumption_unknown');
      return r.ok ? { ok: true, value: r.value.consumption } : r;
    },
  };
}
