/**
 * A map that forgets its least recently used entry once it holds `capacity`: for values that cost
 * real work to make and are safe to share, where a plain map would let a stream of distinct keys
 * (every certificate a caller can invent) grow the process without end. Map keeps insertion order,
 * so moving a hit to the end makes the first key the least recently used.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`a bounded cache holds at least 1 entry, not ${capacity}`);
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: K, value: V): V {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value as K);
    return value;
  }

  /** The cached value, or `make()`'s, kept. A throw keeps nothing, so a failure is tried again. */
  getOrMake(key: K, make: () => V): V {
    return this.get(key) ?? this.set(key, make());
  }
}
