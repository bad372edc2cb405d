import type { CliCommand } from '../types';

// PLACEHOLDER — the outbox work adds `outbox`, `sync now`, `resend`.
export const syncCommands: CliCommand[] = [];
