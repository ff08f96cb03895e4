/**
 * Upstream benchmark: prints one JSON document with signed PIN-path verifications per second and
 * their latency at the reference upstream (src/server), on SQLite and on PostgreSQL, against the
 * target of 3,000 verifications a second with p99 ≤ 20 ms on 2 cores.
 *
 * The upstream runs in a child process (its own event loop, as deployed) on loopback HTTPS with
 * client certificates; this process is the load generator: the kiosk's UpstreamClient over
 * kept-alive connections, a fixed number of requests in flight, a fixed count of requests. Two
 * loads, because a nonce is single-use:
 * - verification: nonces fetched and requests signed before the clock starts, so the timed part
 *   is the upstream's work alone for POST /v1/qualifications;
 * - pair: what one patient costs end to end: POST /v1/nonces, the card's signature (node:crypto
 *   with the card key from the test PKI: on the virtual card it is the same host RSA), then POST
 *   /v1/qualifications. The signing shares the machine's cores with the upstream.
 *
 * And a ceiling for both: the same load against a bare node:https server with the same TLS set-up
 * that answers every POST with a stored qualification answer, so what TLS, HTTP and the client cost
 * on this machine is measured beside what the upstream adds, with one RSA-2048 verification's time.
 *
 *   npm run bench:upstream      (COUNT=N verifications, CONCURRENCY=N in flight)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { constants, sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { peopleFile } from '@myna/card-sim/people.js';
import { loadPerson } from '@myna/card-sim/person.js';
import { loadTestPki, personKeys } from '@myna/card-sim/test-pki.js';
import { UpstreamClient } from '@myna/kiosk/upstream/client/upstream-client.js';
import { UpstreamError } from '@myna/kiosk/upstream/errors.js';
import { signPinRequest } from '@myna/protocol/signed-requests.js';
import { loadUpstreamPki } from '@myna/upstream-ref/pki/upstream-pki.js';
import { startUpstream } from '@myna/upstream-ref/start-upstream.js';
import { postgresSkipReason, startThrowawayPostgres } from '../src/test-support/postgres.ts';
import { MEDICAL_INSTITUTION } from '../src/test-support/upstream-pki.ts';
import { simulatorCards } from '../src/upstream/simulator-cards.ts';

const COUNT = Number(process.env.COUNT ?? 6_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
const WARM_UP = 600;
const TARGET = { verificationsPerSecond: 3_000, p99Ms: 20, cores: 2 };
const KIOSK = 'kiosk-bench-0001';
const PEOPLE = ['middle-aged', 'elderly', 'long-address', 'young-rare-kanji', 'reiwa-child'];
const SERVE = '--serve';
const SERVE_BARE = '--serve-bare';

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const note = (line: string) => process.stderr.write(`bench/upstream: ${line}\n`);

/** The child: one upstream, its URL on stdout, gone when stdin closes. */
async function serve(db: string): Promise<void> {
  const upstream = await startUpstream({
    ...simulatorCards(),
    db,
    // The limits a deployment sets per kiosk would measure the limiter, not the service.
    rateLimit: { max: 1_000_000_000, windowMs: 60_000 },
    nonceTtlMs: 30 * 60_000,
  });
  process.stdout.write(`${JSON.stringify({ url: upstream.url, pid: process.pid })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void upstream.close().then(() => process.exit(0)));
}

/** The ceiling's child: TLS and HTTP as the upstream has them, and nothing else. */
async function serveBare(answerFile: string): Promise<void> {
  const pki = loadUpstreamPki();
  const answer = readFileSync(answerFile);
  const server = createServer(
    {
      key: pki.server.keyPem,
      cert: pki.server.certPem,
      ca: pki.ca.certPem,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      keepAliveTimeout: 72_000,
    },
    (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        response.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': answer.length,
        });
        response.end(answer);
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ url: `https://127.0.0.1:${port}`, pid: process.pid })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

interface Served {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function spawnUpstream(...args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the upstream exited (${code}) before it listened`)));
  });
  lines.close();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: (JSON.parse(first) as { url: string }).url,
    child,
    stop: async () => {
      child.stdin!.end();
      await exited;
    },
  };
}

/** CPU seconds a process has used (user + system), from /proc; null where there is none. */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

interface Card {
  der: Uint8Array;
  key: ReturnType<typeof personKeys>['auth']['privateKey'];
}

function cards(): Card[] {
  const pki = loadTestPki();
  return PEOPLE.map((id) => {
    const { auth } = personKeys(loadPerson(peopleFile(id)), pki);
    return { der: auth.certificateDer, key: auth.privateKey };
  });
}

/** The PIN-path JWS as the card signs it: RS256 with the card's user-authentication key. */
function cardSigned(card: Card, nonce: string): Promise<string> {
  return signPinRequest({
    nonce,
    kioskId: KIOSK,
    now: new Date(),
    request: { kind: 'qualification', medicalInstitutionCode: MEDICAL_INSTITUTION },
    cardCertificate: card.der,
    signSha256: async (message) => new Uint8Array(sign('sha256', message, card.key)),
  });
}

interface Run {
  seconds: number;
  /** Milliseconds per task, in completion order. */
  latencies: number[];
  errors: Record<string, number>;
}

/** `count` tasks, never more than `CONCURRENCY` in flight; each task's time is measured alone. */
async function bounded(count: number, task: (index: number) => Promise<void>): Promise<Run> {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      const started = performance.now();
      try {
        await task(index);
        latencies.push(performance.now() - started);
      } catch (error) {
        const code = error instanceof UpstreamError ? error.code : String(error);
        errors[code] = (errors[code] ?? 0) + 1;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, lane));
  return { seconds: (performance.now() - started) / 1_000, latencies, errors };
}

function latencyMs(samples: number[]) {
  const sorted = Float64Array.from(samples).sort();
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length);
  return {
    p50: round(rank(0.5)),
    p90: round(rank(0.9)),
    p99: round(rank(0.99)),
    max: round(rank(1)),
    mean: round(mean),
  };
}

function kioskClient(url: string): UpstreamClient {
  const pki = loadUpstreamPki();
  const pair = pki.kioskClient(KIOSK);
  return new UpstreamClient({
    baseUrl: url,
    credentials: { ca: pki.ca.certPem, cert: pair.certPem, key: pair.keyPem },
    maxSockets: CONCURRENCY,
    retry: { attempts: 1 },
  });
}

/** Server CPU per request while `run` ran, in milliseconds; null where /proc is not there. */
async function withServerCpu(
  pid: number,
  run: () => Promise<Run>,
): Promise<{ run: Run; cpuMs: number | null; ownMs: number }> {
  const before = cpuSeconds(pid);
  const ownBefore = process.cpuUsage();
  const result = await run();
  const after = cpuSeconds(pid);
  const own = process.cpuUsage(ownBefore);
  const count = Math.max(1, result.latencies.length);
  return {
    run: result,
    cpuMs: before === null || after === null ? null : round(((after - before) * 1_000) / count, 3),
    ownMs: round((own.user + own.system) / 1_000 / count, 3),
  };
}

/** Where the answer the ceiling's server repeats is kept, once the SQLite run has had one. */
let sampleAnswer: string | undefined;

async function measure(backend: 'sqlite' | 'postgres', db: string, database: string) {
  const served = await spawnUpstream(SERVE, db);
  const client = kioskClient(served.url);
  const people = cards();
  const card = (index: number) => people[index % people.length]!;
  try {
    // Verification: nonces and signatures made before the clock starts.
    const presign = async (count: number) => {
      const signed: string[] = new Array(count);
      await bounded(count, async (i) => {
        signed[i] = await cardSigned(card(i), (await client.nonce()).nonce);
      });
      return signed;
    };
    note(`${backend}: warming up`);
    const warm = await presign(WARM_UP);
    await bounded(WARM_UP, async (i) => {
      sampleAnswer ??= JSON.stringify(await client.qualify(warm[i]!));
    });
    note(`${backend}: signing ${COUNT} requests ahead`);
    const signed = await presign(COUNT);
    const timed = await withServerCpu(served.child.pid!, () =>
      bounded(COUNT, async (i) => void (await client.qualify(signed[i]!))),
    );
    const verifications = timed.run;
    note(`${backend}: ${COUNT} verifications in ${round(verifications.seconds)} s`);

    // Pair: one patient end to end, signing included.
    const pairs = Math.round(COUNT / 2);
    const verifyOnly: number[] = [];
    const pairRun = await bounded(pairs, async (i) => {
      const jws = await cardSigned(card(i), (await client.nonce()).nonce);
      const started = performance.now();
      await client.qualify(jws);
      verifyOnly.push(performance.now() - started);
    });
    note(`${backend}: ${pairs} pairs in ${round(pairRun.seconds)} s`);

    const perSecond = round(verifications.latencies.length / verifications.seconds, 0);
    const latency = latencyMs(verifications.latencies);
    return {
      backend,
      database,
      verification: {
        count: COUNT,
        ok: verifications.latencies.length,
        errors: verifications.errors,
        seconds: round(verifications.seconds),
        perSecond,
        latencyMs: latency,
        upstreamCpuMsPerVerification: timed.cpuMs,
        loadGeneratorCpuMsPerVerification: timed.ownMs,
      },
      pair: {
        count: pairs,
        ok: pairRun.latencies.length,
        errors: pairRun.errors,
        seconds: round(pairRun.seconds),
        pairsPerSecond: round(pairRun.latencies.length / pairRun.seconds, 0),
        latencyMs: latencyMs(pairRun.latencies),
        verificationLatencyMs: latencyMs(verifyOnly),
      },
      withinTarget: perSecond >= TARGET.verificationsPerSecond && latency.p99 <= TARGET.p99Ms,
    };
  } finally {
    client.close();
    await served.stop();
  }
}

/** CPU milliseconds of one RSA-2048 PKCS#1 v1.5 verification here: what every verification needs. */
function rsaVerifyMs(): number {
  const { auth } = personKeys(loadPerson(peopleFile(PEOPLE[0]!)), loadTestPki());
  const message = Buffer.alloc(2_600, 0x61);
  const signature = sign('sha256', message, auth.privateKey);
  const key = {
    key: new X509Certificate(auth.certificateDer).publicKey,
    padding: constants.RSA_PKCS1_PADDING,
  };
  const rounds = 2_000;
  const before = process.cpuUsage();
  for (let i = 0; i < rounds; i++) verify('sha256', message, key, signature);
  const used = process.cpuUsage(before);
  return round((used.user + used.system) / 1_000 / rounds, 3);
}

/** The same verification load against the bare server: what is left when the upstream does nothing. */
async function measureCeiling(dir: string) {
  const answerFile = join(dir, 'answer.json');
  writeFileSync(answerFile, sampleAnswer ?? '{}');
  const served = await spawnUpstream(SERVE_BARE, answerFile);
  const client = kioskClient(served.url);
  try {
    // The bare server reads the body and does not check it: one real request, sent every time.
    const jws = await cardSigned(cards()[0]!, 'not-checked-by-the-bare-server');
    await bounded(WARM_UP, async () => void (await client.qualify(jws)));
    const timed = await withServerCpu(served.child.pid!, () =>
      bounded(COUNT, async () => void (await client.qualify(jws))),
    );
    note(`ceiling: ${COUNT} requests in ${round(timed.run.seconds)} s`);
    return {
      backend: 'bare-https',
      server:
        'node:https, the same TLS options and certificates, keep-alive; reads and JSON-parses the body and answers a qualification answer stored from the SQLite run; no routing, no checks, no database',
      requests: {
        count: COUNT,
        ok: timed.run.latencies.length,
        errors: timed.run.errors,
        seconds: round(timed.run.seconds),
        perSecond: round(timed.run.latencies.length / timed.run.seconds, 0),
        latencyMs: latencyMs(timed.run.latencies),
        serverCpuMsPerRequest: timed.cpuMs,
        loadGeneratorCpuMsPerRequest: timed.ownMs,
      },
      rsa2048VerifyCpuMs: rsaVerifyMs(),
    };
  } finally {
    client.close();
    await served.stop();
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-upstream-'));
  const results: unknown[] = [];
  let ceiling: unknown;
  try {
    results.push(
      await measure(
        'sqlite',
        `sqlite:${join(dir, 'upstream.db')}`,
        'a file in the temporary directory, WAL; nonces and verifications are relaxed commits (synchronous NORMAL: no fsync), other writes durable (FULL)',
      ),
    );
    ceiling = await measureCeiling(dir);
    const skip = postgresSkipReason();
    if (skip) {
      results.push({ backend: 'postgres', skipped: skip });
    } else {
      const cluster = startThrowawayPostgres();
      try {
        results.push(
          await measure(
            'postgres',
            await cluster.createDatabase(),
            'the test harness’s throwaway PostgreSQL 15 cluster over a unix socket, fsync=off',
          ),
        );
      } finally {
        cluster.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const cpu = cpus();
  process.stdout.write(
    `${JSON.stringify(
      {
        bench: 'upstream',
        machine: {
          cpus: cpu.length,
          model: cpu[0]?.model,
          memGiB: round(totalmem() / 2 ** 30, 1),
          node: process.version,
        },
        target: {
          ...TARGET,
          note: 'withinTarget: verification.perSecond ≥ verificationsPerSecond and verification.latencyMs.p99 ≤ p99Ms; the load generator shares these cores with the upstream',
        },
        load: {
          concurrency: CONCURRENCY,
          count: COUNT,
          warmUp: WARM_UP,
          transport: 'HTTPS, mutual TLS, keep-alive, loopback',
        },
        definitions: {
          verification:
            'one POST /v1/qualifications on the PIN path, timed at the kiosk client: TLS request on a kept-alive connection, JWS RS256 signature check with the card certificate from x5c, claims, card certificate against the JPKI CA and the CRL, the single-use nonce consumed, the insured person looked up, the visit written, the OQS result built and answered, the answer parsed and schema-checked by the client; the nonce was fetched and the request signed before the clock started',
          pair: 'POST /v1/nonces, the card signature (RSA-2048 in this process), then the verification: what one patient costs end to end',
        },
        results,
        ceiling,
      },
      null,
      2,
    )}\n`,
  );
}

if (process.argv[2] === SERVE) await serve(process.argv[3] ?? 'sqlite::memory:');
else if (process.argv[2] === SERVE_BARE) await serveBare(process.argv[3]!);
else await main();
