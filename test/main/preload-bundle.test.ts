/**
 * The window runs with `sandbox: true`, where a preload can require() only 'electron' (and a few
 * built-ins): anything else throws and the page gets no `registerCompanion` at all. So the preload,
 * built with the project's own electron-vite config (into a temp folder), must be one file that
 * requires nothing else — zod and the contract bundled in.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from 'electron-vite';
import { build, type InlineConfig } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let out = '';
let code = '';

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'rc-preload-'));
  const resolved = await resolveConfig({}, 'build');
  const preload = resolved.config?.preload as InlineConfig;
  await build({ ...preload, configFile: false, logLevel: 'silent', build: { ...preload.build, outDir: out, emptyOutDir: true } });
  code = readFileSync(join(out, 'index.cjs'), 'utf8');
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('preload bundle', () => {
  it('is a single CommonJS file that requires only electron', () => {
    expect(readdirSync(out)).toEqual(['index.cjs']);
    const required = [...code.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect([...new Set(required)]).toEqual(['electron']);
    expect(code).not.toMatch(/^\s*import\s/m);
  });

  it('exposes registerCompanion with invoke and subscribe, and never ipcRenderer itself', () => {
    expect(code).toContain('exposeInMainWorld("registerCompanion"');
    expect(code).toContain('"rc:invoke"');
    expect(code).toContain('"rc:event"');
    expect(code).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
  });
});
