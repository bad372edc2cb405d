#!/usr/bin/env node
// `npm test`: typecheck, build, unit + integration tests, browser tests in Chromium. Ends with the
// plain line `N passed, N failed` and a non-zero exit on any failure. Keychain tests need a Secret
// Service: when there is no D-Bus session this re-runs itself inside a throwaway one with an
// unlocked gnome-keyring whose files live in a temporary folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

if (!process.env.DBUS_SESSION_BUS_ADDRESS && !process.env.RC_TEST_SESSION && which('dbus-run-session') && which('gnome-keyring-daemon')) {
  const home = mkdtempSync(join(tmpdir(), 'rc-keyring-'));
  const inner = `echo -n rc-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "${process.execPath}" "${fileURLToPath(import.meta.url)}"`;
  const r = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner], {
    stdio: 'inherit',
    env: { ...process.env, RC_TEST_SESSION: '1', XDG_DATA_HOME: home, XDG_RUNTIME_DIR: home },
  });
  rmSync(home, { recursive: true, force: true });
  process.exit(r.status ?? 1);
}

let passed = 0;
let failed = 0;
const bin = (name) => join(root, 'node_modules/.bin', name);

function step(name, cmd, args) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  return r.status === 0;
}

function vitest(name, extra) {
  const out = join(mkdtempSync(join(tmpdir(), 'rc-vitest-')), 'report.json');
  const ok = step(name, bin('vitest'), ['run', ...extra, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  if (!existsSync(out)) {
    failed += 1; // the runner itself failed before reporting
    return;
  }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  passed += report.numPassedTests ?? 0;
  let f = report.numFailedTests ?? 0;
  // A file that failed without a failing test (an import or hook error) counts once.
  for (const file of report.testResults ?? []) {
    if (file.status === 'failed' && !(file.assertionResults ?? []).some((a) => a.status === 'failed')) f += 1;
  }
  if (!ok && f === 0) f = 1;
  failed += f;
}

if (step('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'])) passed += 1;
else failed += 1;
const built = step('build', bin('electron-vite'), ['build']);
if (built) passed += 1;
else failed += 1;
vitest('unit and integration tests', []);
if (built) vitest('browser tests (Chromium)', ['--config', 'vitest.e2e.config.mts']);

process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
