import { z } from 'zod';
import { SIM_CREDENTIALS } from '../credentials';
import { parseIsoDateTime } from '../framework/time';

/** The giftee part of a seed file (our assumed protocol, see docs/giftee-protocol.md). */

const dateTime = z
  .string()
  .refine((s) => parseIsoDateTime(s) !== null, 'must be an ISO 8601 date-time with offset, e.g. 2030-12-31T23:59:59+09:00');

export const GifteeTicketSeedSchema = z.strictObject({
  code: z.string().regex(/^\d{24}$/, 'code must be exactly 24 digits (7-digit prefix + 17 digits)'),
  /** "used" tickets were used outside this API (they carry no consumption); "expired" are expired whatever expiresAt says. */
  status: z.enum(['unused', 'used', 'expired']).default('unused'),
  expiresAt: dateTime,
});

export const GifteeSeedSchema = z
  .strictObject({
    accessToken: z.string().min(1).default(SIM_CREDENTIALS.giftee.accessToken),
    cancelWindowMinutes: z.number().int().min(0).max(7 * 24 * 60).default(30),
    tickets: z.array(GifteeTicketSeedSchema).default([]),
  })
  .superRefine((seed, ctx) => {
    const seen = new Set<string>();
    seed.tickets.forEach((t, i) => {
      if (seen.has(t.code)) ctx.addIssue({ code: 'custom', path: ['tickets', i, 'code'], message: `duplicate code ${t.code}` });
      seen.add(t.code);
    });
  });

export type GifteeSeedInput = z.input<typeof GifteeSeedSchema>;
export type GifteeSeed = z.output<typeof GifteeSeedSchema>;
