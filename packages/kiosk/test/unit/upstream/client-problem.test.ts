import { describe, expect, it } from 'vitest';
import { parseProblem, responseError } from '../../../src/upstream/client/problem.ts';
import { isRefusal } from '../../../src/upstream/errors.ts';

const PROBLEM = 'application/problem+json; charset=utf-8';
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const visitUnknown = {
  type: 'https://upstream.example/problems/visit-unknown',
  title: 'No such visit for this kiosk',
  status: 404,
  code: 'visit-unknown',
  detail: 'no such visit for this kiosk',
};

describe('parseProblem', () => {
  it('reads an RFC 9457 document with its code', () => {
    expect(parseProblem(PROBLEM, json(visitUnknown))).toEqual(visitUnknown);
    expect(parseProblem('application/json', json({ code: 'rate-limited' }))).toEqual({
      type: null,
      title: null,
      status: null,
      code: 'rate-limited',
      detail: null,
    });
  });

  it('trusts nothing that is not a problem document with a code-shaped code', () => {
    expect(parseProblem('text/html', Buffer.from('<h1>502 Bad Gateway</h1>'))).toBeNull();
    expect(parseProblem(PROBLEM, Buffer.from('{"code":'))).toBeNull();
    expect(parseProblem(PROBLEM, json({ title: 'no code' }))).toBeNull();
    expect(parseProblem(PROBLEM, json({ code: 'Not A Code' }))).toBeNull();
    expect(parseProblem(PROBLEM, json(['visit-unknown']))).toBeNull();
    expect(parseProblem(undefined, json(visitUnknown))).toBeNull();
  });
});

describe('responseError', () => {
  it('turns a 4xx problem into a refusal with its code and status', () => {
    const error = responseError('POST /v1/registrations', 404, PROBLEM, json(visitUnknown), null);
    expect(isRefusal(error)).toBe(true);
    expect(error).toMatchObject({ failure: 'refused', code: 'visit-unknown', status: 404 });
    expect(error.problem?.detail).toBe('no such visit for this kiosk');
    expect(error.message).toBe(
      'POST /v1/registrations: refused with 404 visit-unknown (no such visit for this kiosk)',
    );
  });

  it('names a 4xx without a problem document by its status, and a 429 rate-limited', () => {
    expect(responseError('GET /x', 400, 'text/plain', Buffer.from('bad'), null)).toMatchObject({
      failure: 'refused',
      code: 'http-400',
      problem: null,
    });
    expect(responseError('GET /x', 429, 'text/plain', Buffer.from(''), 2_000)).toMatchObject({
      failure: 'refused',
      code: 'rate-limited',
      retryAfterMs: 2_000,
    });
  });

  it('treats a 5xx as the upstream not heard, even with a problem document', () => {
    const body = json({
      ...visitUnknown,
      status: 500,
      code: 'internal-error',
      detail: 'the upstream failed',
    });
    const error = responseError('POST /v1/consents', 500, PROBLEM, body, null);
    expect(isRefusal(error)).toBe(false);
    expect(error).toMatchObject({ failure: 'unreachable', code: 'server-error-500', status: 500 });
    expect(error.problem?.code).toBe('internal-error');
    expect(responseError('GET /x', 503, undefined, Buffer.from(''), null).code).toBe('server-error-503');
  });

  it('calls any other status unexpected', () => {
    expect(responseError('GET /x', 302, undefined, Buffer.from(''), null)).toMatchObject({
      failure: 'unreachable',
      code: 'unexpected-status-302',
    });
  });

  it('keeps the upstream’s detail to one printable, bounded line', () => {
    const detail = `line one\r\nline two\u0007${'x'.repeat(500)}`;
    const { message } = responseError('POST /v1/consents', 400, PROBLEM, json({ code: 'bad', detail }), null);
    expect(message).not.toMatch(/\p{Cc}/u);
    expect(message).toContain('line one line two ');
    expect(message.length).toBeLessThan(240);
  });
});
