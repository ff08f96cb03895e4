/**
 * The kiosk's upstream client against the reference upstream (src/server) over HTTPS with client
 * certificates on loopback: the PIN path signed on the virtual card, refusals with the server's own
 * codes, idempotent writes resent through a proxy that loses answers, an upstream that is down,
 * silent or too slow, rate limiting, and the outbox delivering across a kiosk restart.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer, request as httpsRequest, type Server } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeOnDatabases } from '@myna/devtools/test-support/postgres.js';
import {
  accessLogRequestFromVirtualCard,
  pinRequest,
  pinRequestFromVirtualCard,
  testPerson,
  upstreamClient,
} from '@myna/devtools/test-support/upstream-pki.js';
import { simulatorCards } from '@myna/devtools/upstream/simulator-cards.js';
import { openDatabase } from '@myna/upstream-ref/db/open-database.js';
import type { SqlDatabase } from '@myna/upstream-ref/db/sql-database.js';
import { loadUpstreamPki } from '@myna/upstream-ref/pki/upstream-pki.js';
import { type RunningUpstream, startUpstream } from '@myna/upstream-ref/start-upstream.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { storeRecorder } from '../../src/reception/store-recorder.ts';
import {
  exportAudit,
  getOutboxItem,
  OutboxWorker,
  openStore,
  pendingCount,
  type Store,
  verifyAudit,
} from '../../src/store/index.ts';
import { auditSettledRefusal, outboxDelivery } from '../../src/upstream/client/outbox-delivery.ts';
import { receptionUpstream } from '../../src/upstream/client/reception-upstream.ts';
import { UpstreamClient, type UpstreamClientOptions } from '../../src/upstream/client/upstream-client.ts';
import { UpstreamError } from '../../src/upstream/errors.ts';

const KIOSK = 'kiosk-client-0001';
const work = mkdtempSync(join(tmpdir(), 'upstream-client-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Retry {
  attempt: number;
  delayMs: number;
  code: string;
}

/** A client for `url` with the kiosk's certificates, quick retries, and each retry written down. */
function kioskClient(
  upstream: Pick<RunningUpstream, 'pki'>,
  url: string,
  options: Partial<UpstreamClientOptions> = {},
): { client: UpstreamClient; retries: Retry[] } {
  const pair = upstream.pki.kioskClient(KIOSK);
  const retries: Retry[] = [];
  const client = new UpstreamClient({
    baseUrl: url,
    credentials: { ca: upstream.pki.ca.certPem, cert: pair.certPem, key: pair.keyPem },
    retry: { baseMs: 10, maxMs: 40 },
    onRetry: ({ attempt, delayMs, error }) => void retries.push({ attempt, delayMs, code: error.code }),
    ...options,
  });
  return { client, retries };
}

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => expect.fail('expected the call to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

function listening<S extends NetServer | Server>(server: S): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

function closed(server: NetServer | Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describeOnDatabases('upstream client', (backend) => {
  let db: SqlDatabase;
  let upstream: RunningUpstream;
  let client: UpstreamClient;
  let retries: Retry[];

  beforeAll(async () => {
    db = await openDatabase(await backend.freshUrl());
    upstream = await startUpstream({ ...simulatorCards(), db });
    ({ client, retries } = kioskClient(upstream, upstream.url));
  });
  afterAll(async () => {
    client?.close();
    await upstream?.close();
    await db?.close();
  });
  afterEach(() => {
    retries.length = 0;
  });

  it('verifies the PIN path end to end: a nonce, a request signed on the virtual card, the qualification', async () => {
    const person = testPerson('middle-aged');
    const port = receptionUpstream(client);
    const nonce = await port.nonce();
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const visit = await port.verify(await pinRequestFromVirtualCard(person, nonce, KIOSK));
    expect(visit.visitId).toMatch(/^[0-9a-f-]{36}$/);
    expect(visit.personRef).toMatch(/^p-[0-9a-f]{20}$/);
    expect(visit.qualification).toEqual({
      displayName: person.name,
      birthDate: '1970-05-20',
      registered: true,
    });
    expect(visit.document.MessageHeader.ArbitraryFileIdentifier).toBe(visit.visitId);
    expect(visit.document.MessageBody.QualificationValidity).toBe('1');
    expect(await upstream.repository.visit(visit.visitId)).toMatchObject({ kioskId: KIOSK, method: 'pin' });
  });

  it('maps a replayed nonce to a refusal with the server’s code and status, and does not retry it', async () => {
    const jws = await pinRequest(testPerson('elderly'), (await client.nonce()).nonce, KIOSK);
    await client.qualify(jws);
    const error = await failure(client.qualify(jws));
    expect(error).toMatchObject({ failure: 'refused', code: 'nonce-replayed', status: 409 });
    expect(error.message).toContain('POST /v1/qualifications');
    expect(error.message).not.toContain(jws.split('.')[2]!);
    expect(retries).toEqual([]);
  });

  it('registers and records consents once per idempotency key', async () => {
    const first = await client.qualify(
      await pinRequest(testPerson('long-address'), (await client.nonce()).nonce, KIOSK),
    );
    expect(first.insuranceUseRegistered).toBe(false);
    const key = randomUUID();
    const registered = await client.register(first.visitId, key);
    expect(await client.register(first.visitId, key)).toEqual(registered);

    const record = {
      visitId: first.visitId,
      items: [
        { item: 'medication' as const, agreed: true, at: new Date().toISOString() },
        { item: 'checkup' as const, agreed: false, at: new Date().toISOString() },
      ],
    };
    const consentKey = randomUUID();
    const answer = await client.recordConsents(record, consentKey);
    expect(answer.consents.map((c) => [c.item, c.agreed])).toEqual([
      ['medication', true],
      ['checkup', false],
    ]);
    expect(answer.qualification.MessageBody.ResultList?.ResultOfQualificationConfirmation[0]).toMatchObject({
      PharmacistsInfoConsFlg: '1',
    });
    expect(await client.recordConsents(record, consentKey)).toEqual(answer);
    expect(await consentRows(db, first.visitId)).toBe(2);

    const reused = await failure(
      client.recordConsents({ ...record, items: record.items.slice(0, 1) }, consentKey),
    );
    expect(reused).toMatchObject({ failure: 'refused', code: 'idempotency-key-reused', status: 422 });
    const unknown = await failure(client.register(randomUUID(), randomUUID()));
    expect(unknown).toMatchObject({ failure: 'refused', code: 'visit-unknown', status: 404 });
    expect(retries).toEqual([]);
  });

  it('shows the patient their access log, asked for with a request signed on the virtual card', async () => {
    const person = testPerson('young-rare-kanji');
    const visit = await client.qualify(
      await pinRequestFromVirtualCard(person, (await client.nonce()).nonce, KIOSK),
    );
    await client.recordConsents(
      { visitId: visit.visitId, items: [{ item: 'medication', agreed: true, at: new Date().toISOString() }] },
      randomUUID(),
    );
    const doctor = upstreamClient(upstream, upstream.pki.staffClient('dr-client-log', 'doctor'));
    const clerk = upstreamClient(upstream, upstream.pki.staffClient('clerk-client-log', 'clerk'));
    expect((await doctor.get(`/v1/persons/${visit.personRef}/medications`)).status).toBe(200);
    expect((await clerk.get(`/v1/persons/${visit.personRef}/medications`)).status).toBe(403);
    expect((await doctor.get(`/v1/persons/${visit.personRef}/checkups`)).status).toBe(403);

    const jws = await accessLogRequestFromVirtualCard(person, (await client.nonce()).nonce, KIOSK);
    const log = await client.accessLog(jws);
    expect(log.personRef).toBe(visit.personRef);
    expect(log.entries.map((e) => [e.role, e.resource, e.granted, e.outcome])).toEqual([
      ['doctor', 'medications', true, 'granted'],
      ['clerk', 'medications', false, 'role-not-qualified'],
      ['doctor', 'checkups', false, 'consent-missing'],
    ]);
    expect(log.entries[0]!.accessor).toContain('CN=dr-client-log');
    expect(log.entries[1]!.accessor).toContain('CN=clerk-client-log');

    // Spent on the log: the same request is not answered twice, and is no qualification either.
    expect(await failure(client.accessLog(jws))).toMatchObject({
      failure: 'refused',
      code: 'nonce-replayed',
    });
    const asQualification = await accessLogRequestFromVirtualCard(
      person,
      (await client.nonce()).nonce,
      KIOSK,
    );
    expect(await failure(client.qualify(asQualification))).toMatchObject({
      failure: 'refused',
      code: 'malformed-request',
      status: 400,
    });
    expect(retries).toEqual([]);
  });
});

async function consentRows(db: SqlDatabase, visitId: string): Promise<number> {
  const row = await db.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM consents WHERE visit_id = ?', [
    visitId,
  ]);
  return Number(row?.n);
}

