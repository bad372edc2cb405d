import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine, type EngineOptions } from '../../src/core/engine';
import { createMemorySecretStore } from '../../src/core/secrets';

/** An engine on a fresh temporary data folder (demo off, in-memory secrets unless given). */
export async function tempEngine(opts: Partial<EngineOptions> = {}): Promise<{ engine: Engine; dir: string; cleanup(): Promise<void> }> {
  const dir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'rc-test-'));
  const engine = await createEngine({ demo: 'off', secrets: createMemorySecretStore(), ...opts, dataDir: dir });
  return {
    engine,
    dir,
    async cleanup() {
      await engine.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
