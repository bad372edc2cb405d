/**
 * Support CLI: `npm run -s cli -- <command> [--data-dir DIR]`. JSON on stdout; on failure a JSON
 * `{ "error": { "code", "message" } }` on stdout and a non-zero exit.
 */
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ContractError } from '../shared/contract/envelope';
import { createEngine, type Engine } from '../core/engine';
import { parseArgs } from './args';
import { coreCommands } from './commands/core';
import { registerCommands } from './commands/register';
import { syncCommands } from './commands/sync';
import { CliError, type CliCommand } from './types';

const COMMANDS: CliCommand[] = [...coreCommands, ...registerCommands, ...syncCommands];

function print(value: unknown) {
  process.stdout.write(JSON.stringify(value) + '\n');
}

function usage() {
  return {
    usage: 'npm run -s cli -- <command> [options] [--data-dir DIR]',
    commands: COMMANDS.map((c) => c.usage),
  };
}

const GLOBAL_FLAGS = ['data-dir', 'no-demo', 'help'];

function checkArgs(command: CliCommand, args: ReturnType<typeof parseArgs>) {
  if (command.flags) {
    const known = new Set([...GLOBAL_FLAGS, ...command.flags]);
    const unknown = Object.keys(args.flags).filter((f) => !known.has(f));
    if (unknown.length) {
      throw new CliError('usage', `Unknown option ${unknown.map((f) => `--${f}`).join(', ')} for "${command.name}". Usage: ${command.usage}`);
    }
  }
  if (command.maxPositionals !== undefined && args.positionals.length > command.maxPositionals) {
    throw new CliError('usage', `Too many arguments for "${command.name}": ${args.positionals.slice(command.maxPositionals).join(' ')}. Usage: ${command.usage}`);
  }
}

export async function runCli(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const name = args.positionals.shift();
  if (!name || name === 'help' || args.flags.help) {
    print(usage());
    return name ? 0 : 1;
  }
  const command = COMMANDS.find((c) => c.name === name);
  let engine: Engine | null = null;
  try {
    if (!command) throw new CliError('usage', `Unknown command "${name}". Try: ${COMMANDS.map((c) => c.name).join(', ')}`);
    checkArgs(command, args);
    if (command.engine) {
      const dir = args.flags['data-dir'];
      if (dir === true) throw new CliError('usage', '--data-dir needs a folder');
      const dataDir = resolve(dir ?? process.env.REGISTER_COMPANION_DATA_DIR ?? join(homedir(), '.register-companion'));
      if (statSync(dataDir, { throwIfNoEntry: false })?.isDirectory() === false) {
        throw new CliError('usage', `--data-dir must be a folder; ${dataDir} is a file`);
      }
      // One-shot: no background timers (no drainer sending while the outbox is listed, no periodic
      // refresh); commands that need the network settle or flush explicitly.
      engine = await createEngine({ dataDir, owner: 'cli', demo: args.flags['no-demo'] ? 'off' : 'auto', background: false });
    }
    const result = await command.run(args, engine);
    if (engine && command.flushOnExit) await engine.call('engine.flush', { timeoutMs: 3000 }).catch(() => undefined);
    if (result !== undefined) print(result);
    if (command.longRunning) return -1;
    return 0;
  } catch (err) {
    const code = err instanceof ContractError || err instanceof CliError ? err.code : 'internal';
    print({ error: { code, message: (err as Error)?.message ?? String(err) } });
    return code === 'usage' ? 64 : 1;
  } finally {
    if (engine && !command?.longRunning) await engine.stop();
  }
}

const invokedDirectly = process.argv[1] && /cli[\\/]index\.(ts|js|mjs)$/.test(process.argv[1]);
if (invokedDirectly) {
  void runCli(process.argv.slice(2)).then((code) => {
    if (code >= 0) process.exit(code);
  });
}
