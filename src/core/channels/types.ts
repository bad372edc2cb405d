import type { SystemId } from '../../shared/contract/status';
import type { Poller } from '../sync/types';

/**
 * Every external system is one module behind this interface. The outbox hands it the rows queued
 * for it; the connectivity monitor and the settings screen's "test connection" use `probe`.
 */
export interface OutboxDelivery {
  /** The outbox row's UUID: the idempotency key of every attempt, never regenerated. */
  id: string;
  kind: string;
  orderingKey: string;
  payload: unknown;
  /** 1 on the first attempt. */
  attempt: number;
  /**
   * True when an earlier attempt may have reached the target (crash while in flight, timeout, reset,
   * unreadable answer). A target without idempotency keys must check before writing again.
   */
  maybeApplied: boolean;
}

export type DeliveryOutcome = { ok: true; remoteRef?: string | null; summary?: string };

/** Thrown by `deliver` to say how the failure should be treated. */
export class DeliveryError extends Error {
  constructor(
    readonly disposition: 'retry' | 'permanent',
    message: string,
    readonly retryAfterMs: number | null = null,
    /** The request may have been applied before the failure (used to set `maybeApplied` next time). */
    readonly maybeApplied = false,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface ProbeResult {
  ok: boolean;
  latencyMs: number | null;
  message: string;
}

export interface Channel {
  readonly id: SystemId;
  /** Whether settings allow this channel to run (credentials and URLs present). */
  configured(): boolean;
  /** A cheap request to the real endpoint: reachability, and credentials when `auth` is true. */
  probe(opts?: { auth?: boolean }): Promise<ProbeResult>;
  /** Delivers one outbox row. Resolves on success; throws DeliveryError (or anything: treated as retry). */
  deliver?(item: OutboxDelivery): Promise<DeliveryOutcome>;
  /** Requests per second this target accepts (outbox pacing). */
  readonly rateLimitPerSec?: number;
  /**
   * The manager fixed a setting and resends a failed item: return its payload with the fields that
   * come from settings (e.g. the store id) taken afresh, or null to send it unchanged.
   */
  restamp?(kind: string, payload: unknown): unknown | null;
  /** Inbound sources this system offers (transactions, stock changes, channel orders), polled by the sync engine. */
  pollers?(): Poller[];
}
