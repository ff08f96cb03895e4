import { type AuditRecord, appendAudit } from './audit.ts';
import { getSetting, SETTING, type Store, setSetting } from './db.ts';
import { StoreError } from './errors.ts';

export const DEFAULT_RETENTION = { auditDays: 90, outboxDeliveredDays: 30 } as const;

export interface RetentionSettings {
  auditDays: number;
  outboxDeliveredDays: number;
}

export function retentionSettings(store: Store): RetentionSettings {
  return {
    auditDays: getSetting(store, SETTING.auditRetentionDays, DEFAULT_RETENTION.auditDays),
    outboxDeliveredDays: getSetting(
      store,
      SETTING.outboxRetentionDays,
      DEFAULT_RETENTION.outboxDeliveredDays,
    ),
  };
}

export function setRetention(store: Store, settings: Partial<RetentionSettings>): void {
  for (const [key, days] of [
    [SETTING.auditRetentionDays, settings.auditDays],
    [SETTING.outboxRetentionDays, settings.outboxDeliveredDays],
  ] as const) {
    if (days === undefined) continue;
    if (!Number.isInteger(days) || days < 1)
      throw new StoreError('invalid-event', `${key}: a whole number of days, at least 1`);
    setSetting(store, key, days);
  }
}

export interface RetentionResult {
  auditPurged: number;
  outboxPurged: number;
  /** The `retention.purged` record, when anything was purged. */
  record?: AuditRecord;
}

const DAY_MS = 86_400_000;

/**
 * The one documented path by which audit records leave the log. In one transaction: the oldest
 * records (those before now − auditDays; always a prefix of the chain) are deleted through the
 * purge gate the append-only trigger honours, the hash of the last one deleted becomes the chain's
 * new anchor, delivered outbox rows older than outboxDeliveredDays are deleted, and a
 * `retention.purged` record with the counts is appended, so a purge is itself on the chain.
 */
export function enforceRetention(store: Store, now: Date = store.now()): RetentionResult {
  const { auditDays, outboxDeliveredDays } = retentionSettings(store);
  const auditCutoff = new Date(now.getTime() - auditDays * DAY_MS).toISOString();
  const outboxCutoff = new Date(now.getTime() - outboxDeliveredDays * DAY_MS).toISOString();
  return store.db
    .transaction((): RetentionResult => {
      // The prefix up to the newest record older than the cut-off (times only grow along the chain).
      const last = store
        .statement('SELECT seq, hash FROM audit WHERE at < ? ORDER BY seq DESC LIMIT 1')
        .get(auditCutoff) as { seq: number; hash: string } | undefined;
      let auditPurged = 0;
      if (last) {
        store.statement('UPDATE audit_purge_gate SET purge_upto = ? WHERE id = 1').run(last.seq);
        auditPurged = store.statement('DELETE FROM audit WHERE seq <= ?').run(last.seq).changes;
        store.statement('UPDATE audit_purge_gate SET purge_upto = 0 WHERE id = 1').run();
        store
          .statement(
            `INSERT INTO chain_anchor (id, after_seq, hash, at) VALUES (1, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET after_seq = excluded.after_seq, hash = excluded.hash, at = excluded.at`,
          )
          .run(last.seq, last.hash, now.toISOString());
      }
      const outboxPurged = store
        .statement("DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < ?")
        .run(outboxCutoff).changes;
      if (auditPurged === 0 && outboxPurged === 0) return { auditPurged, outboxPurged };
      const record = appendAudit(store, {
        kind: 'retention.purged',
        outcome: 'ok',
        at: now,
        data: {
          auditRecords: auditPurged,
          upToSeq: last?.seq ?? null,
          outboxItems: outboxPurged,
          auditDays,
          outboxDeliveredDays,
        },
      });
      return { auditPurged, outboxPurged, record };
    })
    .immediate();
}

/**
 * Enforces retention now and then every `intervalMs` (default hourly) while the kiosk runs, so
 * the setting holds without anyone running a command. Failures go to `onError`; the timer does not
 * keep the process alive.
 */
export function scheduleRetention(
  store: Store,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): { stop(): void } {
  const run = () => {
    try {
      enforceRetention(store);
    } catch (error) {
      options.onError?.(error);
    }
  };
  run();
  const timer = setInterval(run, options.intervalMs ?? 3_600_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
