import { afterEach, describe, expect, it } from 'vitest';
import type { Channel, OutboxDelivery } from '../../src/core/channels/types';
import type { SimServer } from '../../src/sim/framework/server';
import type { SmaregiState } from '../../src/sim/smaregi';
import { outboxRig, sale, startSmaregi, stockAdd, type Rig } from './fixtures';

let sim: SimServer<SmaregiState> | null = null;
let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  await sim?.close();
  rig = null;
  sim = null;
});

/** A second target behind the same Channel interface, recording what it receives. */
function recordingChannel(): Channel & { got: OutboxDelivery[] } {
  const got: OutboxDelivery[] = [];
  return {
    id: 'nextengine',
    got,
    configured: () => true,
    probe: async () => ({ ok: true, latencyMs: 0, message: 'OK' }),
    async deliver(item) {
      got.push(item);
      return { ok: true, remoteRef: `ne-${got.length}` };
    },
  };
}

describe('targets are independent', () => {
  it('a broken target holds nobody else up; each target keeps its own order and counts', async () => {
    sim = await startSmaregi();
    const ne = recordingChannel();
    rig = await outboxRig(sim.url, { extraChannels: [ne] });
    sim.addFault({ mode: 'timeout', applied: false }); // Smaregi hangs on every request
    const neItems = Array.from({ length: 30 }, (_, i) => ({ target: 'nextengine', kind: 'nextengine.stock.add', orderingKey: `ne:${i % 3}`, payload: { n: i } }));
    rig.enqueueAll([sale('H1', '101'), stockAdd('102', 1), ...neItems]);
    const end = Date.now() + 8_000;
    while (ne.got.length < 30 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(ne.got).toHaveLength(30);
    for (const lane of ['ne:0', 'ne:1', 'ne:2']) {
      const ns = ne.got.filter((g) => g.orderingKey === lane).map((g) => (g.payload as { n: number }).n);
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
    }
    const p = await rig.call('sync.progress', {});
    expect(p.perTarget.find((t: any) => t.target === 'nextengine')).toMatchObject({ sent: 30, pending: 0 });
    const sm = p.perTarget.find((t: any) => t.target === 'smaregi');
    expect(sm.sent).toBe(0);
    expect(sm.pending + sm.inFlight).toBe(2);
    expect(p.remaining).toBe(2);
  });
});
