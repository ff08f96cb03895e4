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
 *   npm run bench:upstream      (COUNT=N verifications, CONCURRENCY=N in flight)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { peopleFile } from '../src/card/sim/people.ts';
import { loadPerson } from '../src/card/sim/person.ts';
import { loadTestPki, personKeys } from '../src/card/sim/test-pki.ts';
import { loadUpstreamPki } from '../src/server/pki/upstream-pki.ts';
import { startUpstream } from '../src/server/start-upstream.ts';
import { UpstreamClient } from '../src/upstream/client/upstream-client.ts';
import { UpstreamError } from '../src/upstream/errors.ts';
import { signPinRequest } from '../src/upstream/signed-requests.ts';
import { postgresSkipReason, startThrowawayPostgres } from '../test/support/postgres.ts';
import { MEDICAL_INSTITUTION } from '../test/support/upstream-pki.ts';

const COUNT = Number(process.env.COUNT ?? 6_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
const WARM_UP = 600;
const TARGET = { verificationsPerSecond: 3_000, p99Ms: 20, cores: 2 };
const KIOSK = 'kiosk-bench-0001';
const PEOPLE = ['middle-aged', 'elderly', 'long-address', 'young-rare-kanji', 'reiwa-child'];
const SERVE = '--serve';

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const note = (line: string) => process.stderr.write(`bench/upstream: ${line}\n`);

/** The child: one upstream, its URL on stdout, gone when stdin closes. */
async function serve(db: string): Promise<void> {
  const upstream = await startUpstream({
    db,
    // The limits a deployment sets per kiosk would measure the limiter, not the service.
    rateLimit: { max: 1_000_000_000, windowMs: 60_000 },
    nonceTtlMs: 30 * 60_000,
  });
  process.stdout.write(`${JSON.stringify({ url: upstream.url, pid: process.pid })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void upstream.close().then(() => process.exit(0)));
}

interface Served {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function spawnUpstream(db: string): Promise<Served> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), SERVE, db], {
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

async function measure(backend: 'sqlite' | 'postgres', db: string, database: string) {
  const served = await spawnUpstream(db);
  const pair = loadUpstreamPki().kioskClient(KIOSK);
  const client = new UpstreamClient({
    baseUrl: served.url,
    credentials: { ca: loadUpstreamPki().ca.certPem, cert: pair.certPem, key: pair.keyPem },
    maxSockets: CONCURRENCY,
    retry: { attempts: 1 },
  });
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
    await bounded(WARM_UP, async (i) => void (await client.qualify(warm[i]!)));
    note(`${backend}: signing ${COUNT} requests ahead`);
    const signed = await presign(COUNT);
    const pid = served.child.pid!;
    const cpuBefore = cpuSeconds(pid);
    const ownBefore = process.cpuUsage();
    const verifications = await bounded(COUNT, async (i) => void (await client.qualify(signed[i]!)));
    const cpuAfter = cpuSeconds(pid);
    const own = process.cpuUsage(ownBefore);
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
        upstreamCpuMsPerVerification:
          cpuBefore === null || cpuAfter === null
            ? null
            : round(((cpuAfter - cpuBefore) * 1_000) / Math.max(1, verifications.latencies.length), 3),
        loadGeneratorCpuMsPerVerification: round(
          (own.user + own.system) / 1_000 / Math.max(1, verifications.latencies.length),
          3,
        ),
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

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-upstream-'));
  const results: unknown[] = [];
  try {
    results.push(
      await measure(
        'sqlite',
        `sqlite:${join(dir, 'upstream.db')}`,
        'a file in the temporary directory, WAL, synchronous at its default (FULL): one fsync per commit',
      ),
    );
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
      },
      null,
      2,
    )}\n`,
  );
}

if (process.argv[2] === SERVE) await serve(process.argv[3] ?? 'sqlite::memory:');
else await main();
