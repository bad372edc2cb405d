#!/usr/bin/env node
/**
 * Rebuilds native modules in node_modules for Electron's ABI, so the packaged app (not Node) can
 * load them. See docs/packaging.md.
 *
 *   npm run rebuild:electron [-- --arch x64|arm64] [--all]
 *
 * electron-builder also calls `beforeBuild` below (electron-builder.yml) before packing each
 * platform/arch, instead of its own blanket rebuild — so `npm run dist` gets the same, checked,
 * build.
 *
 * Only better-sqlite3 needs it: it is built against V8/Node internals (NODE_MODULE_VERSION), while
 * node-hid and keytar use N-API, which is ABI-stable across Node and Electron (node-hid ships
 * prebuilds for every platform; keytar's install fetched one for this machine's arch, so it is
 * refetched only when packaging for another arch). `--all` rebuilds all three anyway.
 *
 * Traps this closes:
 *  - npm exports `npm_config_nodedir` from an npmrc `nodedir=...` (this machine kind has
 *    `nodedir=/usr`). node-gyp then takes the *Node* headers from there and the "rebuild for
 *    Electron" silently produces a Node binary. We drop it from the environment.
 *  - The Electron version is read from the installed `electron` package and passed explicitly.
 *  - Afterwards the binary is checked for Electron's module version, so a wrong build cannot pass.
 *  - node-gyp deletes build/ before it even tries: on failure the previous build is put back, so
 *    a failed attempt never leaves node_modules without a loadable better-sqlite3.
 *
 * It needs Electron's headers (downloaded from electronjs.org by node-gyp) and a C++ toolchain;
 * where they cannot be had (an offline machine, the development sandbox) it fails and says so.
 * Tests run under Node: after a successful rebuild, `npm rebuild better-sqlite3` switches back.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export class RebuildError extends Error {}

function dropNodedir(log) {
  for (const key of Object.keys(process.env)) {
    if (key.toLowerCase() === 'npm_config_nodedir') {
      log(`(ignoring ${key}=${process.env[key]}: it would make node-gyp build against Node's headers)`);
      delete process.env[key];
    }
  }
}

function installedElectron(require) {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    return {
      version: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version,
      abi: readFileSync(join(dir, 'abi_version'), 'utf8').trim(),
    };
  } catch {
    throw new RebuildError('The electron package is not installed (npm install).');
  }
}

/** The NODE_MODULE_VERSION a non-N-API addon was built for (it exports node_register_module_v<N>). */
export function builtAbi(nodeFile) {
  return /node_register_module_v(\d+)/.exec(readFileSync(nodeFile).toString('latin1'))?.[1] ?? null;
}

/**
 * Rebuilds for Electron; throws RebuildError with an explanation on failure (after restoring the
 * previous build). `electronVersion` defaults to the installed electron package's.
 */
export async function rebuildForElectron({ root = ROOT, electronVersion, arch = process.arch, all = false, log = console.log } = {}) {
  dropNodedir(log);
  const require = createRequire(join(root, 'package.json'));
  const installed = installedElectron(require);
  const version = electronVersion ?? installed.version;
  if (version !== installed.version) {
    throw new RebuildError(`Packaging for Electron ${version}, but node_modules has electron ${installed.version}: its ABI is the one checked. Align them.`);
  }

  let rebuild;
  try {
    ({ rebuild } = await import('@electron/rebuild'));
  } catch {
    throw new RebuildError('@electron/rebuild is not installed (it comes with electron-builder; or: npm i -D @electron/rebuild@4.2.1).');
  }

  const modules = all ? ['better-sqlite3', 'keytar', 'node-hid'] : arch === process.arch ? ['better-sqlite3'] : ['better-sqlite3', 'keytar'];
  const backupRoot = mkdtempSync(join(tmpdir(), 'rc-rebuild-'));
  const backups = [];
  for (const name of modules) {
    let dir;
    try {
      dir = dirname(require.resolve(`${name}/package.json`));
    } catch {
      continue;
    }
    const build = join(dir, 'build');
    if (existsSync(build)) {
      cpSync(build, join(backupRoot, name), { recursive: true });
      backups.push({ build, copy: join(backupRoot, name) });
    } else {
      backups.push({ build, copy: null });
    }
  }
  const restore = () => {
    for (const { build, copy } of backups) {
      rmSync(build, { recursive: true, force: true });
      if (copy) cpSync(copy, build, { recursive: true });
    }
    log(`(restored the previous build of ${modules.join(', ')})`);
  };

  try {
    log(`Rebuilding ${modules.join(', ')} for Electron ${version} (NODE_MODULE_VERSION ${installed.abi}), ${process.platform}-${arch}`);
    try {
      await rebuild({ buildPath: root, electronVersion: version, arch, force: true, onlyModules: modules, mode: 'sequential' });
    } catch (err) {
      restore();
      throw new RebuildError(
        [
          String(err?.message ?? err).split('\n').slice(0, 6).join('\n'),
          '',
          'The rebuild downloads Electron headers from https://electronjs.org/headers and compiles with',
          'node-gyp (Python 3 + a C++ toolchain: Xcode CLT on macOS, VS Build Tools on Windows).',
          'It cannot run on a machine without that download (such as the development sandbox):',
          'run it on a packaging machine or in CI instead — see docs/packaging.md.',
        ].join('\n'),
      );
    }
    const binary = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
    const built = existsSync(binary) ? builtAbi(binary) : null;
    if (built !== installed.abi) {
      restore();
      throw new RebuildError(
        `${binary} is built for NODE_MODULE_VERSION ${built ?? '(missing)'}, not Electron's ${installed.abi}.\n` +
          'Is npm_config_nodedir (or nodedir in an npmrc) still pointing node-gyp at Node headers?',
      );
    }
    log(`OK: better-sqlite3 is built for Electron (NODE_MODULE_VERSION ${built}).`);
  } finally {
    rmSync(backupRoot, { recursive: true, force: true });
  }
}

/**
 * electron-builder hook (electron-builder.yml `beforeBuild`): our checked rebuild instead of its
 * own, which would also try to compile node-hid from source. Returning false tells it
 * node_modules is ready.
 */
export async function beforeBuild(context) {
  const platform = context.platform?.nodeName ?? process.platform;
  if (platform !== process.platform) {
    throw new RebuildError(`Cannot build native modules for ${platform} on ${process.platform}: package on the target OS.`);
  }
  await rebuildForElectron({ root: context.appDir, electronVersion: context.electronVersion, arch: context.arch });
  return false;
}

async function main() {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--arch');
  try {
    await rebuildForElectron({ arch: i >= 0 ? argv[i + 1] : process.arch, all: argv.includes('--all') });
    console.log('Note: Node can no longer load better-sqlite3; run `npm rebuild better-sqlite3` before `npm test`.');
  } catch (err) {
    console.error(['', 'rebuild:electron FAILED', ...String(err?.message ?? err).split('\n').map((l) => `  ${l}`), ''].join('\n'));
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
