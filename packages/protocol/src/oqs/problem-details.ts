/**
 * Errors of the local API as RFC 9457 problem details. `type` and `code` are stable: reception systems
 * branch on them, while `title` and `detail` are for the person reading a log.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const PROBLEMS = {
  unauthorized: { status: 401, title: 'A valid bearer token is required' },
  'invalid-query': { status: 400, title: 'The query is not valid' },
  'bad-request': { status: 400, title: 'The request is not valid' },
  'result-not-found': { status: 404, title: 'No such result (it may have expired)' },
  'not-found': { status: 404, title: 'No such resource' },
  internal: { status: 500, title: 'The kiosk could not answer' },
} as const;

export type ProblemCode = keyof typeof PROBLEMS;

export interface Problem {
  type: string;
  code: ProblemCode;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
}

export function problemType(code: ProblemCode): string {
  return `urn:myna-kiosk:problem:${code}`;
}

export function problem(code: ProblemCode, detail?: string, instance?: string): Problem {
  const { status, title } = PROBLEMS[code];
  return {
    type: problemType(code),
    code,
    title,
    status,
    ...(detail === undefined ? {} : { detail }),
    ...(instance === undefined ? {} : { instance }),
  };
}
