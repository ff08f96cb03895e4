/**
 * The upstream's refusals on the wire: whatever failed, a handler's Problem, a body the route's
 * schema refused, or Fastify's own parsing, the answer is the problem document of the protocol's
 * table (@myna/protocol/problem.js), never Fastify's own error shape.
 */
import { PROBLEM_CONTENT_TYPE, Problem } from '@myna/protocol/problem.js';
import type { FastifyError, FastifyReply, FastifySchemaValidationError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.statusCode).type(PROBLEM_CONTENT_TYPE).send(problem.document());
}

export function asProblem(error: FastifyError | Problem): Problem {
  if (error instanceof Problem) return error;
  if (hasZodFastifySchemaValidationErrors(error))
    return new Problem('malformed-request', validationDetail(error.validation, error.validationContext));
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem('body-too-large', 'the body is larger than this endpoint accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem('unsupported-media-type', 'send the body as application/json');
  }
  const status = error.statusCode ?? 500;
  if (status === 413) return new Problem('body-too-large', 'the body is larger than this endpoint accepts');
  if (status === 415) return new Problem('unsupported-media-type', 'send the body as application/json');
  if (status >= 400 && status < 500) return new Problem('malformed-request', 'the body is not valid JSON');
  return new Problem('internal-error', 'the upstream failed; the request may be retried');
}

/** The fields and rules a request broke, never the values it sent. */
function validationDetail(issues: FastifySchemaValidationError[], context: string | undefined): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.instancePath.split('/').filter(Boolean).join('.') || (context ?? 'body');
      if (issue.keyword !== 'unrecognized_keys') return `${where}: ${issue.message}`;
      return `${where}: unexpected member ${(issue.params.keys as string[]).join(', ')}`;
    })
    .join('; ');
}
