import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../src/bounded-cache.ts';

describe('BoundedCache', () => {
  it('forgets the least recently used entry, counting a read as a use', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('makes a missing value once and keeps it; a failure keeps nothing', () => {
    const cache = new BoundedCache<string, number>(4);
    let made = 0;
    const make = () => {
      made += 1;
      return 7;
    };
    expect(cache.getOrMake('k', make)).toBe(7);
    expect(cache.getOrMake('k', make)).toBe(7);
    expect(made).toBe(1);
    expect(() =>
      cache.getOrMake('bad', () => {
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(cache.get('bad')).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it('refuses a capacity below one entry', () => {
    expect(() => new BoundedCache(0)).toThrow(RangeError);
    expect(() => new BoundedCache(1.5)).toThrow(RangeError);
  });
});
