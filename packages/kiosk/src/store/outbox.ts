import { z } from 'zod';
import { describeIssues } from './audit.ts';
import type { BackoffPolicy, Store } from './db.ts';
import { StoreError } from './errors.ts';
import { assertNoPii } from './pii.ts';

export type OutboxState = 'pending' | 'delivered';

export interface OutboxItem {
  id: number;
  kind: string;
  idempotencyKey: string;
  payload: unknown;
  state: OutboxState;
  attempts: number;
  createdAt: string;
  /** When the next delivery attempt may be made (ISO). */
  nextAttemptAt: string;
  lastError: string | null;
  deliveredAt: string | null;
}

export interface OutboxInput {
  /** e.g. `consent.record`, `insurance.register`. */
  kind: string;
  payload: unknown;
  /** Sent upstream with the request; the upstream acts on one key once. */
  idempotencyKey: string;
}

const inputSchema = z.strictObject({
  kind: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z][a-z0-9]*([._-][a-z0-9]+)*$/, 'a lower-case code such as "consent.record"'),
  payload: z.unknown().refine((v) => v !== undefined, 'a JSON payload is required'),
  idempotencyKey: z
    .string()
    .min(8)
    .max(128)
    .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only'),
});

interface OutboxRow {
  id: number;
  kind: string;
  idempotency_key: string;
  payload: string;
  state: OutboxState;
  attempts: number;
  created_at: string;
  next_attempt_ms: number;
  last_error: string | null;
  delivered_at: string | null;
}

const fromRow = (row: OutboxRow): OutboxItem => ({
  id: row.id,
  kind: row.kind,
  idempotencyKey: row.idempotency_key,
  payload: JSON.parse(row.payload),
  state: row.state,
  attempts: row.attempts,
  createdAt: row.created_at,
  nextAttemptAt: new Date(row.next_attempt_ms).toISOString(),
  lastError: row.last_error,
  deliveredAt: row.delivered_at,
});

/**
 * Adds an upstream write, due at once. Enqueueing the same key again with the same kind and payload
 * returns the existing item (a retry after a crash is harmless); with different content it is refused.
 */
export function enqueue(store: Store, input: OutboxInput, now: Date = store.now()): OutboxItem {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success)
    throw new StoreError('invalid-event', `outbox item refused: ${describeIssues(parsed.error, 'item')}`);
  assertNoPii(input.payload, 'outbox payload');
  const payload = JSON.stringify(input.payload);
  return store.db
    .transaction((): OutboxItem => {
      const existing = store
        .statement('SELECT * FROM outbox WHERE idempotency_key = ?')
        .get(input.idempotencyKey) as OutboxRow | undefined;
      if (existing) {
        if (existing.kind === input.kind && existing.payload === payload) return fromRow(existing);
        throw new StoreError(
          'duplicate-key',
          `outbox idempotency key already used for a different ${existing.kind} item (id ${existing.id})`,
        );
      }
      const { lastInsertRowid } = store
        .statement(
          'INSERT INTO outbox (kind, idempotency_key, payload, created_at, next_attempt_ms) VALUES (?, ?, ?, ?, ?)',
        )
        .run(input.kind, input.idempotencyKey, payload, now.toISOString(), now.getTime());
      return getOutboxItem(store, Number(lastInsertRowid))!;
    })
    .immediate();
}

