/**
 * Idempotency-Key handling for the writes a kiosk may have to resend (its outbox retries after a
 * lost answer): the first answer for a key is stored with the write, in one transaction, and every
 * later request with that key gets the same answer back without doing the write again.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '@myna/protocol/canonical-json.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UniqueViolationError } from '../db/sql-database.ts';
import type { UpstreamRepository } from '../store/upstream-repository.ts';
import { Problem } from './problem.ts';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export interface Answer {
  status: number;
  body: unknown;
}

export async function answerOnce(
  request: FastifyRequest,
  reply: FastifyReply,
  scope: { repo: UpstreamRepository; client: string; endpoint: string; now: Date },
  work: (tx: UpstreamRepository) => Promise<Answer>,
): Promise<unknown> {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || !KEY_PATTERN.test(key))
    throw new Problem('idempotency-key-missing', 'send Idempotency-Key: 1 to 255 visible ASCII characters');
  const requestSha256 = createHash('sha256').update(canonicalJson(request.body)).digest('hex');
  const { repo, client, endpoint } = scope;

  const replay = async () => {
    const stored = await repo.storedAnswer(client, endpoint, key);
    if (!stored) return undefined;
    if (stored.requestSha256 !== requestSha256)
      throw new Problem(
        'idempotency-key-reused',
        'this key came with a different body before; use a new key',
      );
    reply.header('idempotent-replayed', 'true');
    return reply.status(stored.status).send(stored.body);
  };

  const earlier = await replay();
  if (earlier !== undefined) return earlier;
  try {
    const answer = await repo.transaction(async (tx) => {
      const result = await work(tx);
      await tx.storeAnswer(client, endpoint, key, { requestSha256, ...result }, scope.now.toISOString());
      return result;
    });
    return reply.status(answer.status).send(answer.body);
  } catch (error) {
    // A concurrent request with the same key committed first: its answer is the answer.
    if (error instanceof UniqueViolationError) {
      const stored = await replay();
      if (stored !== undefined) return stored;
    }
    throw error;
  }
}
