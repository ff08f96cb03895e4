/**
 * The kiosk's HTTPS client for the upstream qualification service: mutual TLS with the kiosk's
 * client certificate (see client-credentials.ts for why that is not the device key), keep-alive
 * connections, bounded time and size for every call, JSON only, and typed errors:
 *
 * | what happened                              | failure     | code                         |
 * |--------------------------------------------|-------------|------------------------------|
 * | 4xx with a problem document                | refused     | the problem's `code`         |
 * | 4xx without one                            | refused     | `http-<status>`              |
 * | 429                                        | refused     | `rate-limited`               |
 * | 5xx                                        | unreachable | `server-error-<status>`      |
 * | connection refused / reset                 | unreachable | `connection-refused` / `-reset` |
 * | name not resolved, network down            | unreachable | `dns-failed` / `network-unreachable` |
 * | TLS: either side's certificate not trusted | unreachable | `tls-failed`                 |
 * | 2xx that is not the expected JSON          | unreachable | `bad-response`               |
 * | answer over the size limit                 | unreachable | `response-too-large`         |
 * | no TLS connection in time / no answer      | timed-out   | `connect-timed-out` / `timed-out` |
 *
 * Retries (retry.ts) only where repeating is harmless: nonces, and registrations and consents,
 * which carry an Idempotency-Key so the upstream acts once. Qualification and access-log requests
 * spend a single-use nonce and are never repeated here.
 */
import { Agent } from 'node:https';
import { readAccessLog } from '@myna/protocol/routes/access-log.js';
import { recordConsents } from '@myna/protocol/routes/consents.js';
import { issueNonce } from '@myna/protocol/routes/nonces.js';
import { qualify } from '@myna/protocol/routes/qualifications.js';
import { registerInsuranceUse } from '@myna/protocol/routes/registrations.js';
import type { Route, RouteAnswer, RouteBody } from '@myna/protocol/routes/route.js';
import type { ConsentRecord } from '../../reception/ports.ts';
import { UpstreamError } from '../errors.ts';
import { type ClientCredentials, checkClientCredentials } from './client-credentials.ts';
import { exchange, type RawResponse, type TransportLimits } from './http-transport.ts';
import { isMediaType, responseError } from './problem.ts';
import { DEFAULT_RETRY, parseRetryAfter, type RetryHooks, type RetryPolicy, withRetries } from './retry.ts';

export interface UpstreamClientOptions {
  /** e.g. https://upstream.example.jp:8443 (a path prefix is kept). */
  baseUrl: string | URL;
  credentials: ClientCredentials;
  connectTimeoutMs?: number;
  totalTimeoutMs?: number;
  maxResponseBytes?: number;
  /** Connections kept open to the upstream at most (default 8). */
  maxSockets?: number;
  /**
   * An idle kept-alive connection is closed after this long (default 15 s), well before the server
   * would close it, so a request that may not be repeated is not written into a dying connection.
   */
  idleSocketMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Injected in tests: waits between retries, the jitter source, and a look at each retry. */
  sleep?: RetryHooks['sleep'];
  random?: RetryHooks['random'];
  onRetry?: RetryHooks['onRetry'];
  now?: () => Date;
}

export const DEFAULT_LIMITS: TransportLimits = {
  connectTimeoutMs: 3_000,
  totalTimeoutMs: 10_000,
  maxResponseBytes: 1024 * 1024,
};

export type IssuedNonce = RouteAnswer<typeof issueNonce>;
export type QualificationAnswer = RouteAnswer<typeof qualify>;
export type RegistrationAnswer = RouteAnswer<typeof registerInsuranceUse>;
export type ConsentAnswer = RouteAnswer<typeof recordConsents>;
export type AccessLogAnswer = RouteAnswer<typeof readAccessLog>;

/** The routes the kiosk calls, and which of them are safe to send again after a failure that may or may not have reached the upstream. */
const ROUTES = {
  nonce: { route: issueNonce, repeatable: true },
  qualify: { route: qualify, repeatable: false },
  register: { route: registerInsuranceUse, repeatable: true },
  consents: { route: recordConsents, repeatable: true },
  accessLog: { route: readAccessLog, repeatable: false },
} as const satisfies Record<string, { route: Route; repeatable: boolean }>;

export class UpstreamClient {
  private readonly agent: Agent;
  private readonly base: URL;
  private readonly limits: TransportLimits;
  private readonly policy: RetryPolicy;
  private readonly hooks: RetryHooks;
  private readonly now: () => Date;

