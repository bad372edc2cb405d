import { z } from 'zod';

/** Reachability of one external system, as judged by the connectivity monitor (with hysteresis). */
export const ConnStateSchema = z.enum(['unknown', 'online', 'offline']);
export type ConnState = z.infer<typeof ConnStateSchema>;

export const SystemIdSchema = z.enum(['smaregi', 'giftee', 'nextengine', 'makeshop', 'linegift', 'ebisumart']);
export type SystemId = z.infer<typeof SystemIdSchema>;

export const EngineStatusSchema = z.object({
  appVersion: z.string(),
  schemaVersion: z.number().int(),
  dataDir: z.string(),
  /** Demo mode: no Smaregi connection configured, built-in simulators with demo data are in use. */
  demo: z.boolean(),
  /** In demo mode: base URL of each built-in simulator (for support staff and tests). */
  demoSims: z.record(z.string(), z.string()).nullable().default(null),
  startedAt: z.string(),
  connectivity: z.record(z.string(), ConnStateSchema),
  /** giftee reachable: redemption allowed. */
  redemptionOnline: z.boolean(),
  sync: z.object({
    paused: z.boolean(),
    draining: z.boolean(),
    pending: z.number().int(),
    failed: z.number().int(),
  }),
  /** Set when the data folder is full or read-only: no new changes are accepted until it clears. */
  intakeStopped: z.object({ code: z.string(), message: z.string() }).nullable(),
  scanner: z.object({
    state: z.enum(['none', 'connected', 'disconnected', 'error']),
    device: z.string().nullable(),
    message: z.string().nullable(),
  }),
});
export type EngineStatus = z.infer<typeof EngineStatusSchema>;

export const statusMethods = {
  'status.get': { params: z.object({}).strict(), result: EngineStatusSchema },
  /** Asked by the shell before quitting: one last delivery attempt, bounded in time. */
  'engine.flush': {
    params: z.object({ timeoutMs: z.number().int().min(0).max(60_000).default(5_000) }).strict(),
    result: z.object({ delivered: z.number().int(), pending: z.number().int() }),
  },
} as const;

export const statusEvents = {
  status: EngineStatusSchema,
} as const;
