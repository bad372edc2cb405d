import type { Engine } from '../core/engine';

export interface ParsedArgs {
  /** Words after the command name, e.g. ["now"] for `sync now`. */
  positionals: string[];
  /** `--flag value` → "value"; a bare `--flag` → true. */
  flags: Record<string, string | true>;
}

/** One CLI command. Output is the JSON value it returns; failures throw (ContractError or CliError). */
export interface CliCommand {
  name: string;
  usage: string;
  /** Whether it runs an engine in-process on --data-dir (most do; `sim start` does not). */
  engine: boolean;
  /** Runs until the process is told to stop (e.g. `sim start`): the CLI does not exit after it. */
  longRunning?: boolean;
  /** Queues outgoing changes (e.g. a sale): give the outbox one bounded delivery attempt before exiting. */
  flushOnExit?: boolean;
  /**
   * The flags it understands (besides --data-dir, --no-demo, --help). A mistyped flag (`--amout`)
   * must fail loudly, never be ignored: a redeem against the wrong basket costs money.
   */
  flags?: readonly string[];
  /** How many words it takes after its name, at most (e.g. 1 for `scan RAW`). */
  maxPositionals?: number;
  run(args: ParsedArgs, engine: Engine | null): Promise<unknown>;
}

export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  if (v === true) throw new CliError('usage', `--${name} needs a value`);
  return v;
}

export function flagInt(args: ParsedArgs, name: string): number | undefined {
  const v = flagString(args, name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new CliError('usage', `--${name} must be a whole number, got "${v}"`);
  return Number(v);
}
