import { describe, expect, it, vi } from 'vitest';
import {
  appendAudit,
  chainAnchor,
  DEFAULT_RETENTION,
  enforceRetention,
  enqueue,
  exportAudit,
  GENESIS_HASH,
  markDelivered,
  pendingCount,
  retentionSettings,
  scheduleRetention,
  setRetention,
  verifyAudit,
} from '../../../src/store/index.ts';
import { useTempStores } from './helpers.ts';

const temp = useTempStores();
const DAY = 86_400_000;
const t0 = Date.parse('2025-01-01T00:00:00.000Z');

describe('retention', () => {
  it('defaults to 90 days of audit and 30 of delivered outbox items, and is configurable', () => {
    const store = temp.open(temp.path());
    expect(retentionSettings(store)).toEqual(DEFAULT_RETENTION);
    expect(DEFAULT_RETENTION).toEqual({ auditDays: 90, outboxDeliveredDays: 30 });
    setRetention(store, { auditDays: 7 });
    expect(retentionSettings(store).auditDays).toBe(7);
    expect(() => setRetention(store, { auditDays: 0 })).toThrowError(/at least 1/);
  });

  it('purges old audit records and delivered outbox rows; the chain still verifies, across reopen', () => {
    const path = temp.path();
    const store = temp.open(path);
    for (let day = 0; day < 10; day++)
      appendAudit(store, { kind: 'card.placed', outcome: 'ok', data: { day }, at: new Date(t0 + day * DAY) });
    const old = enqueue(store, {
      kind: 'consent.record',
      payload: { n: 1 },
      idempotencyKey: 'consent-old-1',
    });
    markDelivered(store, old.id, new Date(t0));
    enqueue(store, { kind: 'consent.record', payload: { n: 2 }, idempotencyKey: 'consent-pending-2' });
    const recent = enqueue(store, {
      kind: 'consent.record',
      payload: { n: 3 },
      idempotencyKey: 'consent-new-3',
    });
    markDelivered(store, recent.id, new Date(t0 + 9 * DAY));
    setRetention(store, { auditDays: 5, outboxDeliveredDays: 5 });

    const now = new Date(t0 + 10 * DAY);
    const result = enforceRetention(store, now);
    // Records of days 0–4 are older than now − 5 days.
    expect(result).toMatchObject({ auditPurged: 5, outboxPurged: 1 });
    expect(result.record).toMatchObject({
      seq: 11,
      kind: 'retention.purged',
      data: { auditRecords: 5, upToSeq: 5, outboxItems: 1 },
    });
    expect(exportAudit(store).map((r) => r.seq)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(chainAnchor(store).afterSeq).toBe(5);
    expect(chainAnchor(store).hash).not.toBe(GENESIS_HASH);
    expect(verifyAudit(store)).toEqual({ ok: true, records: 6 });
    expect(pendingCount(store)).toBe(1);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 2 });

    // The gate is closed again: plain deletes are refused.
    expect(() => store.db.prepare('DELETE FROM audit WHERE seq = 6').run()).toThrowError(/DELETE refused/);
    // A second pass with nothing old is a no-op, and appends go on from the anchor.
    expect(enforceRetention(store, now)).toEqual({ auditPurged: 0, outboxPurged: 0 });
    store.close();
    const reopened = temp.open(path);
    appendAudit(reopened, { kind: 'card.removed', outcome: 'ok', at: now });
    expect(verifyAudit(reopened)).toEqual({ ok: true, records: 7 });
  });

  it('a deletion right after the anchor is still detected', () => {
    const store = temp.open(temp.path());
    for (let day = 0; day < 4; day++)
      appendAudit(store, { kind: 'card.placed', outcome: 'ok', at: new Date(t0 + day * DAY) });
    setRetention(store, { auditDays: 2 });
    enforceRetention(store, new Date(t0 + 3 * DAY + 1));
    expect(exportAudit(store).map((r) => r.seq)).toEqual([3, 4, 5]);
    store.db.exec('DROP TRIGGER audit_no_delete');
    store.db.exec('DELETE FROM audit WHERE seq = 3');
    expect(verifyAudit(store).firstBroken).toMatchObject({ seq: 3, reason: 'missing' });
  });

  it('is enforced by the running kiosk at start and then on a timer', () => {
    vi.useFakeTimers();
    try {
      let now = t0 + 10 * DAY;
      const store = temp.open(temp.path(), { now: () => new Date(now) });
      setRetention(store, { auditDays: 2 });
      appendAudit(store, { kind: 'card.placed', outcome: 'ok', at: new Date(t0) });
      const scheduled = scheduleRetention(store, { intervalMs: 60_000 });
      expect(exportAudit(store).map((r) => r.kind)).toEqual(['retention.purged']);
      appendAudit(store, { kind: 'card.placed', outcome: 'ok', at: new Date(now) });
      now += 3 * DAY;
      vi.advanceTimersByTime(60_000);
      expect(exportAudit(store).map((r) => r.kind)).toEqual(['retention.purged']);
      expect(verifyAudit(store).ok).toBe(true);
      scheduled.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
