import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHex } from '../../src/core/scan/report-bytes';

export interface HidFixture {
  file: string;
  format: 'hid-pos' | 'boot-keyboard';
  layout?: 'us' | 'jis';
  source: string;
  description: string;
  reports: Uint8Array[];
  expected: { scans: string[]; aim?: Array<string | null>; typed?: string; typedUs?: string };
}

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'hid');

/** Every recorded report sequence under test/fixtures/hid (hex text, one string per report). */
export function loadHidFixtures(): HidFixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const raw = JSON.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8')) as Omit<HidFixture, 'file' | 'reports'> & { reports: string[] };
      const reports = raw.reports.map((h, i) => {
        const bytes = parseHex(h);
        if (!bytes) throw new Error(`${file}: report ${i} is not hex`);
        return bytes;
      });
      return { ...raw, file, reports };
    });
}

export function fixture(file: string): HidFixture {
  const f = loadHidFixtures().find((x) => x.file === file);
  if (!f) throw new Error(`no fixture ${file}`);
  return f;
}