/** What the proxy saw of one request, and what the upstream answered it. */
interface Forwarded {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  status: number;
  replayed: boolean;
}

/**
 * A TLS-terminating proxy in front of the upstream (with the upstream's own server certificate, so
 * the kiosk trusts it): it forwards every request with the kiosk's certificate, writes it down, and
 * where `lose` says so cuts the kiosk's connection after the upstream has acted: an answer lost.
 */
async function startProxy(upstream: RunningUpstream, lose: (request: Forwarded, index: number) => boolean) {
  const pair = upstream.pki.kioskClient(KIOSK);
  const seen: Forwarded[] = [];
  const server = createHttpsServer(
    { key: upstream.pki.server.keyPem, cert: upstream.pki.server.certPem },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const headers: Record<string, string> = {};
        for (const name of ['content-type', 'idempotency-key', 'accept'])
          if (typeof req.headers[name] === 'string') headers[name] = req.headers[name];
        const forward = httpsRequest(
          new URL(req.url ?? '/', upstream.url),
          {
            method: req.method,
            headers,
            ca: upstream.pki.ca.certPem,
            cert: pair.certPem,
            key: pair.keyPem,
            agent: false,
          },
          (answer) => {
            const body: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => body.push(chunk));
            answer.on('end', () => {
              const record: Forwarded = {
                method: req.method ?? '',
                path: req.url ?? '',
                idempotencyKey: headers['idempotency-key'],
                status: answer.statusCode ?? 0,
                replayed: answer.headers['idempotent-replayed'] === 'true',
              };
              seen.push(record);
              if (lose(record, seen.filter((s) => s.path === record.path).length)) {
                req.socket.destroy();
                return;
              }
              res.writeHead(record.status, {
                'content-type': answer.headers['content-type'] ?? 'text/plain',
              });
              res.end(Buffer.concat(body));
            });
          },
        );
        forward.on('error', () => req.socket.destroy());
        forward.end(Buffer.concat(chunks));
      });
    },
  );
  const port = await listening(server);
  return {
    url: `https://127.0.0.1:${port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      return closed(server);
    },
  };
}

describe('upstream client with answers lost on the way (SQLite)', () => {
  let db: SqlDatabase;
  let upstream: RunningUpstream;

  beforeAll(async () => {
    db = await openDatabase('sqlite::memory:');
    upstream = await startUpstream({ ...simulatorCards(), db });
  });
  afterAll(async () => {
    await upstream?.close();
    await db?.close();
  });

  it('never resends a qualification: the flow gets the failure and asks for a new nonce', async () => {
    const proxy = await startProxy(upstream, (r) => r.path === '/v1/qualifications');
    const { client, retries } = kioskClient(upstream, proxy.url);
    try {
      const jws = await pinRequest(testPerson('middle-aged'), (await client.nonce()).nonce, KIOSK);
      const error = await failure(client.qualify(jws));
      expect(error).toMatchObject({ failure: 'unreachable', code: 'connection-reset' });
      const qualifications = proxy.seen.filter((r) => r.path === '/v1/qualifications');
      // The upstream did act (its answer was lost), and the kiosk did not try again.
      expect(qualifications).toEqual([expect.objectContaining({ status: 200 })]);
      expect(retries).toEqual([]);
    } finally {
      client.close();
      await proxy.close();
    }
  });

  it('resends consents with the same Idempotency-Key until answered, and the upstream acts once', async () => {
    const direct = kioskClient(upstream, upstream.url).client;
    const visit = await direct.qualify(
      await pinRequest(testPerson('reiwa-child'), (await direct.nonce()).nonce, KIOSK),
    );
    direct.close();
    const proxy = await startProxy(upstream, (r, index) => r.path === '/v1/consents' && index <= 2);
    const { client, retries } = kioskClient(upstream, proxy.url);
    try {
      const record = {
        visitId: visit.visitId,
        items: [{ item: 'medication' as const, agreed: true, at: new Date().toISOString() }],
      };
      const key = randomUUID();
      const answer = await client.recordConsents(record, key);
      expect(answer.consents).toEqual([expect.objectContaining({ item: 'medication', agreed: true })]);
      const sent = proxy.seen.filter((r) => r.path === '/v1/consents');
      expect(sent.map((r) => [r.idempotencyKey, r.status, r.replayed])).toEqual([
        [key, 200, false],
        [key, 200, true],
        [key, 200, true],
      ]);
      expect(retries.map((r) => [r.attempt, r.code])).toEqual([
        [1, 'connection-reset'],
        [2, 'connection-reset'],
      ]);
      expect(await consentRows(db, visit.visitId)).toBe(1);
    } finally {
      client.close();
      await proxy.close();
    }
  });
});

describe('upstream client when the upstream cannot be heard', () => {
  let upstream: RunningUpstream;

  beforeAll(async () => {
    upstream = await startUpstream(simulatorCards());
  });
  afterAll(async () => {
    await upstream?.close();
  });

  it('calls a closed port unreachable, retries the nonce and not the qualification', async () => {
    const probe = createNetServer();
    const port = await listening(probe);
    await closed(probe);
    const { client, retries } = kioskClient(upstream, `https://127.0.0.1:${port}`);
    try {
      expect(await failure(client.nonce())).toMatchObject({
        failure: 'unreachable',
        code: 'connection-refused',
      });
      expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
      retries.length = 0;
      expect(await failure(client.qualify('a.b.c'))).toMatchObject({ code: 'connection-refused' });
      expect(retries).toEqual([]);
    } finally {
      client.close();
    }
  });

  it('gives up on a peer that accepts and stays silent once the connect time-out passes', async () => {
    const connections: Socket[] = [];
    const silent = createNetServer((socket) => void connections.push(socket));
    const port = await listening(silent);
    const { client, retries } = kioskClient(upstream, `https://127.0.0.1:${port}`, {
      connectTimeoutMs: 150,
      retry: { attempts: 2, baseMs: 10, maxMs: 10 },
    });
    try {
      const started = Date.now();
      expect(await failure(client.nonce())).toMatchObject({
        failure: 'timed-out',
        code: 'connect-timed-out',
      });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(connections).toHaveLength(2);
      expect(retries).toHaveLength(1);
      expect(await failure(client.qualify('a.b.c'))).toMatchObject({ code: 'connect-timed-out' });
      expect(connections).toHaveLength(3);
    } finally {
      client.close();
      for (const socket of connections) socket.destroy();
      await closed(silent);
    }
  });

  it('gives up on an upstream that takes the request and never answers', async () => {
    const requests: string[] = [];
    const mute = createHttpsServer(
      { key: upstream.pki.server.keyPem, cert: upstream.pki.server.certPem },
      (req) => void requests.push(`${req.method} ${req.url}`),
    );
    const port = await listening(mute);
    const { client } = kioskClient(upstream, `https://127.0.0.1:${port}`, { totalTimeoutMs: 300 });
    try {
      expect(await failure(client.qualify('a.b.c'))).toMatchObject({
        failure: 'timed-out',
        code: 'timed-out',
      });
      expect(requests).toEqual(['POST /v1/qualifications']);
    } finally {
      client.close();
      mute.closeAllConnections();
      await closed(mute);
    }
  });

  it('calls a server error unreachable and retries it only where the request may be repeated, and garbage not at all', async () => {
    const requests: string[] = [];
    const failing = createHttpsServer(
      { key: upstream.pki.server.keyPem, cert: upstream.pki.server.certPem },
      (req, res) => {
        requests.push(`${req.method} ${req.url}`);
        if (req.url === '/v1/nonces')
          res.writeHead(201, { 'content-type': 'text/html' }).end('<p>welcome</p>');
        else res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>Service Unavailable</h1>');
      },
    );
    const port = await listening(failing);
    const { client, retries } = kioskClient(upstream, `https://127.0.0.1:${port}`);
    try {
      expect(await failure(client.register(randomUUID(), randomUUID()))).toMatchObject({
        failure: 'unreachable',
        code: 'server-error-503',
        status: 503,
      });
      expect(retries).toHaveLength(2);
      expect(await failure(client.qualify('a.b.c'))).toMatchObject({ code: 'server-error-503' });
      // A success that is not JSON is an upstream that cannot be understood: not retried either.
      expect(await failure(client.nonce())).toMatchObject({ failure: 'unreachable', code: 'bad-response' });
      expect(requests).toEqual([
        ...Array(3).fill('POST /v1/registrations'),
        'POST /v1/qualifications',
        'POST /v1/nonces',
      ]);
    } finally {
      client.close();
      failing.closeAllConnections();
      await closed(failing);
    }
  });

  it('refuses to talk to a server its CA did not issue, without retrying', async () => {
    const foreign = loadUpstreamPki(mkdtempSync(join(work, 'foreign-pki-')));
    const impostor = createHttpsServer(
      { key: foreign.server.keyPem, cert: foreign.server.certPem },
      (_req, res) => res.writeHead(201, { 'content-type': 'application/json' }).end('{}'),
    );
    const port = await listening(impostor);
    const { client, retries } = kioskClient(upstream, `https://127.0.0.1:${port}`);
    try {
      expect(await failure(client.nonce())).toMatchObject({ failure: 'unreachable', code: 'tls-failed' });
      expect(retries).toEqual([]);
    } finally {
      client.close();
      impostor.closeAllConnections();
      await closed(impostor);
    }
  });

  it('cuts off an answer larger than the limit', async () => {
    const { client, retries } = kioskClient(upstream, upstream.url, { maxResponseBytes: 64 });
    try {
      expect(await failure(client.nonce())).toMatchObject({
        failure: 'unreachable',
        code: 'response-too-large',
      });
      expect(retries).toEqual([]);
    } finally {
      client.close();
    }
  });
});

