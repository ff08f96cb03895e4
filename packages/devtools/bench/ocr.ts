/**
 * Card-front reader benchmark: prints one JSON document.
 * Over a seeded set of generated tray photographs (fronts, hard ones among them, next-generation
 * fronts, and negatives: the back, another card, an empty tray), each read once by the kiosk's
 * reader and judged as the gate judges one frame:
 * - exact 照合番号B rate on current-layout fronts, refusals by reason, and wrong numbers that
 *   passed (a front read wrong, or any number out of a negative or a next-generation front);
 * - the same at other confidence thresholds, to show what the gate's setting buys;
 * - ms per read p50 / p95, by stage.
 *
 *   npm run bench:ocr [-- --count N] [--seed S]   (1,100 photos: about 10 minutes on 2 cores)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type CardFrontTimings, cardFrontReader } from '@myna/kiosk/card-front/card-front-reader.js';
import { checkRead, DEFAULT_MIN_CONFIDENCE } from '@myna/kiosk/card-front/number-b-gate.js';
import { generateCardFrontSet } from '../src/card-front/card-front-set.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1100' },
    seed: { type: 'string', default: 'bench-ocr-1' },
    /** Writes each current front that gave no exact number (photo, truth, outcome) here, to look at. */
    failures: { type: 'string' },
  },
});
const COUNT = Number(values.count);
/** The set's photos are judged as of this day, so that its cards are in date whenever it runs. */
const TODAY = '2026-12-07';
const THRESHOLDS = [0.5, 0.7, 0.8, 0.85, 0.9, 0.95];
const TARGETS = { exactRate: 0.99, wrongPastGate: 0, msP50: 300 };

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const note = (line: string) => process.stderr.write(`bench/ocr: ${line}\n`);

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: round(at(0.5)), p95: round(at(0.95)) };
}

interface Sample {
  kind: string;
  layout: string | null;
  difficulty: string;
  truth: string | null;
  /** What the reader gave before any threshold: its number and least field confidence, or a problem. */
  numberAt: (threshold: number) => string | null;
  refusal: string | null;
  timings: CardFrontTimings;
}

const reader = await cardFrontReader();
const samples: Sample[] = [];
const started = performance.now();
for await (const photo of generateCardFrontSet({ count: COUNT, seed: values.seed, today: TODAY })) {
  const outcome = await reader.read(photo.jpeg);
  const { truth } = photo;
  const judged = outcome.ok ? checkRead(outcome.read, DEFAULT_MIN_CONFIDENCE, TODAY) : null;
  samples.push({
    kind: truth.kind,
    layout: truth.layout,
    difficulty: truth.conditions.difficulty,
    truth: truth.numberB,
    numberAt: (threshold) => {
      if (!outcome.ok) return null;
      const checked = checkRead(outcome.read, threshold, TODAY);
      return checked.ok ? checked.numberB : null;
    },
    refusal: outcome.ok ? (judged && !judged.ok ? judged.reason : null) : outcome.problem,
    timings: outcome.timings,
  });
  const exact = judged?.ok === true && judged.numberB === truth.numberB;
  const front = truth.kind === 'front' && truth.layout === 'current';
  if (values.failures && ((front && !exact) || (judged?.ok && !exact))) {
    mkdirSync(values.failures, { recursive: true });
    writeFileSync(join(values.failures, `${photo.id}.jpg`), photo.jpeg);
    const outcomeJson = JSON.stringify({ truth, outcome: { ...outcome, judged } }, null, 2);
    writeFileSync(join(values.failures, `${photo.id}.json`), outcomeJson);
  }
  if (samples.length % 100 === 0) note(`${samples.length}/${COUNT}`);
}
await reader.close();
const elapsed = performance.now() - started;

function judge(threshold: number, subset = samples) {
  const fronts = subset.filter((s) => s.kind === 'front' && s.layout === 'current');
  const exact = fronts.filter((s) => s.numberAt(threshold) === s.truth).length;
  // A number out of anything but a current front would be sent to a card it cannot open.
  const wrong = subset.filter((s) => {
    const number = s.numberAt(threshold);
    return number !== null && number !== s.truth;
  }).length;
  return {
    threshold,
    fronts: fronts.length,
    exact,
    exactRate: fronts.length ? round(exact / fronts.length, 4) : null,
    refused:
      fronts.length -
      exact -
      fronts.filter((s) => s.numberAt(threshold) !== null && s.numberAt(threshold) !== s.truth).length,
    wrongPastGate: wrong,
  };
}

const refusals: Record<string, number> = {};
for (const s of samples.filter((s) => s.kind === 'front' && s.layout === 'current' && s.refusal)) {
  refusals[s.refusal!] = (refusals[s.refusal!] ?? 0) + 1;
}
const negatives: Record<string, { photos: number; numbersPassed: number; reasons: Record<string, number> }> =
  {};
for (const s of samples.filter((s) => s.kind !== 'front' || s.layout !== 'current')) {
  const key = s.kind === 'front' ? `front-${s.layout}` : s.kind;
  negatives[key] ??= { photos: 0, numbersPassed: 0, reasons: {} };
  const row = negatives[key];
  row.photos += 1;
  if (s.numberAt(DEFAULT_MIN_CONFIDENCE) !== null) row.numbersPassed += 1;
  if (s.refusal) row.reasons[s.refusal] = (row.reasons[s.refusal] ?? 0) + 1;
}
const stages = ['decode', 'locate', 'rectify', 'ocr', 'parse', 'total'] as const;
const timings = Object.fromEntries(
  stages.map((stage) => [stage, percentiles(samples.map((s) => s.timings[stage]!))]),
);
const atGate = judge(DEFAULT_MIN_CONFIDENCE);

process.stdout.write(
  `${JSON.stringify(
    {
      bench: 'ocr',
      machine: {
        cores: cpus().length,
        cpu: cpus()[0]?.model ?? 'unknown',
        memoryGiB: round(totalmem() / 2 ** 30),
        node: process.version,
      },
      engine: 'tesseract.js (WebAssembly, 1 worker) with the jpn best_int model',
      set: {
        photos: samples.length,
        seed: values.seed,
        today: TODAY,
        kinds: countBy(samples, (s) => (s.kind === 'front' ? `front-${s.layout}` : s.kind)),
      },
      gate: { minConfidence: DEFAULT_MIN_CONFIDENCE, ...atGate, refusals },
      byDifficulty: Object.fromEntries(
        ['clean', 'normal', 'hard'].map((d) => [
          d,
          judge(
            DEFAULT_MIN_CONFIDENCE,
            samples.filter((s) => s.difficulty === d),
          ),
        ]),
      ),
      negatives,
      thresholds: THRESHOLDS.map((t) => judge(t)),
      msPerRead: timings,
      readsPerSecond: round(samples.length / (elapsed / 1000), 2),
      targets: TARGETS,
      met: {
        exactRate: (atGate.exactRate ?? 0) >= TARGETS.exactRate,
        wrongPastGate: atGate.wrongPastGate === TARGETS.wrongPastGate,
        msP50: timings.total!.p50 <= TARGETS.msP50,
      },
    },
    null,
    2,
  )}\n`,
);

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}
