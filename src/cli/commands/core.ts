import { z } from 'zod';
import { requestJson } from '../../core/http';
import { SIM_CREDENTIALS } from '../../sim/credentials';
import { CliError, flagString, type CliCommand } from '../types';

/** The systems `connect-sim` knows how to point the settings at. */
const UrlsSchema = z
  .object({
    smaregi: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    giftee: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  })
  .strict();

/** Reads the contract id, client id and first store from a Smaregi simulator, when it says. */
async function smaregiSimFacts(url: string): Promise<{ contractId?: string; clientId?: string; storeIds: string[] }> {
  try {
    const res = await requestJson<{ contractId?: string; clientId?: string; stores?: Array<{ storeId?: string }> }>({ url: `${url.replace(/\/$/, '')}/__sim/state`, timeoutMs: 3000 });
    const b = res.body ?? {};
    return { contractId: b.contractId, clientId: b.clientId, storeIds: (b.stores ?? []).map((s) => String(s.storeId ?? '')).filter(Boolean) };
  } catch {
    return { storeIds: [] };
  }
}

export const coreCommands: CliCommand[] = [
  {
    name: 'status',
    usage: 'status — engine health, online state, schema version',
    engine: true,
    flags: [],
    maxPositionals: 0,
    async run(_args, engine) {
      await engine!.settle();
      const status = await engine!.call('status.get', {});
      const catalog = await engine!.call('catalog.status', {});
      return { health: 'ok', ...status, catalog };
    },
  },
  {
    name: 'sim',
    usage: 'sim start [--seed FILE] — start every simulator, print {"system": baseUrl}, run until SIGTERM',
    engine: false,
    longRunning: true,
    flags: ['seed'],
    maxPositionals: 1,
    async run(args) {
      if (args.positionals[0] !== 'start') throw new CliError('usage', 'Usage: sim start [--seed FILE]');
      const seedFile = flagString(args, 'seed');
      const { startSimulators, SeedError } = await import('../../sim/index');
      const sims = await startSimulators(seedFile ? { seedFile } : {}).catch((err: unknown) => {
        if (err instanceof SeedError) throw new CliError('bad_seed', err.message);
        throw err;
      });
      process.stdout.write(JSON.stringify(sims.urls) + '\n');
      const stop = async () => {
        await sims.close();
        process.exit(0);
      };
      process.on('SIGTERM', () => void stop());
      process.on('SIGINT', () => void stop());
      // Started through npm (whose shell does not pass SIGTERM on): stop when the parent goes away.
      const parent = process.ppid;
      setInterval(() => {
        if (process.ppid !== parent) void stop();
      }, 1000).unref();
      return undefined;
    },
  },
  {
    name: 'connect-sim',
    usage: 'connect-sim --urls \'{"smaregi":"http://127.0.0.1:P","giftee":"http://127.0.0.1:Q"}\' — point settings at running simulators with their test credentials',
    engine: true,
    flags: ['urls'],
    maxPositionals: 0,
    async run(args, engine) {
      const raw = flagString(args, 'urls');
      if (!raw) throw new CliError('usage', 'connect-sim needs --urls JSON (the line printed by `sim start`)');
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        throw new CliError('usage', '--urls must be JSON, e.g. the line `sim start` printed: {"smaregi":"http://127.0.0.1:P","giftee":"http://127.0.0.1:Q"}');
      }
      const parsed = UrlsSchema.safeParse(json);
      if (!parsed.success) {
        throw new CliError('usage', `--urls: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`);
      }
      const urls = parsed.data as Record<string, string>;
      const patch: Parameters<NonNullable<typeof engine>['call']>[1] & object = {};
      const current = (await engine!.call('settings.get', {})).settings;
      const out: Record<string, unknown> = {};
      if (urls.smaregi) {
        const facts = await smaregiSimFacts(urls.smaregi);
        const storeId = facts.storeIds.includes(current.smaregi.storeId) ? current.smaregi.storeId : (facts.storeIds[0] ?? '1');
        Object.assign(patch, {
          smaregi: {
            idBaseUrl: urls.smaregi,
            apiBaseUrl: urls.smaregi,
            contractId: facts.contractId ?? SIM_CREDENTIALS.smaregi.contractId,
            clientId: facts.clientId ?? SIM_CREDENTIALS.smaregi.clientId,
            storeId,
            terminalId: current.smaregi.terminalId || '1',
            credentialSource: 'simulator',
          },
        });
      }
      if (urls.giftee) Object.assign(patch, { giftee: { baseUrl: urls.giftee, credentialSource: 'simulator' } });
      if (Object.keys(patch).length === 0) throw new CliError('usage', '--urls names no system this version connects to (smaregi, giftee)');
      const view = await engine!.call('settings.update', patch as never);
      for (const system of ['smaregi', 'giftee'] as const) {
        if (urls[system]) out[system] = await engine!.call('settings.testConnection', { system });
      }
      // The catalog now comes from the newly connected Smaregi (its cache belongs to the old one).
      const catalog = urls.smaregi ? await engine!.call('catalog.refresh', {}) : await engine!.call('catalog.status', {});
      return { connected: urls, settings: { smaregi: view.settings.smaregi, giftee: view.settings.giftee }, tests: out, catalog };
    },
  },
  {
    name: 'catalog',
    usage: 'catalog [refresh] — the cached Smaregi coupons and products; refresh reloads them now',
    engine: true,
    flags: [],
    maxPositionals: 1,
    async run(args, engine) {
      const sub = args.positionals[0];
      if (sub !== undefined && sub !== 'refresh') throw new CliError('usage', 'Usage: catalog [refresh]');
      return sub === 'refresh' ? engine!.call('catalog.refresh', {}) : engine!.call('catalog.status', {});
    },
  },
];
