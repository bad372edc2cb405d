import { z } from 'zod';

/*
 * giftee's store-side wire format as we assume it (docs/giftee-protocol.md). Only this folder knows
 * it: paths, headers, JSON shapes and error codes. When giftee hands over the real specification,
 * this file and ./index.ts are what change.
 */

export const GIFTEE_PATHS = {
  health: '/v1/health',
  ticket: (code: string) => `/v1/tickets/${encodeURIComponent(code)}`,
  verify: (code: string) => `/v1/tickets/${encodeURIComponent(code)}/verify`,
  consume: (code: string) => `/v1/tickets/${encodeURIComponent(code)}/consume`,
  cancel: (consumptionId: string) => `/v1/consumptions/${encodeURIComponent(consumptionId)}/cancel`,
} as const;

const nullableString = z.string().nullable().optional().transform((v) => v ?? null);

export const ConsumptionWireSchema = z.object({
  consumptionId: z.string().min(1),
  code: z.string(),
  idempotencyKey: nullableString,
  consumedAt: z.string(),
  amount: z.number().int().nullable().optional(),
  cancellable: z.boolean().optional().default(false),
  cancellableUntil: nullableString,
  cancelledAt: nullableString,
});

export const TicketWireSchema = z.object({
  code: z.string(),
  status: z.enum(['unused', 'used', 'expired']),
  expiresAt: nullableString,
  consumption: ConsumptionWireSchema.nullable().optional().transform((v) => v ?? null),
});

export const TicketAnswerSchema = z.object({ ticket: TicketWireSchema });
export const VerifyAnswerSchema = z.object({
  redeemable: z.boolean(),
  reason: z.string().nullable().optional(),
  ticket: TicketWireSchema,
});
export const ConsumptionAnswerSchema = z.object({ consumption: ConsumptionWireSchema, ticket: TicketWireSchema.optional() });
export const HealthAnswerSchema = z.object({ status: z.string() });
export const ErrorAnswerSchema = z.object({ error: z.object({ code: z.string(), message: z.string().optional().default('') }) });

export type TicketWire = z.output<typeof TicketWireSchema>;
export type ConsumptionWire = z.output<typeof ConsumptionWireSchema>;
