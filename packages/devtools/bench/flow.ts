/**
 * Flow benchmark: prints one JSON document with the kiosk's own host time per step of a full face
 * path and a full PIN path, and the total, against the 300 ms target.
 *
 * Real parts: the virtual card through the card layer (in-process connection: no pcscd), the kiosk
 * store in a SQLite file (WAL, synchronous=FULL), the device key in SoftHSM2, and the upstream
 * stand-in that verifies every signature in-process. Not counted: the patient (screens answered at
 * once), the face engine (a fixed result; bench/face.ts measures it) and the network.
 *
 *   npm run bench:flow            (needs softhsm2; ITERATIONS=N to change the sample count)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FLOW_CONFIG } from '@myna/kiosk/reception/flow-types.js';
import { deviceSigner } from '@myna/kiosk/upstream/device-key/index.js';
import { type AnyActorRef, waitFor } from 'xstate';
import { readyDeviceToken, softhsmSkipReason } from '../src/test-support/device-token.ts';
import { dbIn, startTestKiosk, testPatient } from '../src/test-support/reception-kiosk.ts';

const ITERATIONS = Number(process.env.ITERATIONS ?? 30);
const TARGET_MS = 300;
const NOW = new Date('2026-11-24T09:30:00+09:00');

type Step = [name: string, run: (k: ReturnType<typeof startTestKiosk>) => void, until: string | object];

const patient = testPatient('middle-aged');

const common = (before: Step[]): Step[] => [
  [
    'card placed → method choice (read certificate, PIN status)',
    (k) => k.actor.send({ type: 'CARD_INSERTED' }),
    'methodChoice',
  ],
  ...before,
  [
    'consent 1 (薬剤)',
    (k) => k.actor.send({ type: 'CONSENT', agree: true, at: NOW.toISOString() }),
    { consents: 'asking' },
  ],
  [
    'consent 2 (特定健診) → done',
    (k) => k.actor.send({ type: 'CONSENT', agree: true, at: NOW.toISOString() }),
    'done',
  ],
  ['done → limit information', (k) => k.clock.increment(DEFAULT_FLOW_CONFIG.doneMs), 'limitInfo'],
  [
    'limit information → take card (outbox, result, audit)',
    (k) => k.actor.send({ type: 'LIMIT_INFO', provide: true, at: NOW.toISOString() }),
    'takeCard',
  ],
  ['card removed → idle (release, audit)', (k) => k.actor.send({ type: 'CARD_REMOVED' }), 'idle'],
];

const PATHS: Record<'face' | 'pin', Step[]> = {
  face: common([
    [
      'face → verified (card photo, attestation on the device key, upstream verify)',
      (k) => k.actor.send({ type: 'CHOOSE_FACE' }),
      { consents: 'asking' },
    ],
  ]),
  pin: common([
    ['choose PIN', (k) => k.actor.send({ type: 'CHOOSE_PIN' }), { pin: 'entry' }],
    [
      'PIN → verified (VERIFY, signature on the card, upstream verify)',
      (k) => k.actor.send({ type: 'PIN_ENTERED', pin: patient.person.pin! }),
      { consents: 'asking' },
    ],
  ]),
};

const round = (x: number) => Math.round(x * 100) / 100;
function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
}

async function runPath(steps: Step[], attestor: Awaited<ReturnType<typeof deviceSigner>>, dir: string) {
  const perStep = steps.map(() => [] as number[]);
  const totals: number[] = [];
  // One kiosk for every visit, as at a counter: the store and the audit chain grow as they would.
  const kiosk = startTestKiosk({ patient, attestor, dbPath: dbIn(dir, `bench-${Math.random()}`), now: NOW });
  try {
    for (let i = 0; i < ITERATIONS + 1; i++) {
      let total = 0;
      for (const [index, [, run, until]] of steps.entries()) {
        const start = performance.now();
        run(kiosk);
        await waitFor(kiosk.actor as AnyActorRef, (s) => s.matches(until), { timeout: 10_000 });
        const ms = performance.now() - start;
        total += ms;
        // The first visit warms caches (JIT, SQLite pages, the token's module): not counted.
        if (i > 0) perStep[index]!.push(ms);
      }
      if (i > 0) totals.push(total);
    }
  } finally {
    kiosk.stop();
  }
  return {
    steps: steps.map(([name], index) => ({
      step: name,
      p50Ms: quantile(perStep[index]!, 0.5),
      p95Ms: quantile(perStep[index]!, 0.95),
    })),
    totalP50Ms: quantile(totals, 0.5),
    totalP95Ms: quantile(totals, 0.95),
    withinTarget: quantile(totals, 0.5) <= TARGET_MS,
  };
}

async function main() {
  const skip = softhsmSkipReason();
  if (skip) throw new Error(`bench:flow needs the device key in SoftHSM2: ${skip}`);
  const token = await readyDeviceToken();
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-flow-'));
  try {
    const attestor = await deviceSigner(token.options);
    const face = await runPath(PATHS.face, attestor, dir);
    const pin = await runPath(PATHS.pin, attestor, dir);
    process.stdout.write(
      `${JSON.stringify(
        {
          bench: 'flow',
          machine: {
            cpus: cpus().length,
            model: cpus()[0]?.model,
            memGiB: round(totalmem() / 2 ** 30),
            node: process.version,
          },
          iterations: ITERATIONS,
          targetMs: TARGET_MS,
          notCounted: ['patient think time', 'face engine (bench/face.ts)', 'network to the upstream'],
          face,
          pin,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    token.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
