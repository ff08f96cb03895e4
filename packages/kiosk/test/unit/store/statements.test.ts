import { describe, expect, it, vi } from 'vitest';
import {
  appendAudit,
  due,
  enforceRetention,
  enqueue,
  exportAudit,
  getSetting,
  markDelivered,
  markFailed,
  nextAttemptAt,
  pendingCount,
  type Store,
  setRetention,
  setSetting,
  storeCardRef,
  verifyAudit,
} from '../../../src/store/index.ts';
import { useTempStores } from './helpers.ts';

const temp = useTempStores();
const DAY_MS = 86_400_000;
/** More than the one-day retention window set below. */
const BETWEEN_VISITS_MS = 2 * DAY_MS;

/** Everything a visit and the kiosk's timers do to the store, once each. */
function visit(store: Store, n: number): void {
  appendAudit(store, { kind: 'card.placed', outcome: 'ok', card: storeCardRef(store, `0a:0b:${n}`) });
  const item = enqueue(store, {
    kind: 'consent.record',
    payload: { visit: n },
    idempotencyKey: `visit-${n}-consent`,
  });
  markFailed(store, item.id, new Error('upstream unreachable'));
  due(store, new Date(store.now().getTime() + DAY_MS));
  pendingCount(store);
  nextAttemptAt(store);
  markDelivered(store, item.id);
  setSetting(store, 'test.lastVisit', n);
  expect(getSetting(store, 'test.lastVisit')).toBe(n);
  appendAudit(store, { kind: 'card.removed', outcome: 'ok' });
  // With a one-day window and two days between visits, every pass purges the visit before.
  enforceRetention(store);
  exportAudit(store);
}

describe('prepared statements', () => {
  it('prepares each statement once per open database, however many visits run', () => {
    let clock = Date.parse('2026-11-24T00:30:00Z');
    const store = temp.open(temp.path(), { now: () => new Date(clock) });
    setRetention(store, { auditDays: 1, outboxDeliveredDays: 1 });
    const prepare = vi.spyOn(store.db, 'prepare');

    // Two visits: the first has nothing old enough to purge, the second does.
    visit(store, 0);
    clock += BETWEEN_VISITS_MS;
    visit(store, 1);
    expect(verifyAudit(store).ok).toBe(true);
    const warm = prepare.mock.calls.map(([sql]) => sql);
    // The spy sees the store's statements, the purge's among them, each one once.
    expect(warm).toContain('DELETE FROM audit WHERE seq <= ?');
    expect(new Set(warm).size).toBe(warm.length);

    for (let n = 2; n <= 51; n++) {
      clock += BETWEEN_VISITS_MS;
      visit(store, n);
    }
    expect(prepare.mock.calls.length).toBe(warm.length);

    // The purges ran and the chain still verifies from its moved anchor.
    const verified = verifyAudit(store);
    expect(verified.ok).toBe(true);
    expect(exportAudit(store).some((r) => r.kind === 'retention.purged')).toBe(true);
    expect(verified.records).toBeLessThan(10);
  });

  it('drops the statements with the database on close; a reopened store prepares its own', () => {
    const path = temp.path();
    const store = temp.open(path);
    setSetting(store, 'test.kept', 'yes');
    store.close();
    expect(() => store.statement('SELECT value FROM settings WHERE key = ?')).toThrowError(/not open/);
    expect(() => getSetting(store, 'test.kept')).toThrowError(/not open/);

    const reopened = temp.open(path);
    expect(getSetting(reopened, 'test.kept')).toBe('yes');
  });
});