export function getOutboxItem(store: Store, id: number): OutboxItem | undefined {
  const row = store.statement('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined;
  return row && fromRow(row);
}

/** Pending items whose next attempt time has come, in enqueue order. */
export function due(store: Store, now: Date = store.now(), limit = 100): OutboxItem[] {
  return (
    store
      .statement("SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_ms <= ? ORDER BY id LIMIT ?")
      .all(now.getTime(), limit) as OutboxRow[]
  ).map(fromRow);
}

/** Pending items, due or not. */
export function pendingCount(store: Store): number {
  return (store.statement("SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'").get() as { n: number })
    .n;
}

/** The earliest next-attempt time among pending items, or null when none is pending. */
export function nextAttemptAt(store: Store): Date | null {
  const row = store
    .statement("SELECT MIN(next_attempt_ms) AS ms FROM outbox WHERE state = 'pending'")
    .get() as {
    ms: number | null;
  };
  return row.ms === null ? null : new Date(row.ms);
}

export function markDelivered(store: Store, id: number, now: Date = store.now()): void {
  const result = store
    .statement("UPDATE outbox SET state = 'delivered', delivered_at = ?, last_error = NULL WHERE id = ?")
    .run(now.toISOString(), id);
  if (result.changes === 0) throw new StoreError('not-found', `no outbox item ${id}`);
}

/** The delay before attempt `attempts + 1`, given `attempts` failures so far (≥ 1). */
export function backoffDelay(policy: BackoffPolicy, attempts: number, random: () => number): number {
  const raw = Math.min(policy.maxMs, policy.baseMs * policy.factor ** Math.max(0, attempts - 1));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  const scaled = raw * (1 - jitter + 2 * jitter * random());
  return Math.max(0, Math.round(Math.min(policy.maxMs, scaled)));
}

/**
 * Counts a failed attempt and schedules the next with exponential back-off. The error is kept as a
 * short ASCII line (codes and messages of our own, not response bodies).
 */
export function markFailed(store: Store, id: number, error: unknown, now: Date = store.now()): OutboxItem {
  return store.db
    .transaction((): OutboxItem => {
      const item = getOutboxItem(store, id);
      if (!item) throw new StoreError('not-found', `no outbox item ${id}`);
      if (item.state === 'delivered') return item;
      const attempts = item.attempts + 1;
      const delay = backoffDelay(store.backoff, attempts, store.random);
      store
        .statement('UPDATE outbox SET attempts = ?, next_attempt_ms = ?, last_error = ? WHERE id = ?')
        .run(attempts, now.getTime() + delay, errorLine(error), id);
      return getOutboxItem(store, id)!;
    })
    .immediate();
}

function errorLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/\d{12}/g, '############')
    .slice(0, 200);
}

export interface OutboxClock {
  now(): Date;
  /** Waits `ms` (a fake clock resolves when the test advances it). */
  sleep(ms: number): Promise<void>;
}

export const systemClock: OutboxClock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref?.()),
};

export interface OutboxWorkerOptions {
  store: Store;
  /** Delivers one item upstream; resolving means acknowledged, throwing means try again later. */
  send: (item: OutboxItem) => Promise<void>;
  clock?: OutboxClock;
  /** Longest sleep between polls when nothing is due (default 30 s): new items are seen this soon. */
  pollMs?: number;
  /** Called after each failed attempt (logging; never throws into the worker). */
  onError?: (item: OutboxItem, error: unknown) => void;
}

export interface DrainResult {
  delivered: number;
  failed: number;
}

/** Delivers due items in enqueue order, retrying failures with back-off until acknowledged. */
export class OutboxWorker {
  private readonly clock: OutboxClock;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** One pass over what is due now. */
  async runOnce(): Promise<DrainResult> {
    const result: DrainResult = { delivered: 0, failed: 0 };
    const { store } = this.options;
    for (const item of due(store, this.clock.now())) {
      // Re-read: another worker (or a previous pass) may have delivered it meanwhile.
      if (getOutboxItem(store, item.id)?.state !== 'pending') continue;
      try {
        await this.options.send(item);
        markDelivered(store, item.id, this.clock.now());
        result.delivered++;
      } catch (error) {
        const failed = markFailed(store, item.id, error, this.clock.now());
        result.failed++;
        try {
          this.options.onError?.(failed, error);
        } catch {
          // a logger's failure is not the outbox's
        }
      }
    }
    return result;
  }

  /** How long to sleep before the next pass. */
  delayUntilNext(): number {
    const pollMs = this.options.pollMs ?? 30_000;
    const next = nextAttemptAt(this.options.store);
    if (!next) return pollMs;
    return Math.max(0, Math.min(pollMs, next.getTime() - this.clock.now().getTime()));
  }

  /** Runs passes until stop(); returns at once if already running. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await this.runOnce();
        if (!this.running) break;
        await Promise.race([
          this.clock.sleep(this.delayUntilNext()),
          new Promise<void>((resolve) => {
            this.wake = resolve;
          }),
        ]);
        this.wake = null;
      }
    })();
  }

  /** Ends the current sleep now: call after enqueue() so a new item goes out at once. */
  notify(): void {
    this.wake?.();
  }

  /** Stops after the current pass; a sleep in progress is cut short. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }
}
