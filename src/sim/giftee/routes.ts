import { timingSafeEqual } from 'node:crypto';
import type { ErrorStyle, SimContext, SimReply, SimRequest, SimRoute } from '../framework/types';
import { formatJst, parseIsoDateTime } from '../framework/time';
import type { ConsumptionRow, GifteeState, TicketRow } from './state';

/* The giftee store-side protocol we assume (docs/giftee-protocol.md). */

type Ctx = SimContext<GifteeState>;

export function gifteeError(status: number, code: string, message: string, headers?: Record<string, string>): SimReply {
  return { status, body: { error: { code, message } }, headers };
}

export const gifteeErrorStyle: ErrorStyle = (status, kind, message) => {
  switch (kind) {
    case 'not_found':
      return gifteeError(404, 'not_found', message);
    case 'method_not_allowed':
      return gifteeError(405, 'method_not_allowed', message);
    case 'bad_json':
      return gifteeError(400, 'invalid_json', message);
    case 'payload_too_large':
      return gifteeError(413, 'payload_too_large', message);
    case 'rate_limited':
      return gifteeError(429, 'rate_limited', message);
    case 'server_error':
    case 'internal_error':
      return gifteeError(status >= 500 ? status : 500, 'internal_error', message);
  }
};

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function authorized(req: SimRequest, state: GifteeState): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m !== null && tokenMatches(m[1], state.accessToken);
}

function ticketStatus(t: TicketRow, nowMs: number): 'unused' | 'used' | 'expired' {
  if (t.status !== 'unused') return t.status;
  const exp = parseIsoDateTime(t.expiresAt);
  return exp !== null && nowMs >= exp ? 'expired' : 'unused';
}

function renderConsumption(c: ConsumptionRow, state: GifteeState, nowMs: number): Record<string, unknown> {
  const until = (parseIsoDateTime(c.consumedAt) ?? 0) + state.cancelWindowMinutes * 60_000;
  return {
    consumptionId: c.consumptionId,
    code: c.code,
    idempotencyKey: c.idempotencyKey,
    consumedAt: c.consumedAt,
    storeId: c.storeId,
    terminalId: c.terminalId,
    amount: c.amount,
    cancellable: c.cancelledAt === null && nowMs < until,
    cancellableUntil: formatJst(until),
    cancelledAt: c.cancelledAt,
  };
}

function renderTicket(t: TicketRow, state: GifteeState, nowMs: number): Record<string, unknown> {
  const c = t.consumptionId ? state.consumptions.find((x) => x.consumptionId === t.consumptionId) : undefined;
  return {
    code: t.code,
    status: ticketStatus(t, nowMs),
    expiresAt: t.expiresAt,
    consumption: c ? renderConsumption(c, state, nowMs) : null,
  };
}

type Handler = (req: SimRequest, ctx: Ctx) => SimReply;

/** A route that requires the Bearer token. */
function authed(method: SimRoute<GifteeState>['method'], path: string, handler: Handler): SimRoute<GifteeState> {
  return {
    method,
    path,
    handler: (req, ctx) =>
      authorized(req, ctx.state)
        ? handler(req, ctx)
        : gifteeError(401, 'unauthorized', 'missing or invalid access token', { 'www-authenticate': 'Bearer' }),
  };
}

/** Validates the code and finds the ticket; returns an error reply instead when it can't. */
function findTicket(req: SimRequest, state: GifteeState): TicketRow | SimReply {
  const code = req.params.code;
  if (!/^\d{24}$/.test(code)) return gifteeError(400, 'invalid_code', 'a ticket code is exactly 24 digits');
  return state.tickets.find((t) => t.code === code) ?? gifteeError(404, 'ticket_unknown', `no ticket with code ${code}`);
}

const isReply = (v: TicketRow | SimReply): v is SimReply => 'status' in v && typeof v.status === 'number';

function readPlace(body: unknown, needAmount: boolean): { storeId: string; terminalId: string; amount: number } | SimReply {
  const bad = (message: string) => gifteeError(400, 'invalid_request', message);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return bad('body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.storeId !== 'string' || b.storeId === '' || b.storeId.length > 64) {
    return bad('storeId is required (a non-empty string)');
  }
  if (typeof b.terminalId !== 'string' || b.terminalId === '' || b.terminalId.length > 64) {
    return bad('terminalId is required (a non-empty string)');
  }
  let amount = 0;
  if (needAmount) {
    if (typeof b.amount !== 'number' || !Number.isInteger(b.amount) || b.amount < 0 || b.amount > 100_000_000) {
      return bad('amount is required (a non-negative integer number of yen)');
    }
    amount = b.amount;
  }
  return { storeId: b.storeId, terminalId: b.terminalId, amount };
}

