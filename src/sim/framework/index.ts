export { createSimServer, formatZodError, MAX_HOLD_MS } from './server';
export type { SimServer, SimServerOptions, SimConfig } from './server';
export { FaultBodySchema } from './faults';
export type { FaultBody, ActiveFault } from './faults';
export * from './types';
export { formatJst, jstDate, parseIsoDate, parseIsoDateTime } from './time';
