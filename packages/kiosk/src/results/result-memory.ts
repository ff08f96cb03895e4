import type { QualificationResult } from '@myna/protocol/oqs/qualification.js';

/** One published result as reception systems see it on the local API. */
export interface HeldResult {
  id: string;
  /** When the kiosk published it (ISO 8601, UTC). */
  receivedAt: string;
  /** When it leaves memory; a reception system that has not fetched it by then gets it from the folder. */
  expiresAt: string;
  result: QualificationResult;
}

export interface ResultMemoryOptions {
  /** Most results held at once; the oldest go first. */
  maxResults?: number;
  /** How long one result is held, in milliseconds. */
  ttlMs?: number;
  now?: () => number;
}

export const DEFAULT_MAX_RESULTS = 200;
/** An hour: long enough for a reception system restarted mid-morning, short for personal data in memory. */
export const DEFAULT_RESULT_TTL_MS = 60 * 60_000;

/**
 * Results for the local API, held only in this process's memory: they are personal data, so they are
 * never written to the store or a log, there are never more than maxResults of them, and each is
 * forgotten ttlMs after it arrived whether or not anyone fetched it.
 */
export class ResultMemory {
  readonly #entries = new Map<string, { at: number; held: HeldResult }>();
  readonly #max: number;
  readonly #ttl: number;
  readonly #now: () => number;

  constructor(options: ResultMemoryOptions = {}) {
    this.#max = options.maxResults ?? DEFAULT_MAX_RESULTS;
    this.#ttl = options.ttlMs ?? DEFAULT_RESULT_TTL_MS;
    this.#now = options.now ?? Date.now;
    if (!Number.isInteger(this.#max) || this.#max < 1)
      throw new RangeError('maxResults must be a positive integer');
    if (!(this.#ttl > 0)) throw new RangeError('ttlMs must be positive');
  }

  /** Holds a copy, so that a caller changing its object later does not change what the API serves. */
  add(id: string, result: QualificationResult): HeldResult {
    const at = this.#now();
    this.#entries.delete(id);
    const held: HeldResult = {
      id,
      receivedAt: new Date(at).toISOString(),
      expiresAt: new Date(at + this.#ttl).toISOString(),
      result: structuredClone(result),
    };
    this.#entries.set(id, { at, held });
    this.purge();
    while (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    return held;
  }

  get(id: string): HeldResult | undefined {
    this.purge();
    return this.#entries.get(id)?.held;
  }

  /** Oldest first; only those that arrived strictly after `since` (epoch ms) when it is given. */
  list(since?: number): HeldResult[] {
    this.purge();
    return [...this.#entries.values()].filter((e) => since === undefined || e.at > since).map((e) => e.held);
  }

  get size(): number {
    this.purge();
    return this.#entries.size;
  }

  /** Forgets what has expired; also run on a timer so that nothing outlives its time unread. */
  purge(): void {
    const cutoff = this.#now() - this.#ttl;
    // Every entry is looked at, not just the oldest: a clock set back would otherwise hide later ones.
    for (const [id, entry] of this.#entries) if (entry.at <= cutoff) this.#entries.delete(id);
  }

  clear(): void {
    this.#entries.clear();
  }
}
