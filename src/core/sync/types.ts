import type { Db } from '../db';
import type { Logger } from '../log';

/** One thing read from an external system (a Smaregi transaction, a stock row, a channel order). */
export interface ReceivedItem {
  /** Stable identity of this version of the item: a re-read is recognised and not recorded twice. */
  key: string;
  target: string;
  kind: string;
  summary: string;
  payload: unknown;
}

/**
 * Runs inside the transaction that records new items and moves the cursor, so whatever a consumer
 * derives (e.g. an outbox row for a channel) commits together with them. Must be synchronous.
 */
export type ReceivedListener = (item: ReceivedItem, db: Db) => void;

export interface PollContext {
  now(): Date;
  log: Logger;
  cursor(name: string): string | null;
  /**
   * Records `items` (new ones only) and sets the cursor, in one transaction. Returns how many were
   * new. Throws on storage trouble (intake stops; nothing half-written).
   */
  commit(items: ReceivedItem[], cursor: { name: string; value: string } | null): number;
}

/** One inbound source. Channel modules contribute pollers (Smaregi today, channel orders later). */
export interface Poller {
  readonly name: string;
  readonly target: string;
  readonly intervalMs: number;
  configured(): boolean;
  poll(pc: PollContext): Promise<{ received: number }>;
}
