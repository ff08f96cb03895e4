import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/http/idempotency.ts';
import { PROBLEM_TYPE_BASE, PROBLEMS, Problem } from '../../src/http/problem.ts';

describe('Problem', () => {
  it('is an RFC 9457 document with a stable code', () => {
    const problem = new Problem('nonce-replayed', 'a nonce is good for one request');
    expect(problem.statusCode).toBe(409);
    expect(problem.document()).toEqual({
      type: `${PROBLEM_TYPE_BASE}nonce-replayed`,
      title: PROBLEMS['nonce-replayed'].title,
      status: 409,
      code: 'nonce-replayed',
      detail: 'a nonce is good for one request',
    });
  });

  it('gives every code an error status', () => {
    for (const [code, { status }] of Object.entries(PROBLEMS)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
    }
  });
});

describe('canonicalJson', () => {
  it('is the same for the same body whatever the member order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { e: 3, f: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('tells different bodies apart', () => {
    expect(canonicalJson({ visitId: 'a' })).not.toBe(canonicalJson({ visitId: 'b' }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(canonicalJson(undefined)).toBe('null');
  });
});
