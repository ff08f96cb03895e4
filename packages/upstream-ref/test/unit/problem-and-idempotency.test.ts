import { describe, expect, it } from 'vitest';
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
