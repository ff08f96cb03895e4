import { describe, expect, it } from 'vitest';
import { PROBLEMS, Problem, problemDocument, receivedProblemSchema } from '../../src/problem.ts';

describe('Problem', () => {
  it('is an RFC 9457 document with a stable code and one type scheme', () => {
    const problem = new Problem('nonce-replayed', 'a nonce is good for one request');
    expect(problem.statusCode).toBe(409);
    expect(problem.document()).toEqual({
      type: 'urn:myna-kiosk:problem:nonce-replayed',
      title: PROBLEMS['nonce-replayed'].title,
      status: 409,
      code: 'nonce-replayed',
      detail: 'a nonce is good for one request',
    });
    expect(problemDocument('result-not-found', undefined, '/v1/results/x')).toEqual({
      type: 'urn:myna-kiosk:problem:result-not-found',
      title: PROBLEMS['result-not-found'].title,
      status: 404,
      code: 'result-not-found',
      instance: '/v1/results/x',
    });
  });

  it('gives every code an error status, and a document a client reads back', () => {
    for (const [code, { status }] of Object.entries(PROBLEMS)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
      const sent = new Problem(code as keyof typeof PROBLEMS, 'why').document();
      expect(receivedProblemSchema.parse(JSON.parse(JSON.stringify(sent)))).toEqual(sent);
    }
  });
});
