import { z } from 'zod';

export const OutboxStateSchema = z.enum(['pending', 'in_flight', 'sent', 'failed']);
export type OutboxState = z.infer<typeof OutboxStateSchema>;

export const OutboxItemSchema = z.object({
  id: z.string(), // UUID made at enqueue: the idempotency key of every attempt
  target: z.string(),
  kind: z.string(), // e.g. smaregi.transaction, smaregi.stock.set
  orderingKey: z.string(),
  state: OutboxStateSchema,
  attempts: z.number().int(),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  lastError: z.string().nullable(),
  payload: z.unknown(),
  /** What the target answered on success (e.g. its transactionHeadId). */
  remoteRef: z.string().nullable(),
});
export type OutboxItem = z.infer<typeof OutboxItemSchema>;

export const TargetCountsSchema = z.object({
  target: z.string(),
  pending: z.number().int(),
  inFlight: z.number().int(),
  failed: z.number().int(),
  sent: z.number().int(),
});
export type TargetCounts = z.infer<typeof TargetCountsSchema>;

export const SyncProgressSchema = z.object({
  paused: z.boolean(),
  draining: z.boolean(),
  /** Items still to deliver, and how many were delivered since the backlog began draining. */
  remaining: z.number().int(),
  done: z.number().int(),
  etaSeconds: z.number().nullable(),
  perTarget: z.array(TargetCountsSchema),
});
export type SyncProgress = z.infer<typeof SyncProgressSchema>;

export const HistoryEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  direction: z.enum(['sent', 'received']),
  target: z.string(),
  kind: z.string(),
  outboxId: z.string().nullable(),
  summary: z.string(),
  payload: z.unknown(),
  ok: z.boolean(),
  error: z.string().nullable(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export const syncMethods = {
  'outbox.list': {
    params: z
      .object({
        state: OutboxStateSchema.nullable().default(null),
        target: z.string().max(50).nullable().default(null),
        limit: z.number().int().min(1).max(1000).default(100),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    result: z.object({ total: z.number().int(), items: z.array(OutboxItemSchema) }),
  },
  'outbox.resend': {
    params: z.union([
      z.object({ ids: z.array(z.string()).min(1).max(1000) }).strict(),
      z.object({ allFailed: z.literal(true), target: z.string().nullable().default(null) }).strict(),
    ]),
    result: z.object({ requeued: z.number().int() }),
  },
  'sync.progress': { params: z.object({}).strict(), result: SyncProgressSchema },
  /** Drain now; with wait, resolve once nothing pending or in flight can still go out (or the timeout passes). */
  'sync.now': {
    params: z.object({ wait: z.boolean().default(false), timeoutMs: z.number().int().min(0).max(600_000).default(60_000) }).strict(),
    result: SyncProgressSchema,
  },
  'sync.pause': { params: z.object({}).strict(), result: SyncProgressSchema },
  'sync.resume': { params: z.object({}).strict(), result: SyncProgressSchema },
  'sync.history': {
    params: z
      .object({
        text: z.string().max(100).default(''),
        direction: z.enum(['sent', 'received']).nullable().default(null),
        target: z.string().max(50).nullable().default(null),
        limit: z.number().int().min(1).max(1000).default(100),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    result: z.object({ total: z.number().int(), rows: z.array(HistoryEntrySchema) }),
  },
  /**
   * A target's request rate for outbox delivery. Without `perSec`: read it. A number: set it (the
   * store's contract allows more or less than the default). null: back to the channel's default.
   */
  'sync.rateLimit': {
    params: z
      .object({ target: z.string().min(1).max(50), perSec: z.number().positive().max(10_000).nullable().optional() })
      .strict(),
    result: z.object({ target: z.string(), perSec: z.number().nullable(), source: z.enum(['default', 'setting']) }),
  },
  /** Items delivered per minute over the last hour (60 buckets, oldest first). */
  'sync.throughput': {
    params: z.object({}).strict(),
    result: z.array(z.object({ minute: z.string(), sent: z.number().int(), failed: z.number().int() })),
  },
} as const;

export const syncEvents = {
  'sync.progress': SyncProgressSchema,
} as const;
