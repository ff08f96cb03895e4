/**
 * Idempotency-Key handling for the writes a kiosk may have to resend (its outbox retries after a
 * lost answer): the first answer for a key is stored with the write, in one transaction, and every
 * later request with that key gets the same answer back without doing the write again.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '@myna/protocol/canonical-json.js';
import { Problem } from '@myna/protocol/problem.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UniqueViolationError } from '../db/sql-database.ts';
import type { UpstreamRepository } from '../store/upstream-repository.ts';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export interface Answer<Body = unknown> {
  status: number;
  body: Body;
}

/**
 * The answer's body for the handler to return, its status already set on `reply`. `Body` is the
 * route's answer: a replayed one was stored by this route, so it is one too.
 */
export async function answerOnce<Body>(
  request: FastifyRequest,
  reply: FastifyReply,
  scope: { repo: UpstreamRepository; client: string; endpoint: string; now: Date },
  work: (tx: UpstreamRepository) => Promise<Answer<Body>>,
): Promise<Body> {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || !KEY_PATTERN.test(key))
    throw new Problem('idempotency-key-missing', 'send Idempotency-Key: 1 to 255 visible ASCII characters');
  const requestSha256 = createHash('sha256').update(canonicalJson(request.body)).digest('hex');
  const { repo, client, endpoint } = scope;

  const replay = async (): Promise<Answer<Body> | undefined> => {
    const stored = await repo.storedAnswer(client, endpoint, key);
    if (!stored) return undefined;
    if (stored.requestSha256 !== requestSha256)
      throw new Problem(
        'idempotency-key-reused',
        'this key came with a different body before; use a new key',
      );
    reply.header('idempotent-replayed', 'true');
    return { status: stored.status, body: stored.body as Body };
  };

  let answer = await replay();
  if (answer === undefined) {
    try {
      answer = await repo.transaction(async (tx) => {
        const result = await work(tx);
        await tx.storeAnswer(client, endpoint, key, { requestSha256, ...result }, scope.now.toISOString());
        return result;
      });
    } catch (error) {
      // A concurrent request with the same key committed first: its answer is the answer.
      answer = error instanceof UniqueViolationError ? await replay() : undefined;
      if (answer === undefined) throw error;
    }
  }
  reply.status(answer.status);
  return answer.body;
}
