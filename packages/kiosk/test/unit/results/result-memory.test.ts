import { sampleResult } from '@myna/devtools/test-support/sample-result.js';
import { describe, expect, it } from 'vitest';
import { ResultMemory } from '../../../src/results/result-memory.ts';

function clock(start = Date.parse('2025-04-01T00:30:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms), set: (ms: number) => (now = ms) };
}

describe('ResultMemory', () => {
  it('holds at most maxResults, dropping the oldest', () => {
    const memory = new ResultMemory({ maxResults: 3 });
    for (const id of ['a', 'b', 'c', 'd']) memory.add(id, sampleResult());
    expect(memory.list().map((h) => h.id)).toEqual(['b', 'c', 'd']);
    expect(memory.get('a')).toBeUndefined();
  });

  it('forgets a result ttlMs after it arrived, read or not', () => {
    const time = clock();
    const memory = new ResultMemory({ ttlMs: 60_000, now: time.now });
    memory.add('a', sampleResult());
    time.advance(30_000);
    memory.add('b', sampleResult());
    time.advance(29_999);
    expect(memory.list().map((h) => h.id)).toEqual(['a', 'b']);
    time.advance(1);
    expect(memory.list().map((h) => h.id)).toEqual(['b']);
    expect(memory.get('a')).toBeUndefined();
    time.advance(30_000);
    expect(memory.size).toBe(0);
  });

  it('still forgets results after the clock was set back', () => {
    const time = clock();
    const memory = new ResultMemory({ ttlMs: 60_000, now: time.now });
    memory.add('a', sampleResult());
    time.advance(-3_600_000);
    memory.add('b', sampleResult());
    time.advance(3_600_000 + 60_000);
    expect(memory.list().map((h) => h.id)).toEqual([]);
  });

  it('lists only what arrived strictly after since', () => {
    const time = clock();
    const memory = new ResultMemory({ now: time.now });
    memory.add('a', sampleResult());
    const a = time.now();
    time.advance(1_000);
    memory.add('b', sampleResult());
    expect(memory.list(a).map((h) => h.id)).toEqual(['b']);
    expect(memory.list(a - 1).map((h) => h.id)).toEqual(['a', 'b']);
  });

  it('stamps arrival and expiry, and keeps its own copy', () => {
    const time = clock();
    const memory = new ResultMemory({ ttlMs: 900_000, now: time.now });
    const result = sampleResult();
    const held = memory.add('a', result);
    expect(held.receivedAt).toBe('2025-04-01T00:30:00.000Z');
    expect(held.expiresAt).toBe('2025-04-01T00:45:00.000Z');
    result.MessageHeader.MedicalInstitutionCode = '9999999999';
    expect(memory.get('a')!.result.MessageHeader.MedicalInstitutionCode).toBe('1312345678');
  });

  it('refuses limits that would hold nothing or hold forever', () => {
    expect(() => new ResultMemory({ maxResults: 0 })).toThrow(RangeError);
    expect(() => new ResultMemory({ ttlMs: 0 })).toThrow(RangeError);
    expect(() => new ResultMemory({ ttlMs: Number.NaN })).toThrow(RangeError);
  });
});
