import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  due,
  enqueue,
  getOutboxItem,
  markDelivered,
  markFailed,
  type OutboxClock,
  type OutboxItem,
  OutboxWorker,
  pendingCount,
} from '../../../src/store/index.ts';
import { useTempStores } from './helpers.ts';

const temp = useTempStores();
const t0 = new Date('2025-04-01T09:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const backoff = { baseMs: 1_000, factor: 2, maxMs: 10_000, jitter: 0 };
const consent = (n: number) => ({
  kind: 'consent.record',
  payload: { consents: { medication: true, checkup: false }, validHours: 24 },
  idempotencyKey: `consent-${n}-2025-04-01`,
});

class FakeClock implements OutboxClock {
  constructor(public ms = t0.getTime()) {}
  now = () => new Date(this.ms);
  sleeps: number[] = [];
  sleep = async (ms: number) => {
    this.sleeps.push(ms);
    this.ms += ms;
  };
}

describe('outbox', () => {
  it('survives reopening: pending items are still due', () => {
    const path = temp.path();
    const store = temp.open(path, { backoff });
    const item = enqueue(store, consent(1), t0);
    expect(item).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: t0.toISOString() });
    store.close();
    const reopened = temp.open(path, { backoff });
    expect(due(reopened, t0).map((i) => i.idempotencyKey)).toEqual(['consent-1-2025-04-01']);
    expect(due(reopened, t0)[0]!.payload).toEqual(consent(1).payload);
  });

  it('backs off exponentially up to the maximum and counts attempts', () => {
    const store = temp.open(temp.path(), { backoff });
    const { id } = enqueue(store, consent(1), t0);
    const delays: number[] = [];
    let now = t0;
    for (let i = 0; i < 6; i++) {
      const item = markFailed(store, id, new Error('upstream 503'), now);
      const next = Date.parse(item.nextAttemptAt);
      delays.push(next - now.getTime());
      expect(due(store, new Date(next - 1))).toHaveLength(0);
      expect(due(store, new Date(next))).toHaveLength(1);
      now = new Date(next);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    expect(getOutboxItem(store, id)).toMatchObject({ attempts: 6, lastError: 'Error: upstream 503' });
  });

  it('jitter is deterministic with an injected random and stays in bounds', () => {
    const policy = { ...backoff, jitter: 0.5 };
    expect(backoffDelay(policy, 2, () => 0)).toBe(1_000);
    expect(backoffDelay(policy, 2, () => 0.5)).toBe(2_000);
    expect(backoffDelay(policy, 2, () => 0.999)).toBe(2_998);
    expect(backoffDelay(policy, 10, () => 0.999)).toBe(10_000);
    const store = temp.open(temp.path(), { backoff: policy, random: () => 0.25 });
    const { id } = enqueue(store, consent(1), t0);
    expect(Date.parse(markFailed(store, id, 'x', t0).nextAttemptAt) - t0.getTime()).toBe(750);
  });

  it('delivered items are never due again', () => {
    const store = temp.open(temp.path(), { backoff });
    const { id } = enqueue(store, consent(1), t0);
    markDelivered(store, id, t0);
    expect(due(store, at(1e9))).toHaveLength(0);
    expect(markFailed(store, id, 'late failure', t0).state).toBe('delivered');
    expect(pendingCount(store)).toBe(0);
  });

  it('idempotency keys are unique: same content returns the item, different content is refused', () => {
    const store = temp.open(temp.path(), { backoff });
    const first = enqueue(store, consent(1), t0);
    expect(enqueue(store, consent(1), at(5)).id).toBe(first.id);
    expect(() =>
      enqueue(store, { ...consent(1), payload: { consents: { medication: false } } }),
    ).toThrowError(/idempotency key already used/);
    expect(() =>
      store.db
        .prepare(
          "INSERT INTO outbox (kind, idempotency_key, payload, created_at, next_attempt_ms) VALUES ('x', ?, '{}', '', 0)",
        )
        .run(first.idempotencyKey),
    ).toThrowError(/UNIQUE/);
    expect(pendingCount(store)).toBe(1);
  });

  it('payloads follow the no-PII rule', () => {
    const store = temp.open(temp.path());
    expect(() =>
      enqueue(store, { kind: 'insurance.register', payload: { name: 'x' }, idempotencyKey: 'register-0001' }),
    ).toThrowError(/outbox payload\.name/);
    expect(() =>
      enqueue(store, {
        kind: 'insurance.register',
        payload: { id: '123456789012' },
        idempotencyKey: 'register-0002',
      }),
    ).toThrowError(/12-digit/);
    expect(pendingCount(store)).toBe(0);
  });

  it('keeps a consent record whose visit id (a UUID) ends in twelve decimal digits', () => {
    // About one visit id in 280 looks like this; its consents were refused as a My Number.
    const store = temp.open(temp.path());
    const visitId = '3f2a9c1e-7b4d-4e2a-9c8f-123456789012';
    const item = enqueue(store, {
      kind: 'consent.record',
      payload: { visitId, items: [{ item: 'medication', agreed: true, at: '2026-11-24T00:30:00.000Z' }] },
      idempotencyKey: 'consents-0001',
    });
    expect(item.payload).toMatchObject({ visitId });
    // The same digits outside a UUID's shape are still refused.
    expect(() =>
      enqueue(store, {
        kind: 'consent.record',
        payload: { visitId: 'visit-123456789012' },
        idempotencyKey: 'consents-0002',
      }),
    ).toThrowError(/12-digit/);
  });
});

