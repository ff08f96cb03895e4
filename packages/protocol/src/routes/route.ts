/**
 * One REST route of the reference upstream as both ends agree on it: the kiosk's client sends the
 * body and parses the answer with these schemas, the upstream validates the body and serialises the
 * answer with the same ones. A member added on one side without the other fails a test, not a visit.
 */
import { z } from 'zod';

export interface Route {
  readonly method: 'GET' | 'POST';
  /** Fastify's syntax: `:name` is a path parameter. */
  readonly path: string;
  readonly params?: z.ZodType;
  /** Undefined for a route that takes no body. */
  readonly body?: z.ZodType;
  /** The status of a success. */
  readonly status: number;
  readonly answer: z.ZodType;
}

export type RouteBody<R extends Route> = R['body'] extends z.ZodType ? z.input<R['body']> : never;
export type RouteAnswer<R extends Route> = z.output<R['answer']>;

export const visitIdSchema = z.uuid();
export const personRefSchema = z.string().min(1).max(128);
export const timestampSchema = z.iso.datetime({ offset: true });
