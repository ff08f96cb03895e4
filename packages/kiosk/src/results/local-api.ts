/**
 * Qualification results as JSON for reception systems on the kiosk's own machine: the same results
 * the result folder gets, for systems that would rather ask than poll a folder.
 *
 * Bound to 127.0.0.1 only and every request needs the bearer token. Fastify's logger stays off:
 * request logs would carry result ids and query times next to personal data.
 */

import { PROBLEM_CONTENT_TYPE, type ProblemCode, problemDocument } from '@myna/protocol/problem.js';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { z } from 'zod';
import { type ApiTokenSource, resolveApiToken, tokensMatch } from './api-token.ts';
import { LocalApiError } from './local-api-error.ts';
import type { ResultMemory } from './result-memory.ts';

export const LOCAL_API_HOST = '127.0.0.1';

export interface LocalApiOptions extends ApiTokenSource {
  memory: ResultMemory;
  /** 0 picks a free port (tests); the kiosk's configuration names a fixed one. */
  port?: number;
  /** How often expired results are dropped even when nobody asks. */
  purgeIntervalMs?: number;
}

export interface LocalApi {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

const sinceQuery = z.object({
  since: z.iso.datetime({ offset: true }).optional(),
});

function sendProblem(reply: FastifyReply, code: ProblemCode, detail?: string): FastifyReply {
  const body = problemDocument(code, detail, reply.request.url.split('?')[0]);
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** The app without a listener, so that tests can also drive it with inject(). */
export function buildLocalApiApp(memory: ResultMemory, token: string): FastifyInstance {
  const app = Fastify({ logger: false, return503OnClosing: true });

  app.addHook('onRequest', async (request, reply) => {
    const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(request.headers.authorization ?? '');
    if (match === null || !tokensMatch(match[1]!, token)) {
      reply.header('WWW-Authenticate', 'Bearer realm="kiosk-results"');
      return sendProblem(
        reply,
        'unauthorized',
        match === null
          ? 'send Authorization: Bearer <token> (the token is in the kiosk configuration or its token file)'
          : 'the bearer token is not the kiosk’s',
      );
    }
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Cache-Control', 'no-store');
    reply.header('X-Content-Type-Options', 'nosniff');
    return payload;
  });

  app.get('/v1/results', async (request, reply) => {
    const query = sinceQuery.safeParse(request.query);
    if (!query.success) {
      return sendProblem(
        reply,
        'invalid-query',
        'since must be an ISO 8601 date and time with a zone, e.g. 2025-04-01T09:30:00+09:00',
      );
    }
    const since = query.data.since === undefined ? undefined : Date.parse(query.data.since);
    return { results: memory.list(since) };
  });

  app.get<{ Params: { id: string } }>('/v1/results/:id', async (request, reply) => {
    const held = memory.get(request.params.id);
    if (held === undefined) {
      return sendProblem(
        reply,
        'result-not-found',
        'results are held for a limited time; an older one is in the result folder, if the EMR has not collected it',
      );
    }
    return held;
  });

  app.setNotFoundHandler((_request, reply) => sendProblem(reply, 'not-found'));

  app.setErrorHandler((error: { statusCode?: number }, _request, reply) => {
    const status = error.statusCode ?? 500;
    return sendProblem(reply, status >= 400 && status < 500 ? 'malformed-request' : 'internal-error');
  });

  return app;
}

/** Starts the API on 127.0.0.1; never on another address, whatever the configuration says. */
export async function startLocalApi(options: LocalApiOptions): Promise<LocalApi> {
  const token = await resolveApiToken(options);
  const app = buildLocalApiApp(options.memory, token);
  await listen(app, options.port ?? 0);
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const purge = setInterval(() => options.memory.purge(), options.purgeIntervalMs ?? 30_000);
  purge.unref();
  return {
    url: `http://${LOCAL_API_HOST}:${port}`,
    token,
    async close() {
      clearInterval(purge);
      await app.close();
    },
  };
}

async function listen(app: FastifyInstance, port: number): Promise<void> {
  try {
    await app.listen({ host: LOCAL_API_HOST, port });
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${LOCAL_API_HOST}:${port}`;
    const key = 'resultsApi.port in the kiosk config';
    throw code === 'EADDRINUSE'
      ? new LocalApiError(
          'port-in-use',
          `the local results API cannot listen on ${where}: another program (another kiosk?) uses port ${port}; stop it, or choose a free port as ${key}`,
          { cause: error },
        )
      : new LocalApiError(
          'port-unusable',
          `the local results API cannot listen on ${where} (${code ?? 'error'}): choose another port as ${key}`,
          { cause: error },
        );
  }
}
