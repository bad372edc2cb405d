import { z } from 'zod';

/**
 * The wire envelope between a host (Electron shell, browser-mode host, CLI) and the engine.
 * Every message crossing a process or socket boundary is parsed with these schemas first.
 */

export const ErrorCodeSchema = z.enum([
  'bad_message', // envelope did not parse
  'unknown_method',
  'invalid_params',
  'engine_unavailable', // engine is restarting; the host answers for it
  'data_dir_in_use',
  'schema_too_new',
  'secret_store_unavailable',
  'storage_full', // SQLITE_FULL or read-only data folder: intake stopped
  'not_found',
  'conflict',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorBodySchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export const RequestEnvelopeSchema = z.object({
  kind: z.literal('request'),
  id: z.string().min(1).max(100),
  method: z.string().min(1).max(100),
  params: z.unknown(),
});
export type RequestEnvelope = z.infer<typeof RequestEnvelopeSchema>;

export const ReplyEnvelopeSchema = z.discriminatedUnion('ok', [
  z.object({ kind: z.literal('reply'), id: z.string(), ok: z.literal(true), result: z.unknown() }),
  z.object({ kind: z.literal('reply'), id: z.string(), ok: z.literal(false), error: ErrorBodySchema }),
]);
export type ReplyEnvelope = z.infer<typeof ReplyEnvelopeSchema>;

export const EventEnvelopeSchema = z.object({
  kind: z.literal('event'),
  event: z.string(),
  data: z.unknown(),
});
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;

export const EngineMessageSchema = z.union([ReplyEnvelopeSchema, EventEnvelopeSchema]);
export type EngineMessage = z.infer<typeof EngineMessageSchema>;

/** Raised by handlers to send a typed error reply instead of `internal`. */
export class ContractError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}
