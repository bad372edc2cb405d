import fc from 'fast-check';
import { expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db';
import { enqueue, enqueueMany, type NewOutboxItem } from '../../src/core/outbox';

const rows = (db: ReturnType<typeof openDatabase>) =>
  db.prepare('SELECT id, target, kind, ordering_key, coalesce_key, payload, state FROM outbox ORDER BY seq').all();

const itemArb = fc.record({
  target: fc.constantFrom('smaregi', 'nextengine'),
  lane: fc.constantFrom('a', 'b', 'c'),
  absolute: fc.boolean(),
  value: fc.integer({ min: -5, max: 5 }),
});

it('enqueueMany leaves exactly the rows, order and coalescing that enqueue gives one by one', () => {
  let n = 0;
  fc.assert(
    fc.property(fc.array(itemArb, { maxLength: 30 }), fc.array(itemArb, { minLength: 0, maxLength: 250 }), (before, batch) => {
      const toItem = (x: (typeof before)[number]): NewOutboxItem => ({
        id: `id-${++n}`,
        target: x.target,
        kind: x.absolute ? 'stock.set' : 'stock.add',
        orderingKey: `stock:${x.lane}`,
        coalesceKey: x.absolute ? `stock:${x.lane}` : null,
        payload: { v: x.value },
      });
      const pre = before.map(toItem);
      const items = batch.map(toItem);
      const one = openDatabase(':memory:');
      const many = openDatabase(':memory:');
      const now = new Date('2026-11-23T00:00:00Z');
      for (const it of pre) {
        enqueue(one, it, now);
        enqueue(many, it, now);
      }
      one.transaction(() => items.forEach((it) => enqueue(one, it, now)))();
      const ids = many.transaction(() => enqueueMany(many, items, now))();
      expect(ids).toEqual(items.map((i) => i.id));
      expect(rows(many)).toEqual(rows(one));
      one.close();
      many.close();
    }),
    { numRuns: 60 },
  );
});