export function gifteeRoutes(): SimRoute<GifteeState>[] {
  return [
    { method: 'GET', path: '/v1/health', handler: () => ({ status: 200, body: { status: 'ok' } }) },

    authed('GET', '/v1/tickets/:code', (req, { state, now }) => {
      const t = findTicket(req, state);
      if (isReply(t)) return t;
      return { status: 200, body: { ticket: renderTicket(t, state, now()) } };
    }),

    authed('POST', '/v1/tickets/:code/verify', (req, { state, now }) => {
      const t = findTicket(req, state);
      if (isReply(t)) return t;
      const place = readPlace(req.body, false);
      if ('status' in place) return place;
      const status = ticketStatus(t, now());
      const reason = status === 'used' ? 'ticket_used' : status === 'expired' ? 'ticket_expired' : null;
      return { status: 200, body: { redeemable: reason === null, reason, ticket: renderTicket(t, state, now()) } };
    }),

    authed('POST', '/v1/tickets/:code/consume', (req, { state, now }) => {
      const t = findTicket(req, state);
      if (isReply(t)) return t;
      const key = req.headers['idempotency-key'];
      if (key === undefined || key.length < 8 || key.length > 100) {
        return gifteeError(400, 'idempotency_key_required', 'an Idempotency-Key header of 8–100 characters is required');
      }
      const place = readPlace(req.body, true);
      if ('status' in place) return place;
      const at = now();
      const earlier = state.consumptions.find((c) => c.idempotencyKey === key);
      if (earlier) {
        const same =
          earlier.code === t.code &&
          earlier.storeId === place.storeId &&
          earlier.terminalId === place.terminalId &&
          earlier.amount === place.amount;
        if (!same) {
          return gifteeError(422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request');
        }
        return {
          status: 200,
          headers: { 'idempotent-replayed': 'true' },
          body: { consumption: renderConsumption(earlier, state, at), ticket: renderTicket(t, state, at) },
        };
      }
      const status = ticketStatus(t, at);
      if (status === 'used') return gifteeError(409, 'ticket_used', 'this ticket has already been used');
      if (status === 'expired') return gifteeError(410, 'ticket_expired', 'this ticket has expired');
      const c: ConsumptionRow = {
        consumptionId: `cns_${String(state.nextConsumption++).padStart(8, '0')}`,
        code: t.code,
        idempotencyKey: key,
        storeId: place.storeId,
        terminalId: place.terminalId,
        amount: place.amount,
        consumedAt: formatJst(at),
        cancelledAt: null,
      };
      state.consumptions.push(c);
      t.status = 'used';
      t.consumptionId = c.consumptionId;
      return { status: 201, body: { consumption: renderConsumption(c, state, at), ticket: renderTicket(t, state, at) } };
    }),

    authed('GET', '/v1/consumptions/:consumptionId', (req, { state, now }) => {
      const c = state.consumptions.find((x) => x.consumptionId === req.params.consumptionId);
      if (!c) return gifteeError(404, 'consumption_unknown', `no consumption ${req.params.consumptionId}`);
      const t = state.tickets.find((x) => x.code === c.code)!;
      return { status: 200, body: { consumption: renderConsumption(c, state, now()), ticket: renderTicket(t, state, now()) } };
    }),

    authed('POST', '/v1/consumptions/:consumptionId/cancel', (req, { state, now }) => {
      const c = state.consumptions.find((x) => x.consumptionId === req.params.consumptionId);
      if (!c) return gifteeError(404, 'consumption_unknown', `no consumption ${req.params.consumptionId}`);
      const t = state.tickets.find((x) => x.code === c.code)!;
      const at = now();
      if (c.cancelledAt === null) {
        const until = (parseIsoDateTime(c.consumedAt) ?? 0) + state.cancelWindowMinutes * 60_000;
        if (at >= until) {
          return gifteeError(409, 'cancel_window_passed', `a consumption can be cancelled for ${state.cancelWindowMinutes} minutes only`);
        }
        c.cancelledAt = formatJst(at);
        if (t.consumptionId === c.consumptionId) {
          t.status = 'unused';
          t.consumptionId = null;
        }
      }
      return { status: 200, body: { consumption: renderConsumption(c, state, at), ticket: renderTicket(t, state, at) } };
    }),
  ];
}
