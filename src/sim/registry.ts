import { z } from 'zod';
import type { SimServer } from './framework/server';
import { GifteeSeedSchema, startGifteeSim } from './giftee';
import { SmaregiSeedSchema, startSmaregiSim } from './smaregi';

/**
 * Every simulated system, keyed by the name used in seed files, in `startSimulators().urls` and by
 * `sim start`. To add a system: create `src/sim/<name>/` exporting a seed schema (every field
 * defaulted, so `{}` is a valid seed) and a `start(seed, { port })`, then add one entry here.
 */
export const SIM_SYSTEMS = {
  smaregi: { seedSchema: SmaregiSeedSchema, start: startSmaregiSim },
  giftee: { seedSchema: GifteeSeedSchema, start: startGifteeSim },
} as const;

export type SimSystemName = keyof typeof SIM_SYSTEMS;
export const SIM_SYSTEM_NAMES = Object.keys(SIM_SYSTEMS) as SimSystemName[];

type Systems = typeof SIM_SYSTEMS;
/** A seed as written in a file: each system optional, each in its own (input) shape. */
export type SeedObject = { [K in SimSystemName]?: z.input<Systems[K]['seedSchema']> };
/** A validated seed: defaults filled in. */
export type Seed = { [K in SimSystemName]?: z.output<Systems[K]['seedSchema']> };

/** The running server of each system, typed with its own state. */
export type SimServers = { [K in SimSystemName]: Awaited<ReturnType<Systems[K]['start']>> };

export const SeedSchema = z.strictObject(
  Object.fromEntries(SIM_SYSTEM_NAMES.map((n) => [n, SIM_SYSTEMS[n].seedSchema.optional()])) as {
    [K in SimSystemName]: z.ZodOptional<Systems[K]['seedSchema']>;
  },
) as unknown as z.ZodType<Seed, SeedObject>;

/** Starts one system from its (already validated) part of the seed. */
export function startSystem(name: SimSystemName, seed: unknown, port?: number): Promise<SimServer<unknown>> {
  const system = SIM_SYSTEMS[name] as unknown as {
    start: (seed: unknown, opts: { port?: number }) => Promise<SimServer<unknown>>;
  };
  return system.start(seed ?? {}, { port });
}
