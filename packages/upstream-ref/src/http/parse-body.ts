import type { z } from 'zod';
import { Problem } from './problem.ts';

/** The body as `schema` wants it, or a malformed-request naming the fields and rules (never values). */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
    return `${where}: ${issue.code === 'unrecognized_keys' ? 'unexpected member' : issue.message}`;
  });
  throw new Problem('malformed-request', problems.join('; '));
}
