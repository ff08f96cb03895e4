/**
 * One HTTPS exchange with the upstream, bounded in every direction a slow or broken peer could
 * stretch it: time to a connection (TCP and the TLS handshake with our client certificate), time to
 * the whole answer, and size of the answer. Network failures come out as UpstreamError
 * `unreachable` or `timed-out` with a stable code; what an HTTP status means is decided by the caller.
 */

import type { IncomingHttpHeaders } from 'node:http';
import { type Agent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { UpstreamError } from '../errors.ts';
import type { CallLabel } from './problem.ts';

export interface TransportLimits {
  /** TCP connect plus TLS handshake, for a new connection (a reused one has none). */
  connectTimeoutMs: number;
  /** From the request's start to the last byte of the answer. */
  totalTimeoutMs: number;
  /** Larger answers are cut off: nothing the kiosk asks for is anywhere near this. */
  maxResponseBytes: number;
}

export interface Exchange {
  label: CallLabel;
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  /** Already serialised JSON, or null for no body. */
  body: string | null;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export function exchange(agent: Agent, limits: TransportLimits, call: Exchange): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    const headers: Record<string, string> = { ...call.headers };
    if (call.body !== null) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(call.body));
    }
    const req = httpsRequest(call.url, { method: call.method, agent, headers });
    let connectTimer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (error: Error | null, response?: RawResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(totalTimer);
      clearTimeout(connectTimer);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(response!);
    };
    const totalTimer = setTimeout(
      () =>
        finish(
          new UpstreamError(
            'timed-out',
            'timed-out',
            `${call.label}: no complete answer within ${limits.totalTimeoutMs} ms (timed-out)`,
          ),
        ),
      limits.totalTimeoutMs,
    );

    req.on('socket', (socket: Socket) => {
      if (req.reusedSocket) return;
      connectTimer = setTimeout(
        () =>
          finish(
            new UpstreamError(
              'timed-out',
              'connect-timed-out',
              `${call.label}: no TLS connection to ${call.url.host} within ${limits.connectTimeoutMs} ms (connect-timed-out)`,
            ),
          ),
        limits.connectTimeoutMs,
      );
      socket.once('secureConnect', () => clearTimeout(connectTimer));
    });
    req.on('error', (error) => finish(networkError(call, error)));
    req.on('response', (res) => {
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > limits.maxResponseBytes) {
        finish(tooLarge(call, limits));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxResponseBytes) finish(tooLarge(call, limits));
        else chunks.push(chunk);
      });
      res.on('end', () =>
        finish(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', (error) => finish(networkError(call, error)));
    });
    req.end(call.body ?? undefined);
  });
}

function tooLarge(call: Exchange, limits: TransportLimits): UpstreamError {
  return new UpstreamError(
    'unreachable',
    'response-too-large',
    `${call.label}: the answer is larger than ${limits.maxResponseBytes} bytes (response-too-large)`,
  );
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection-refused',
  ECONNRESET: 'connection-reset',
  EPIPE: 'connection-reset',
  ECONNABORTED: 'connection-reset',
  ENOTFOUND: 'dns-failed',
  EAI_AGAIN: 'dns-failed',
  EHOSTUNREACH: 'network-unreachable',
  ENETUNREACH: 'network-unreachable',
  ETIMEDOUT: 'connect-timed-out',
};

/**
 * Node names TLS failures by OpenSSL's verify codes (CERT_HAS_EXPIRED, …) or ERR_SSL_* / ERR_TLS_*;
 * all of them mean the two ends do not trust each other, which a retry does not change.
 */
function isTlsFailure(code: string): boolean {
  return (
    code.startsWith('ERR_SSL_') ||
    code.startsWith('ERR_TLS_') ||
    code.includes('CERT') ||
    code.includes('SIGNATURE') ||
    code.includes('ISSUER')
  );
}

function networkError(call: Exchange, error: Error): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const errno = String((error as NodeJS.ErrnoException).code ?? '');
  const mapped = NETWORK_CODES[errno];
  if (mapped === 'connect-timed-out')
    return new UpstreamError(
      'timed-out',
      mapped,
      `${call.label}: connecting to ${call.url.host} timed out (${mapped})`,
      {
        cause: error,
      },
    );
  const code = mapped ?? (isTlsFailure(errno) ? 'tls-failed' : 'network-failed');
  return new UpstreamError(
    'unreachable',
    code,
    `${call.label}: ${call.url.host} ${describe(code)} (${code}: ${errno || error.message})`,
    { cause: error },
  );
}

function describe(code: string): string {
  switch (code) {
    case 'connection-refused':
      return 'refused the connection';
    case 'connection-reset':
      return 'closed the connection before answering';
    case 'dns-failed':
      return 'could not be resolved';
    case 'network-unreachable':
      return 'cannot be reached from this network';
    case 'tls-failed':
      return 'and this kiosk do not accept each other’s TLS certificates';
    default:
      return 'could not be reached';
  }
}
