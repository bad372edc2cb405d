import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/core/engine';
import { LOCK_FILE } from '../../src/core/lock';
import { createMemorySecretStore } from '../../src/core/secrets';
import { tempEngine } from '../helpers/engine';

describe('one engine per data folder', () => {
  it('refuses a second engine on the same folder, clearly, until the first stops', async () => {
    const { engine, dir, cleanup } = await tempEngine({ background: false, owner: 'app' });
    await expect(createEngine({ dataDir: dir, demo: 'off', secrets: createMemorySecretStore(), owner: 'cli' })).rejects.toMatchObject({
      code: 'data_dir_in_use',
      message: expect.stringMatching(/in use by a running Register Companion \(app, pid \d+\)/),
    });
    await engine.stop();
    const second = await createEngine({ dataDir: dir, demo: 'off', secrets: createMemorySecretStore(), background: false });
    await second.stop();
    await cleanup();
  });

  it('takes over a lock left by a process that died', async () => {
    const { engine, dir, cleanup } = await tempEngine({ background: false });
    await engine.stop();
    // A pid that cannot be alive (beyond pid_max) stands for a crashed owner.
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 4_194_999, owner: 'app' }));
    const again = await createEngine({ dataDir: dir, demo: 'off', secrets: createMemorySecretStore(), background: false });
    await again.stop();
    await cleanup();
  });
});
