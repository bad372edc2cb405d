import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventEnvelopeSchema, ReplyEnvelopeSchema, RequestEnvelopeSchema, events, methods } from '../../src/shared/contract';
import { latestVersion } from '../../src/core/db';
import type { Engine } from '../../src/core/engine';
import { tempEngine } from '../helpers/engine';

describe('contract schemas', () => {
  it('accepts a well-formed request and rejects malformed ones', () => {
    expect(RequestEnvelopeSchema.safeParse({ kind: 'request', id: '1', method: 'status.get', params: {} }).success).toBe(true);
    for (const bad of [null, 'x', 42, {}, { kind: 'request' }, { kind: 'request', id: '', method: 'a' }, { kind: 'reply', id: '1', method: 'a' }, { kind: 'request', id: 1, method: 'a' }]) {
      expect(RequestEnvelopeSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('replies carry either a result or a typed error', () => {
    expect(ReplyEnvelopeSchema.safeParse({ kind: 'reply', id: '1', ok: true, result: 1 }).success).toBe(true);
    expect(ReplyEnvelopeSchema.safeParse({ kind: 'reply', id: '1', ok: false, error: { code: 'internal', message: 'x' } }).success).toBe(true);
    expect(ReplyEnvelopeSchema.safeParse({ kind: 'reply', id: '1', ok: false, error: { code: 'made_up', message: 'x' } }).success).toBe(false);
    expect(EventEnvelopeSchema.safeParse({ kind: 'event', event: 'status', data: {} }).success).toBe(true);
  });

  it('every method has params and result schemas, and params reject unknown keys', () => {
    for (const [name, spec] of Object.entries(methods)) {
      expect(typeof spec.params.safeParse, name).toBe('function');
      expect(typeof spec.result.safeParse, name).toBe('function');
    }
    expect(methods['status.get'].params.safeParse({ extra: 1 }).success).toBe(false);
    expect(events['engine.connection'].safeParse({ state: 'ready', attempt: 0 }).success).toBe(true);
  });
});

describe('engine message handling', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ engine, cleanup } = await tempEngine({ background: false }));
  });
  afterEach(async () => cleanup());

  it('answers a good request with a result that matches the contract', async () => {
    const reply = await engine.handle({ kind: 'request', id: 'a1', method: 'status.get', params: {} });
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    expect(reply.id).toBe('a1');
    const status = methods['status.get'].result.parse(reply.result);
    expect(status.schemaVersion).toBe(latestVersion());
    expect(status.demo).toBe(false);
  });

  it('turns malformed, unknown and invalid messages into error replies and keeps answering', async () => {
    const bad = await Promise.all([
      engine.handle('not json at all'),
      engine.handle({ kind: 'request', id: 'b1' }),
      engine.handle({ kind: 'request', id: 'b2', method: 'no.such.method', params: {} }),
      engine.handle({ kind: 'request', id: 'b3', method: 'settings.update', params: { register: { rounding: 'sideways' } } }),
      engine.handle({ kind: 'request', id: 'b4', method: 'status.get', params: { surprise: true } }),
    ]);
    expect(bad.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['bad_message', 'bad_message', 'unknown_method', 'invalid_params', 'invalid_params']);
    expect(bad[1].id).toBe('b1');
    const msg = bad[3].ok ? '' : bad[3].error.message;
    expect(msg).toContain('register.rounding');
    const after = await engine.handle({ kind: 'request', id: 'c1', method: 'status.get', params: {} });
    expect(after.ok).toBe(true);
  });

  it('changes only the fields an update names', async () => {
    await engine.call('settings.update', { smaregi: { contractId: 'sb_a', clientId: 'client-a', storeId: '3' } });
    await engine.call('settings.update', { smaregi: { clientId: 'client-b' } });
    const s = (await engine.call('settings.get', {})).settings.smaregi;
    expect(s).toMatchObject({ contractId: 'sb_a', clientId: 'client-b', storeId: '3' });
    await expect(engine.call('settings.update', { smaregi: { nonsense: 1 } } as never)).rejects.toMatchObject({ code: 'invalid_params' });
    // Values that could only fail later, at Smaregi, are refused now with the field named.
    for (const bad of [{ storeId: 'abc' }, { terminalId: '-5' }, { contractId: 'my contract' }]) {
      await expect(engine.call('settings.update', { smaregi: bad })).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringContaining(`smaregi.${Object.keys(bad)[0]}`) });
    }
    await expect(engine.call('settings.update', { register: { giftSaleProductCode: '' } })).rejects.toMatchObject({ code: 'invalid_params' });
    expect((await engine.call('settings.get', {})).settings.smaregi.storeId).toBe('3');
  });

  it('validates settings as a whole and keeps the previous values on a bad update', async () => {
    await engine.call('settings.update', { register: { rounding: 'round' } });
    await expect(engine.call('settings.update', { scanner: { couponCodePrefix: 'ﾃｽﾄ!' } })).rejects.toMatchObject({ code: 'invalid_params' });
    const view = await engine.call('settings.get', {});
    expect(view.settings.register.rounding).toBe('round');
    expect(view.settings.scanner.couponCodePrefix).toBe('');
  });
});
