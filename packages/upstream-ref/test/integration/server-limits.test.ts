/**
 * What the upstream refuses before any handler runs: oversized bodies, too many requests from one
 * client certificate, unknown paths, TLS clients without a certificate of the upstream CA, and
 * renegotiation.
 */
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { describeOnDatabases } from '@myna/devtools/test-support/postgres.js';
import { type ClientPair, upstreamClient } from '@myna/devtools/test-support/upstream-pki.js';
import { simulatorCards } from '@myna/devtools/upstream/simulator-cards.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { issueCertificate } from '../../src/pki/issue-certificate.ts';
import { type RunningUpstream, startUpstream } from '../../src/start-upstream.ts';

describeOnDatabases('limits and TLS', (backend) => {
  let upstream: RunningUpstream;

  beforeAll(async () => {
    upstream = await startUpstream({
      ...simulatorCards(),
      db: await backend.freshUrl(),
      rateLimit: { max: 5, windowMs: 60_000 },
    });
  });
  afterAll(async () => {
    await upstream?.close();
  });

  it('refuses a body over the endpoint’s limit with body-too-large', async () => {
    const kiosk = upstreamClient(upstream, upstream.pki.kioskClient('kiosk-l-0001'));
    const big = JSON.stringify({ jws: 'x'.repeat(100 * 1024) });
    const answer = await kiosk.send('POST', '/v1/qualifications', big);
    expect(answer.status).toBe(413);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.problem.code).toBe('body-too-large');

    const overNonce = await kiosk.send('POST', '/v1/nonces', JSON.stringify({ pad: 'y'.repeat(8 * 1024) }));
    expect(overNonce.problem.code).toBe('body-too-large');
  });

  it('limits each client certificate on its own and says so with rate-limited', async () => {
    const busy = upstreamClient(upstream, upstream.pki.kioskClient('kiosk-l-busy'));
    const calm = upstreamClient(upstream, upstream.pki.kioskClient('kiosk-l-calm'));
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await busy.post('/v1/nonces')).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    const limited = await busy.post('/v1/nonces');
    expect(limited.problem).toMatchObject({ code: 'rate-limited', status: 429 });
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await calm.post('/v1/nonces')).status).toBe(201);
  });

  it('answers an unknown path with a problem document', async () => {
    const staff = upstreamClient(upstream, upstream.pki.staffClient('dr-limits', 'doctor'));
    const answer = await staff.get('/v2/anything');
    expect(answer.status).toBe(404);
    expect(answer.problem.code).toBe('not-found');
  });

  it('does not complete TLS without a client certificate, or with one from another CA', async () => {
    await expect(handshake(undefined)).rejects.toThrow();
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const selfIssued = issueCertificate({
      profile: 'client',
      subject: [
        { name: 'OU', value: 'kiosk' },
        { name: 'CN', value: 'kiosk-l-0001' },
      ],
      publicKey: key,
      selfKey: key,
      notBefore: new Date('2024-01-01'),
      notAfter: new Date('2040-01-01'),
    });
    await expect(
      handshake({ keyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(), certPem: selfIssued }),
    ).rejects.toThrow();
    await expect(handshake(upstream.pki.kioskClient('kiosk-l-0001'))).resolves.toBe(201);
  });

  it('refuses to renegotiate, so a connection keeps the certificate it was opened with', async () => {
    const pair = upstream.pki.kioskClient('kiosk-l-0001');
    const url = new URL(upstream.url);
    const socket = tlsConnect({
      host: url.hostname,
      port: Number(url.port),
      ca: upstream.pki.ca.certPem,
      key: pair.keyPem,
      cert: pair.certPem,
      // TLS 1.3 has no renegotiation to refuse.
      maxVersion: 'TLSv1.2',
    });
    socket.on('error', () => undefined);
    try {
      await once(socket, 'secureConnect');
      // Read, or the handshake's answer and the close are never seen.
      socket.resume();
      const outcome = await new Promise<string>((resolve) => {
        socket.once('close', () => resolve('closed'));
        const started = socket.renegotiate({ rejectUnauthorized: true }, (error) =>
          resolve(error ? 'refused' : 'renegotiated'),
        );
        if (!started) resolve('refused');
      });
      expect(outcome).not.toBe('renegotiated');
    } finally {
      socket.destroy();
    }
  });

  function handshake(pair: ClientPair | undefined): Promise<number> {
    const url = new URL(upstream.url);
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/v1/nonces',
          ca: upstream.pki.ca.certPem,
          agent: false,
          ...(pair ? { key: pair.keyPem, cert: pair.certPem } : {}),
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }
});
