import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import DEMO from './demo-seed.json' with { type: 'json' };
import { SeedSchema, SIM_SYSTEM_NAMES, type Seed, type SeedObject } from './registry';

/** A seed that failed to load; `issues` are "path: problem" lines, e.g. `smaregi.products[2].price: ...`. */
export class SeedError extends Error {
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
    this.name = 'SeedError';
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out || '(root)';
}

export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const where = formatPath(i.path);
    if (i.code === 'unrecognized_keys') {
      const keys = i.keys.map((k) => `"${k}"`).join(', ');
      if (i.path.length === 0) return `unknown system(s) ${keys}; known systems: ${SIM_SYSTEM_NAMES.join(', ')}`;
      return `${where}: unknown field(s) ${keys}`;
    }
    return `${where}: ${i.message}`;
  });
}

/** Validates a seed object (from a file or code); throws SeedError naming every bad path. */
export function parseSeed(input: unknown, source = 'seed'): Seed {
  const r = SeedSchema.safeParse(input);
  if (r.success) return r.data;
  const issues = formatIssues(r.error);
  throw new SeedError(`${source} is invalid:\n${issues.map((i) => `  - ${i}`).join('\n')}`, issues);
}

/** Reads a JSON seed file and validates it. A seed may describe only some systems. */
export function loadSeed(file: string): Seed {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SeedError(`cannot read seed file ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new SeedError(`seed file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseSeed(json, `seed file ${path}`);
}

/** The built-in demo data (two stores, a dozen products, giftee coupons and tickets). */
export const DEMO_SEED: SeedObject = DEMO as SeedObject;
