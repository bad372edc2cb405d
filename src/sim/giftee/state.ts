import type { GifteeSeed } from './seed';

export type StoredTicketStatus = 'unused' | 'used' | 'expired';

export interface TicketRow {
  code: string;
  /** Stored status; an unused ticket past expiresAt reports "expired". */
  status: StoredTicketStatus;
  expiresAt: string;
  /** The consumption that made it used through this API (null if unused or used elsewhere). */
  consumptionId: string | null;
}

export interface ConsumptionRow {
  consumptionId: string;
  code: string;
  idempotencyKey: string;
  storeId: string;
  terminalId: string;
  amount: number;
  consumedAt: string;
  cancelledAt: string | null;
}

export interface GifteeState {
  accessToken: string;
  cancelWindowMinutes: number;
  tickets: TicketRow[];
  /** Every consumption ever made, cancelled ones included. */
  consumptions: ConsumptionRow[];
  nextConsumption: number;
}

export function buildGifteeState(seed: GifteeSeed): GifteeState {
  return {
    accessToken: seed.accessToken,
    cancelWindowMinutes: seed.cancelWindowMinutes,
    tickets: seed.tickets.map((t) => ({ code: t.code, status: t.status, expiresAt: t.expiresAt, consumptionId: null })),
    consumptions: [],
    nextConsumption: 1,
  };
}
