import type { CliCommand } from '../types';

// PLACEHOLDER — the redemption work adds `scan` and `redeem`.
export const registerCommands: CliCommand[] = [];
