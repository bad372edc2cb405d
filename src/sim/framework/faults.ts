import { z } from 'zod';
import type { FaultMode } from './types';

/**
 * Fault injection: a queue of faults applied, in order, to the next non-/__sim requests.
 *
 * - `offline`  not applied; the connection is closed with no answer.
 * - `429`      not applied; 429 with `Retry-After: retryAfter` (default 1 s).
 * - `500`      not applied; 500 in the system's error style.
 * - `timeout`  applied (unless `applied: false`), the answer is withheld until the client gives up
 *              (then the socket is destroyed), at most 120 s.
 * - `reset`    applied (unless `applied: false`), then the TCP connection is reset (RST).
 * - `badjson`  applied (unless `applied: false`), then 200 with a body that is not valid JSON.
 *
 * `count: N` covers the next N requests; without `count` the fault stays until cleared, so faults
 * queued behind it are only reached after `DELETE /__sim/faults`.
 */
export const FaultBodySchema = z
  .strictObject({
    mode: z.enum(['offline', '429', '500', 'timeout', 'reset', 'badjson'], {
      error: 'mode must be one of "offline", "429", "500", "timeout", "reset", "badjson"',
    }),
    count: z.number().int().positive({ error: 'count must be a positive integer' }).optional(),
    retryAfter: z.number().int().min(0).max(3600, { error: 'retryAfter must be 0–3600 seconds' }).optional(),
    applied: z.boolean().optional(),
  })
  .superRefine((f, ctx) => {
    if (f.applied === true && (f.mode === 'offline' || f.mode === '429' || f.mode === '500')) {
      ctx.addIssue({ code: 'custom', path: ['applied'], message: `mode "${f.mode}" never applies the request` });
    }
    if (f.retryAfter !== undefined && f.mode !== '429') {
      ctx.addIssue({ code: 'custom', path: ['retryAfter'], message: 'retryAfter is only meaningful for mode "429"' });
    }
  });
export type FaultBody = z.infer<typeof FaultBodySchema>;

export interface ActiveFault {
  mode: FaultMode;
  /** null = until cleared. */
  remaining: number | null;
  retryAfter: number;
  applied: boolean;
}

/** One fault taken from the queue for one request. */
export interface TakenFault {
  mode: FaultMode;
  retryAfter: number;
  applied: boolean;
}

export class FaultQueue {
  private queue: ActiveFault[] = [];

  push(f: FaultBody): void {
    const appliedByDefault = f.mode === 'timeout' || f.mode === 'reset' || f.mode === 'badjson';
    this.queue.push({
      mode: f.mode,
      remaining: f.count ?? null,
      retryAfter: f.retryAfter ?? 1,
      applied: f.applied ?? appliedByDefault,
    });
  }

  clear(): void {
    this.queue = [];
  }

  list(): ActiveFault[] {
    return this.queue.map((f) => ({ ...f }));
  }

  /** Takes the fault for the next request, or null when none is queued. */
  take(): TakenFault | null {
    const head = this.queue[0];
    if (!head) return null;
    if (head.remaining !== null) {
      head.remaining -= 1;
      if (head.remaining <= 0) this.queue.shift();
    }
    return { mode: head.mode, retryAfter: head.retryAfter, applied: head.applied };
  }
}