  constructor(options: UpstreamClientOptions) {
    checkClientCredentials(options.credentials);
    this.base = new URL(options.baseUrl);
    if (this.base.protocol !== 'https:')
      throw new TypeError(`the upstream URL must be https:// (mutual TLS), not ${this.base.protocol}`);
    this.limits = {
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_LIMITS.connectTimeoutMs,
      totalTimeoutMs: options.totalTimeoutMs ?? DEFAULT_LIMITS.totalTimeoutMs,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_LIMITS.maxResponseBytes,
    };
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.hooks = {
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      random: options.random ?? Math.random,
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    };
    this.now = options.now ?? (() => new Date());
    const { ca, cert, key } = options.credentials;
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: options.maxSockets ?? 8,
      timeout: options.idleSocketMs ?? 15_000,
      ca,
      cert,
      key,
      minVersion: 'TLSv1.2',
    });
  }

  /** POST /v1/nonces: one single-use nonce for the next signed request. */
  nonce(): Promise<IssuedNonce> {
    return this.call(ROUTES.nonce, undefined);
  }

  /** POST /v1/qualifications { jws }: sent once; a failed try needs a fresh nonce and signature. */
  qualify(jws: string): Promise<QualificationAnswer> {
    return this.call(ROUTES.qualify, { jws });
  }

  /** POST /v1/registrations: 健康保険証利用の申込 for the visit's patient, acted on once per key. */
  register(visitId: string, idempotencyKey: string): Promise<RegistrationAnswer> {
    return this.call(ROUTES.register, { visitId }, idempotencyKey);
  }

  /** POST /v1/consents: the patient's answers, acted on once per key. */
  recordConsents(record: ConsentRecord, idempotencyKey: string): Promise<ConsentAnswer> {
    return this.call(ROUTES.consents, record, idempotencyKey);
  }

  /**
   * POST /v1/access-log { jws }: the patient's own access log, asked for with a card-signed request
   * (signAccessLogRequest) over a nonce; sent once.
   */
  accessLog(jws: string): Promise<AccessLogAnswer> {
    return this.call(ROUTES.accessLog, { jws });
  }

  /** Closes the kept-alive connections; calls in flight fail. */
  close(): void {
    this.agent.destroy();
  }

  private async call<R extends Route>(
    { route, repeatable }: { route: R; repeatable: boolean },
    body: RouteBody<R> | undefined,
    idempotencyKey?: string,
  ): Promise<RouteAnswer<R>> {
    const label = `${route.method} ${route.path}`;
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      'user-agent': 'myna-kiosk',
    };
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    const call = {
      label,
      method: route.method,
      url: this.urlOf(route.path),
      headers,
      body: body === undefined ? null : JSON.stringify(body),
    };
    const once = async () => this.answerOf(route, label, await exchange(this.agent, this.limits, call));
    if (!repeatable) return once();
    return withRetries(this.policy, this.hooks, once);
  }

  private answerOf<R extends Route>(route: R, label: string, response: RawResponse): RouteAnswer<R> {
    const contentType = response.headers['content-type'];
    if (response.status < 200 || response.status > 299) {
      const retryAfter = response.headers['retry-after'];
      throw responseError(
        label,
        response.status,
        contentType,
        response.body,
        parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, this.now()),
      );
    }
    if (!isMediaType(contentType, 'application/json'))
      throw badResponse(label, `content type ${JSON.stringify(contentType ?? 'none')}, not JSON`);
    let json: unknown;
    try {
      json = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw badResponse(label, 'the body is not JSON');
    }
    const parsed = route.answer.safeParse(json);
    if (!parsed.success) {
      // Where the answer differs, never what it says: it may carry a patient's details.
      const where = parsed.error.issues
        .slice(0, 3)
        .map((issue) => issue.path.join('.') || 'body')
        .join(', ');
      throw badResponse(label, `the answer does not have the expected shape at ${where}`);
    }
    return parsed.data as RouteAnswer<R>;
  }

  private urlOf(path: string): URL {
    const url = new URL(this.base);
    url.pathname = `${this.base.pathname.replace(/\/+$/, '')}${path}`;
    url.search = '';
    return url;
  }
}

function badResponse(label: string, why: string): UpstreamError {
  return new UpstreamError('unreachable', 'bad-response', `${label}: ${why} (bad-response)`);
}
