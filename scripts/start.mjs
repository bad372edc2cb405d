#!/usr/bin/env node
// `npm start [-- --port N --data-dir DIR]`: builds what changed, then runs the Electron app where
// its binary exists, or browser mode (engine under Node, UI on 127.0.0.1) where it does not.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const forceBrowser = args.includes('--browser');
const passArgs = args.filter((a) => a !== '--browser');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function buildIfStale() {
  const stamp = join(root, 'out', '.build-stamp');
  const sources = Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'electron.vite.config.ts')).mtimeMs);
  if (existsSync(stamp) && Number(readFileSync(stamp, 'utf8')) >= sources && existsSync(join(root, 'out/main/browser.js'))) return;
  process.stderr.write('Building Register Companion…\n');
  const r = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr + '\nBuild failed.\n');
    process.exit(r.status ?? 1);
  }
  writeFileSync(stamp, String(sources));
}

/** The Electron binary, if this machine has one (it is not downloadable everywhere). */
function electronBinary() {
  try {
    const dir = join(root, 'node_modules/electron');
    const rel = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const bin = join(dir, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

buildIfStale();
const electron = forceBrowser ? null : electronBinary();
const child = electron
  ? spawn(electron, [root, ...passArgs], { stdio: 'inherit' })
  : spawn(process.execPath, [join(root, 'out/main/browser.js'), ...passArgs], { stdio: 'inherit' });
if (!electron) process.stderr.write('Electron is not available here: starting browser mode.\n');
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
// `npm start` runs us under a shell that does not pass npm's SIGTERM on: when our parent goes
// away, stop the app too rather than keep the port and the data folder.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) child.kill('SIGTERM');
}, 1000).unref();
