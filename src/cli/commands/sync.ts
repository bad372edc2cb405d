import { OutboxStateSchema } from '../../shared/contract/sync';
import { CliError, flagInt, flagString, type CliCommand, type ParsedArgs } from '../types';

/** The outbox and sync commands: `outbox`, `sync now|pause|resume|progress|history|rate-limit`, `resend`. */

/** Default bound of `sync now --wait`. */
export const SYNC_NOW_TIMEOUT_MS = 60_000;

function need<T>(engine: T | null): T {
  if (!engine) throw new CliError('internal', 'this command needs the engine');
  return engine;
}

function stateFlag(args: ParsedArgs) {
  const v = flagString(args, 'state');
  if (v === undefined) return null;
  const r = OutboxStateSchema.safeParse(v === 'in-flight' ? 'in_flight' : v);
  if (!r.success) throw new CliError('usage', `--state must be pending, in_flight, failed or sent (got "${v}")`);
  return r.data;
}

export const syncCommands: CliCommand[] = [
  {
    name: 'outbox',
    usage: 'outbox [--state pending|in_flight|failed|sent] [--target NAME] [--limit N] [--offset N]',
    engine: true,
    run: (args, engine) =>
      need(engine).call('outbox.list', {
        state: stateFlag(args),
        target: flagString(args, 'target') ?? null,
        limit: flagInt(args, 'limit') ?? 100,
        offset: flagInt(args, 'offset') ?? 0,
      }),
  },
  {
    name: 'resend',
    usage: 'resend ID [ID...] | resend --all-failed [--target NAME]',
    engine: true,
    run: async (args, engine) => {
      const e = need(engine);
      if (args.flags['all-failed']) {
        if (args.positionals.length) throw new CliError('usage', 'give either IDs or --all-failed, not both');
        return e.call('outbox.resend', { allFailed: true, target: flagString(args, 'target') ?? null });
      }
      if (!args.positionals.length) throw new CliError('usage', 'resend needs an outbox ID (see `outbox --state failed`) or --all-failed');
      return e.call('outbox.resend', { ids: args.positionals });
    },
  },
  {
    name: 'sync',
    usage: 'sync now [--wait] [--timeout MS (default 60000)] | sync pause | sync resume | sync progress | sync history [--text T] [--direction sent|received] [--target NAME] [--limit N] | sync throughput | sync rate-limit TARGET [PER_SEC|default]',
    engine: true,
    run: async (args, engine) => {
      const e = need(engine);
      const [sub, ...rest] = args.positionals;
      switch (sub) {
        case 'now':
          // --wait: until nothing pending or in flight could still go out (retries included), at most
          // --timeout (a modest minute by default, so a support session is never stuck for long).
          return e.call('sync.now', { wait: args.flags.wait === true || args.flags.wait === 'true', timeoutMs: flagInt(args, 'timeout') ?? SYNC_NOW_TIMEOUT_MS });
        case 'pause':
          return e.call('sync.pause', {});
        case 'resume':
          return e.call('sync.resume', {});
        case 'progress':
          return e.call('sync.progress', {});
        case 'throughput':
          return e.call('sync.throughput', {});
        case 'history': {
          const direction = flagString(args, 'direction');
          if (direction !== undefined && direction !== 'sent' && direction !== 'received') {
            throw new CliError('usage', '--direction must be sent or received');
          }
          return e.call('sync.history', {
            text: flagString(args, 'text') ?? '',
            direction: direction ?? null,
            target: flagString(args, 'target') ?? null,
            limit: flagInt(args, 'limit') ?? 100,
            offset: flagInt(args, 'offset') ?? 0,
          });
        }
        case 'rate-limit': {
          const [target, value] = rest;
          if (!target) throw new CliError('usage', 'sync rate-limit TARGET [PER_SEC|default]');
          if (value === undefined) return e.call('sync.rateLimit', { target });
          if (value === 'default') return e.call('sync.rateLimit', { target, perSec: null });
          const n = Number(value);
          if (!Number.isFinite(n) || n <= 0) throw new CliError('usage', `PER_SEC must be a positive number (got "${value}")`);
          return e.call('sync.rateLimit', { target, perSec: n });
        }
        default:
          throw new CliError('usage', `sync ${sub ?? ''}: expected now, pause, resume, progress, history, throughput or rate-limit`.trim());
      }
    },
  },
];