describe('upstream client under rate limiting', () => {
  it('waits out a short Retry-After for a nonce and gives up on a long one', async () => {
    const brief = await startUpstream({ ...simulatorCards(), rateLimit: { max: 1, windowMs: 1_000 } });
    const long = await startUpstream({ ...simulatorCards(), rateLimit: { max: 1, windowMs: 60_000 } });
    const { client: patient, retries } = kioskClient(brief, brief.url);
    const { client: impatient, retries: none } = kioskClient(long, long.url);
    try {
      await patient.nonce();
      await patient.nonce();
      // The window may turn a moment after the Retry-After it announced: then one more wait.
      expect(retries.length).toBeGreaterThanOrEqual(1);
      for (const retry of retries) {
        expect(retry.code).toBe('rate-limited');
        expect(retry.delayMs).toBeGreaterThan(0);
        expect(retry.delayMs).toBeLessThanOrEqual(1_000);
      }

      await impatient.nonce();
      expect(await failure(impatient.nonce())).toMatchObject({
        failure: 'refused',
        code: 'rate-limited',
        status: 429,
      });
      expect(none).toEqual([]);
    } finally {
      patient.close();
      impatient.close();
      await brief.close();
      await long.close();
    }
  });
});

describe('outbox delivery through the worker, across a kiosk restart', () => {
  let upstream: RunningUpstream;
  const storePath = join(work, 'kiosk.db');

  beforeAll(async () => {
    upstream = await startUpstream(simulatorCards());
  });
  afterAll(async () => {
    await upstream?.close();
  });

  it('keeps what the upstream did not take, delivers it after the restart, and settles what it refuses', async () => {
    const direct = kioskClient(upstream, upstream.url).client;
    const person = testPerson('long-address');
    const visit = await direct.qualify(await pinRequest(person, (await direct.nonce()).nonce, KIOSK));
    expect(visit.insuranceUseRegistered).toBe(false);

    // Before the restart: the upstream cannot be reached, so both items stay pending.
    const probe = createNetServer();
    const deadPort = await listening(probe);
    await closed(probe);
    let store: Store = openStore(storePath);
    const recorder = storeRecorder({ store, publish: async () => {} });
    recorder.keepRegistration({ visitId: visit.visitId });
    recorder.keepConsents({
      visitId: visit.visitId,
      items: [{ item: 'medication', agreed: true, at: new Date().toISOString() }],
    });
    recorder.keepRegistration({ visitId: randomUUID() });
    const down = kioskClient(upstream, `https://127.0.0.1:${deadPort}`, { retry: { attempts: 1 } }).client;
    const before = new OutboxWorker({
      store,
      send: outboxDelivery(down, { onSettled: auditSettledRefusal(store) }),
    });
    expect(await before.runOnce()).toEqual({ delivered: 0, failed: 3 });
    expect(getOutboxItem(store, 1)?.lastError).toContain('connection-refused');
    down.close();
    store.close();

    // After the restart: a fresh store handle and a worker whose clock is past the back-off.
    store = openStore(storePath);
    expect(pendingCount(store)).toBe(3);
    const later = new Date(Date.now() + 3_600_000);
    const worker = new OutboxWorker({
      store,
      send: outboxDelivery(direct, { onSettled: auditSettledRefusal(store) }),
      clock: {
        now: () => later,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
      },
      pollMs: 20,
    });
    worker.start();
    try {
      for (let i = 0; i < 200 && pendingCount(store) > 0; i++) await new Promise((r) => setTimeout(r, 10));
    } finally {
      await worker.stop();
    }
    expect(pendingCount(store)).toBe(0);

    const again = await direct.qualify(await pinRequest(person, (await direct.nonce()).nonce, KIOSK));
    expect(again.insuranceUseRegistered).toBe(true);
    const latest = await upstream.repository.latestConsent(visit.personRef, 'medication');
    expect(latest).toMatchObject({ visitId: visit.visitId, agreed: true });

    const refusals = exportAudit(store).filter((r) => r.kind === 'outbox.refused');
    expect(refusals.map((r) => [r.outcome, r.data.itemKind, r.data.status, r.data.code])).toEqual([
      ['settled', 'insurance.register', 404, 'visit-unknown'],
    ]);
    expect(verifyAudit(store).ok).toBe(true);
    direct.close();
    store.close();
  });
});
