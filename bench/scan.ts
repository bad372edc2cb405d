/**
 * Scanner decoding throughput: the recorded HID POS and boot-keyboard reports (test/fixtures/hid)
 * replayed through the decoders the engine uses, many times over. Metric: reports decoded per second.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBootKeyboardDecoder } from '../src/core/scan/boot-keyboard';
import { createHidPosAssembler } from '../src/core/scan/hid-pos';
import { parseHex } from '../src/core/scan/report-bytes';

const FIXTURES = join(import.meta.dirname, '..', 'test', 'fixtures', 'hid');

interface Recorded {
  format: 'hid-pos' | 'boot-keyboard';
  layout?: 'us' | 'jis';
  reports: Uint8Array[];
}

function load(): Recorded[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const j = JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as { format: Recorded['format']; layout?: Recorded['layout']; reports: string[] };
      return { format: j.format, layout: j.layout, reports: j.reports.map((h) => Buffer.from(parseHex(h)!)) };
    });
}

/** Decodes every recorded sequence `rounds` times; returns [reports, scans + characters seen]. */
function pass(recorded: Recorded[], rounds: number): [number, number] {
  const pos = createHidPosAssembler();
  const us = createBootKeyboardDecoder('us');
  const jis = createBootKeyboardDecoder('jis');
  let reports = 0;
  let out = 0;
  for (let i = 0; i < rounds; i++) {
    for (const r of recorded) {
      if (r.format === 'hid-pos') {
        for (const rep of r.reports) if (pos.push(rep).kind === 'scan') out++;
        if (pos.flush().kind === 'scan') out++;
      } else {
        const d = r.layout === 'jis' ? jis : us;
        for (const rep of r.reports) {
          const res = d.push(rep);
          if (res.ok) out += res.value.length;
        }
      }
      reports += r.reports.length;
    }
  }
  return [reports, out];
}

export async function run(): Promise<Record<string, number>> {
  const recorded = load();
  pass(recorded, 200); // warm-up (JIT)
  const rates: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    const [reports, out] = pass(recorded, 2000);
    const s = (performance.now() - t0) / 1000;
    if (out === 0) throw new Error('nothing decoded');
    rates.push(reports / s);
  }
  rates.sort((a, b) => a - b);
  return { hid_reports_decoded_per_s: Math.round(rates[Math.floor(rates.length / 2)]) };
}
