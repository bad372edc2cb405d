/**
 * Simulators of the external APIs, as real HTTP servers on 127.0.0.1 (see docs/simulators.md).
 *
 *   const sims = await startSimulators();            // demo data, random ports
 *   sims.urls.smaregi  // http://127.0.0.1:PORT — both the ID host and the API host
 *   sims.urls.giftee
 *   await sims.close();
 */
import type { SimServer } from './framework/server';
import { SIM_SYSTEM_NAMES, startSystem, type SimServers, type SimSystemName } from './registry';
import { DEMO_SEED, loadSeed, parseSeed } from './seed';
import type { SeedObject } from './registry';

export { SIM_CREDENTIALS } from './credentials';
export { createSimServer } from './framework/server';
export type { SimServer, SimServerOptions, SimConfig } from './framework/server';
export type { FaultBody, ActiveFault } from './framework/faults';
export type { RequestLogEntry, FaultMode, SimRoute, SimRequest, SimReply, SimContext } from './framework/types';
export { SIM_SYSTEMS, SIM_SYSTEM_NAMES, SeedSchema, type Seed, type SeedObject, type SimServers, type SimSystemName } from './registry';
export { DEMO_SEED, loadSeed, parseSeed, SeedError, formatIssues } from './seed';
export { startSmaregiSim, type SmaregiState, type SmaregiSeed, type SmaregiSeedInput } from './smaregi';
export { startGifteeSim, type GifteeState, type GifteeSeed, type GifteeSeedInput } from './giftee';

export interface StartSimulatorsOptions {
  /** Seed data; wins over seedFile. Neither given = the built-in demo seed. */
  seed?: SeedObject;
  seedFile?: string;
  /** Fixed ports per system; absent or 0 = a random free port. */
  ports?: Partial<Record<SimSystemName, number>>;
}

export interface RunningSimulators {
  /** Base URL per system, e.g. `{ smaregi: "http://127.0.0.1:41234", giftee: "http://127.0.0.1:41235" }`. */
  urls: Record<SimSystemName, string>;
  servers: SimServers;
  close(): Promise<void>;
}

/**
 * Starts every registered simulator. Systems the seed leaves out start with empty data.
 * Throws SeedError for a bad seed (nothing is left running).
 */
export async function startSimulators(opts: StartSimulatorsOptions = {}): Promise<RunningSimulators> {
  const seed = opts.seed !== undefined
    ? parseSeed(opts.seed)
    : opts.seedFile !== undefined
      ? loadSeed(opts.seedFile)
      : parseSeed(DEMO_SEED, 'demo seed');
  const servers: Partial<Record<SimSystemName, SimServer<unknown>>> = {};
  try {
    for (const name of SIM_SYSTEM_NAMES) {
      servers[name] = await startSystem(name, seed[name], opts.ports?.[name]);
    }
  } catch (e) {
    await Promise.all(Object.values(servers).map((s) => s.close()));
    throw e;
  }
  const all = servers as SimServers;
  const urls = Object.fromEntries(SIM_SYSTEM_NAMES.map((n) => [n, all[n].url])) as Record<SimSystemName, string>;
  return {
    urls,
    servers: all,
    close: async () => {
      await Promise.all(SIM_SYSTEM_NAMES.map((n) => all[n].close()));
    },
  };
}
