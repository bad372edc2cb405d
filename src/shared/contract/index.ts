import { z } from 'zod';
import { registerEvents, registerMethods } from './register';
import { settingsEvents, settingsMethods } from './settings';
import { statusEvents, statusMethods } from './status';
import { syncEvents, syncMethods } from './sync';

export * from './envelope';
export * from './register';
export * from './settings';
export * from './status';
export * from './sync';

/**
 * The one contract between renderer, shell and engine. Each concern declares its methods
 * (params + result schemas) and events in its own file; this merges them.
 */
export const methods = {
  ...statusMethods,
  ...settingsMethods,
  ...registerMethods,
  ...syncMethods,
} as const;

export const events = {
  ...statusEvents,
  ...settingsEvents,
  ...registerEvents,
  ...syncEvents,
  /**
   * Sent by the host (not the engine) while the engine starts or restarts; `fatal` means it cannot
   * start at all (a newer database, a data folder in use) and will not be retried: `error` says why.
   */
  'engine.connection': z.object({
    state: z.enum(['connecting', 'ready', 'reconnecting', 'fatal']),
    attempt: z.number().int(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  }),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ParamsIn<M extends MethodName> = z.input<Methods[M]['params']>;
export type Params<M extends MethodName> = z.output<Methods[M]['params']>;
export type Result<M extends MethodName> = z.output<Methods[M]['result']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventData<E extends EventName> = z.output<Events[E]>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}

/** What the renderer gets, through the preload (Electron) or the WebSocket (browser mode). */
export interface RendererApi {
  call<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<Result<M>>;
  on<E extends EventName>(event: E, listener: (data: EventData<E>) => void): () => void;
}

/** Failure of a call, as the renderer sees it. */
export class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CallError';
  }
}