describe('OutboxWorker', () => {
  it('delivers due items in order, retries with back-off until acknowledged, never resends', async () => {
    const clock = new FakeClock();
    const store = temp.open(temp.path(), { backoff, now: clock.now });
    enqueue(store, consent(1));
    enqueue(store, consent(2));
    enqueue(store, consent(3));
    const sent: string[] = [];
    let failuresLeft = 2;
    const worker = new OutboxWorker({
      store,
      clock,
      send: async (item: OutboxItem) => {
        sent.push(item.idempotencyKey);
        if (item.idempotencyKey === 'consent-2-2025-04-01' && failuresLeft-- > 0) throw new Error('timeout');
      },
    });
    expect(await worker.runOnce()).toEqual({ delivered: 2, failed: 1 });
    expect(sent).toEqual(['consent-1-2025-04-01', 'consent-2-2025-04-01', 'consent-3-2025-04-01']);
    expect(await worker.runOnce()).toEqual({ delivered: 0, failed: 0 });
    expect(worker.delayUntilNext()).toBe(1_000);
    clock.ms += 1_000;
    expect(await worker.runOnce()).toEqual({ delivered: 0, failed: 1 });
    expect(worker.delayUntilNext()).toBe(2_000);
    clock.ms += 2_000;
    expect(await worker.runOnce()).toEqual({ delivered: 1, failed: 0 });
    expect(sent.filter((k) => k === 'consent-2-2025-04-01')).toHaveLength(3);
    expect(sent.filter((k) => k === 'consent-1-2025-04-01')).toHaveLength(1);
    expect(pendingCount(store)).toBe(0);
  });

  it('a worker on a reopened database picks up what was left', async () => {
    const path = temp.path();
    const clock = new FakeClock();
    const before = temp.open(path, { backoff, now: clock.now });
    enqueue(before, consent(1));
    markFailed(before, 1, 'crash soon after', clock.now());
    before.close();
    const store = temp.open(path, { backoff, now: clock.now });
    const sent: number[] = [];
    const worker = new OutboxWorker({ store, clock, send: async (item) => void sent.push(item.id) });
    expect((await worker.runOnce()).delivered).toBe(0);
    clock.ms += 1_000;
    expect((await worker.runOnce()).delivered).toBe(1);
    expect(sent).toEqual([1]);
  });

  it('start() loops with the injected clock until stop()', async () => {
    const clock = new FakeClock();
    const store = temp.open(temp.path(), { backoff, now: clock.now });
    enqueue(store, consent(1));
    let calls = 0;
    let worker!: OutboxWorker;
    const done = new Promise<void>((resolve) => {
      worker = new OutboxWorker({
        store,
        clock,
        pollMs: 60_000,
        send: async () => {
          if (++calls < 4) throw new Error('down');
          resolve();
        },
      });
    });
    worker.start();
    await done;
    await worker.stop();
    expect(calls).toBe(4);
    expect(clock.sleeps.slice(0, 3)).toEqual([1_000, 2_000, 4_000]);
    expect(pendingCount(store)).toBe(0);
  });
});
