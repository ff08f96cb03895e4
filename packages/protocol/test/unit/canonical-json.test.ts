import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/canonical-json.ts';

describe('canonicalJson', () => {
  it('is the same for the same value whatever the member order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { e: 3, f: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('tells different values apart', () => {
    expect(canonicalJson({ visitId: 'a' })).not.toBe(canonicalJson({ visitId: 'b' }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('orders member names by UTF-16 code units', () => {
    expect(canonicalJson({ é: 1, '\u{1f600}': 2, ﬀ: 3, a: 4, B: 5, '10': 6, '2': 7 })).toBe(
      '{"10":6,"2":7,"B":5,"a":4,"é":1,"\u{1f600}":2,"ﬀ":3}',
    );
  });

  it('encodes what a trip through JSON keeps: undefined members dropped, undefined items null', () => {
    const value = {
      kept: 1,
      dropped: undefined,
      fn: () => 1,
      items: [1, undefined, () => 2, Symbol('s')],
      at: new Date('2025-04-01T00:00:00Z'),
    };
    expect(canonicalJson(value)).toBe(
      '{"at":"2025-04-01T00:00:00.000Z","items":[1,null,null,null],"kept":1}',
    );
    expect(canonicalJson(value)).toBe(canonicalJson(JSON.parse(JSON.stringify(value))));
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('refuses what JSON cannot carry rather than inventing an encoding', () => {
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
  });

  // Audit records written before this module existed must keep verifying: this is the encoding
  // and hash of one such record, as the kiosk's own encoder produced them.
  it('keeps the encoding the audit chain was written with', () => {
    const encoded = canonicalJson([
      'kiosk-audit-v1',
      7,
      '2025-04-01T00:00:00.000Z',
      'face.match',
      'ok',
      { score: 0.42, reasons: ['a', 'b'], nested: { z: 1, a: null } },
      null,
      'ab'.repeat(32),
    ]);
    expect(encoded).toBe(
      `["kiosk-audit-v1",7,"2025-04-01T00:00:00.000Z","face.match","ok",{"nested":{"a":null,"z":1},"reasons":["a","b"],"score":0.42},null,"${'ab'.repeat(32)}"]`,
    );
    expect(createHash('sha256').update(encoded).digest('hex')).toBe(
      'b0fa7a62c3dd44624f234831628d223e6882dd13a5437e7dfb410845612f3356',
    );
  });
});
