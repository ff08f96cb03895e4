/**
 * Face benchmark: prints one JSON document comparing the face pipelines side by side.
 * - machine (cores, CPU model, Node);
 * - per candidate (detector × describer): model load time; per-frame latency of the live session's
 *   own step (judgeFrame) by stage, p50 / p95, on a 640×480 camera-like frame; and the time to a
 *   decision from the first usable frame (matchFaces: a card-like photo against five frames of the
 *   same person and of another);
 * - per candidate, accuracy over ../shared/faces/set-b, every pair made from the file names, side A
 *   as the card path gives it (grey, ~240 px, JPEG 2000) and side B as photographed: images/s,
 *   no-face rate per role, EER, FRR at FAR 1 % / 0.1 % / 0.01 %, on all pairs and on the pairs with
 *   East Asian people on both sides (identities.tsv);
 * - liveness on the real clips of ../shared/liveness (bench/face-liveness.ts).
 *
 *   npm run bench:face [-- --candidates ultralight/arcface,ssd/faceapi]   (2 cores: about 14 min)
 *
 * Each candidate runs in a child process of its own (tfjs picks its backend once per process), two
 * at a time: each child is single-threaded.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FaceEngine } from '@myna/kiosk/face/engine/face-engine.js';
import type { DescriberName, DetectorName } from '@myna/kiosk/face/engine/names.js';
import type { Frame } from '@myna/kiosk/face/image/frame.js';

const REPO = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const SET_A = resolve(REPO, '../shared/faces/set-a');
const SET_B = resolve(REPO, '../shared/faces/set-b');
const LIVENESS = resolve(REPO, '../shared/liveness');
/** The engine as it shipped before (face-api throughout), the new descriptor on face-api's SSD, and the new pipeline. */
const CANDIDATES = ['ultralight/arcface', 'ssd/arcface', 'ssd/faceapi'];
const LATENCY_FRAMES = 25;
const TARGETS = { frameMs: 80, decisionMs: 1000, frr: 0.02, far: 0.0001, noFace: 0.01 };
const EAST_ASIAN = /^east_asian/;

const run = promisify(execFile);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const note = (line: string) => process.stderr.write(`bench/face: ${line}\n`);

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: round(at(0.5)), p95: round(at(0.95)), n: samples.length };
}

const copy = (f: Frame): Frame => ({ width: f.width, height: f.height, data: new Uint8ClampedArray(f.data) });

/** set-b's images (folder/identity__n.ext), their identities and the East Asian identities. */
function setB() {
  const images: { path: string; identity: string }[] = [];
  for (const folder of readdirSync(SET_B, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of readdirSync(join(SET_B, folder.name))) {
      const identity = file.split('__')[0]!;
      images.push({ path: `${folder.name}/${file}`, identity });
    }
  }
  images.sort((a, b) => a.path.localeCompare(b.path));
  const eastAsian = new Set<string>();
  for (const line of readFileSync(join(SET_B, 'identities.tsv'), 'utf8').split('\n').slice(1)) {
    const [identity, region] = line.split('\t');
    if (identity && region && EAST_ASIAN.test(region)) eastAsian.add(identity);
  }
  return { images, eastAsian };
}

/** A photo scaled to fit 640×480 and centred on grey, as a camera frame of a person in front of it. */
async function cameraFrame(path: string): Promise<Frame> {
  const { decodeImageFile } = await import('@myna/kiosk/face/image/decode.js');
  const { resize } = await import('@myna/kiosk/face/image/ops.js');
  const { createFrame } = await import('@myna/kiosk/face/image/frame.js');
  const photo = await decodeImageFile(path);
  const scale = Math.min(640 / photo.width, 480 / photo.height);
  const small = resize(photo, Math.round(photo.width * scale), Math.round(photo.height * scale));
  const frame = createFrame(640, 480);
  frame.data.fill(128);
  const x0 = (640 - small.width) >> 1;
  const y0 = (480 - small.height) >> 1;
  for (let y = 0; y < small.height; y++) {
    frame.data.set(
      small.data.subarray(y * small.width * 4, (y + 1) * small.width * 4),
      ((y0 + y) * 640 + x0) * 4,
    );
  }
  return frame;
}

// --- child: one candidate -------------------------------------------------------------------------

/**
 * The card photo, a genuine and an impostor frame, from set-a: frontal, sharp photos that pass the
 * quality gate, so every timed frame pays for a descriptor (set-b's LFW photos, 250 px blown up to
 * a camera frame, are refused as blurred; its larger ones are turned or far away).
 */
const DECISION_IMAGES = {
  card: join(SET_A, 'img1.jpg'),
  genuine: join(SET_A, 'img2.jpg'),
  impostor: join(SET_A, 'img3.jpg'),
};

async function latency(engine: FaceEngine, describer: DescriberName) {
  const { analyseCardPhoto, judgeFrame } = await import('@myna/kiosk/face/frame-step.js');
  const { decodeImage } = await import('@myna/kiosk/face/image/decode.js');
  const { cardLikeJp2 } = await import('../src/test-support/face-images.ts');
  const card = decodeImage(await cardLikeJp2(DECISION_IMAGES.card), 'card');
  const cardAnalysis = await analyseCardPhoto(engine, copy(card));
  if (!cardAnalysis.descriptor) return { error: 'no face found in the benchmark card photo' };
  const cardDescriptor = cardAnalysis.descriptor;
  const frame = await cameraFrame(DECISION_IMAGES.genuine);
  const stages: Record<'prepare' | 'detect' | 'descriptor' | 'quality' | 'total', number[]> = {
    prepare: [],
    detect: [],
    descriptor: [],
    quality: [],
    total: [],
  };
  // Warm-up: the first inferences compile kernels and allocate.
  const warmUpMs: number[] = [];
  for (let i = 0; i < 2; i++) {
    const t = performance.now();
    await judgeFrame(engine, copy(frame), cardDescriptor);
    warmUpMs.push(round(performance.now() - t));
  }
  let described = 0;
  for (let i = 0; i < LATENCY_FRAMES; i++) {
    const t0 = performance.now();
    const { distance, ms } = await judgeFrame(engine, copy(frame), cardDescriptor);
    stages.total.push(performance.now() - t0);
    if (distance !== null) described++;
    stages.prepare.push(ms.prepare);
    stages.detect.push(ms.detect);
    stages.descriptor.push(ms.descriptor);
    stages.quality.push(ms.quality);
  }
  cardDescriptor.fill(0);
  return {
    warmUpMs,
    // A frame the quality gate refuses pays for no descriptor: its timing would flatter the pipeline.
    framesDescribed: `${described} of ${LATENCY_FRAMES}`,
    frameMs: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, percentiles(v)])),
    decision: await timeToDecision(engine, card, describer),
  };
}

/**
 * matchFaces with the describer's default policy. As in the live session, msFromFirstUsable runs
 * from the arrival of the first usable frame to the arrival of the deciding one; fromFrameArrivalMs
 * adds the deciding frame's own analysis, i.e. until the decision is known.
 */
async function timeToDecision(engine: FaceEngine, card: Frame, describer: DescriberName) {
  const { matchFaces } = await import('@myna/kiosk/face/matcher.js');
  const { defaultMatchPolicy } = await import('@myna/kiosk/face/match-policy.js');
  const policy = defaultMatchPolicy(describer);
  const result: Record<string, unknown> = { threshold: policy.threshold, earlyAccept: policy.earlyAccept };
  for (const name of ['genuine', 'impostor'] as const) {
    const frame = await cameraFrame(DECISION_IMAGES[name]);
    const frames = Array.from({ length: 5 }, () => copy(frame));
    const r = await matchFaces(engine, copy(card), frames, policy);
    const deciding = r.frames.at(-1);
    const decidingMs = deciding
      ? deciding.ms.prepare + deciding.ms.detect + deciding.ms.descriptor + deciding.ms.quality
      : null;
    result[name] = {
      decision: r.decision,
      score: r.score === null ? null : round(r.score, 3),
      reasons: r.reasons,
      framesUsed: r.frames.length,
      msFromFirstUsable: r.msFromFirstUsable === null ? null : round(r.msFromFirstUsable),
      fromFrameArrivalMs:
        r.msFromFirstUsable === null || decidingMs === null ? null : round(r.msFromFirstUsable + decidingMs),
      cardMs: round(r.ms.card),
    };
  }
  return result;
}

async function accuracy(engine: FaceEngine) {
  const { DescriptorCache, evaluatePairs, toScored } = await import('@myna/kiosk/face/eval/run.js');
  const { allPairs, ratesAt } = await import('@myna/kiosk/face/eval.js');
  const { defaultMatchPolicy } = await import('@myna/kiosk/face/match-policy.js');
  const { decodeImage, decodeImageFile } = await import('@myna/kiosk/face/image/decode.js');
  const { cardLikeFrame, encodeJpeg2000 } = await import('../src/test-support/face-images.ts');
  const { images, eastAsian } = setB();
  const CARD = 'card-like:';
  // Side A is the card path's: the photo made card-like and JPEG 2000-coded from the full-size
  // photo, then decoded as the kiosk decodes the chip's photo. Side B is the photo as it is.
  const loadFrame = async (path: string) => {
    if (!path.startsWith(CARD)) return decodeImageFile(path);
    const full = await decodeImageFile(path.slice(CARD.length));
    const jp2 = await encodeJpeg2000(cardLikeFrame(full), { format: 'jp2', ratio: 12 });
    full.data.fill(0);
    return decodeImage(jp2, 'card-like photo');
  };
  const cache = new DescriptorCache(engine, {
    loadFrame,
    onAnalysed: (n) => {
      if (n % 100 === 0)
        note(`${engine.detector}/${engine.describer}: ${n} of ${images.length * 2} analyses`);
    },
  });
  const identityOf = new Map(images.map((x) => [join(SET_B, x.path), x.identity]));
  const pairs = allPairs(identityOf).map((p) => ({
    a: CARD + p.a,
    b: p.b,
    same: p.same,
    eastAsian: eastAsian.has(identityOf.get(p.a)!) && eastAsian.has(identityOf.get(p.b)!),
  }));
  const started = performance.now();
  // Every image in both roles first, so that images/s and no-face count each analysis once.
  for (const { path } of images) {
    await cache.describe(CARD + join(SET_B, path), 'card');
    await cache.describe(join(SET_B, path), 'live');
  }
  const analysisSeconds = (performance.now() - started) / 1000;
  const noFace = { card: 0, live: 0, undecodable: 0 };
  const missed: string[] = [];
  for (const { path } of images) {
    for (const role of ['card', 'live'] as const) {
      const d = await cache.describe(role === 'card' ? CARD + join(SET_B, path) : join(SET_B, path), role);
      if (d.problem === 'undecodable') noFace.undecodable++;
      else if (d.problem === 'no-face') {
        noFace[role]++;
        missed.push(`${role}:${path}`);
      }
    }
  }
  const summarise = async (subset: typeof pairs) => {
    const r = await evaluatePairs(subset, cache);
    return {
      genuine: r.counts.genuine,
      impostor: r.counts.impostor,
      unscored: r.counts.unscored,
      farResolution: r.farResolution,
      eer: r.eer && { rate: round(r.eer.rate, 4), threshold: round(r.eer.threshold, 3) },
      atFar: r.atFar.map((p) => ({
        ...p,
        threshold: p.threshold === null ? null : round(p.threshold, 3),
        far: round(p.far, 6),
        frr: round(p.frr, 4),
      })),
      atDefaultThreshold: (() => {
        const x = ratesAt(toScored(r.scores), defaultMatchPolicy(engine.describer).threshold);
        return { ...x, far: round(x.far, 6), frr: round(x.frr, 4) };
      })(),
      distances: r.distances,
    };
  };
  const result = {
    images: images.length,
    imagesPerSecond: round((images.length * 2) / analysisSeconds, 2),
    analysisMs: cache.timings(),
    noFace: {
      ...noFace,
      cardRate: round(noFace.card / images.length, 4),
      liveRate: round(noFace.live / images.length, 4),
      missed,
    },
    all: await summarise(pairs),
    eastAsian: await summarise(pairs.filter((p) => p.eastAsian)),
  };
  await cache.wipe();
  return result;
}

async function candidateChild(name: string) {
  const [detector, describer] = name.split('/') as [DetectorName, DescriberName];
  const { FaceEngine } = await import('@myna/kiosk/face/engine/face-engine.js');
  const engine = await FaceEngine.load({ detector, describer });
  return {
    candidate: name,
    backend: engine.backend,
    loadMs: round(engine.loadMs),
    latency: existsSync(SET_A) ? await latency(engine, describer) : { skipped: `${SET_A} not found` },
    accuracy: existsSync(SET_B) ? await accuracy(engine) : { skipped: `${SET_B} not found` },
  };
}

// --- parent ---------------------------------------------------------------------------------------

async function runCandidate(name: string) {
  note(`candidate ${name}`);
  try {
    const { stdout } = await run(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--candidate', name],
      { timeout: 60 * 60_000, maxBuffer: 1 << 24, env: { ...process.env, KIOSK_LOG_LEVEL: 'error' } },
    );
    return JSON.parse(stdout) as Record<string, unknown>;
  } catch (error) {
    const message = (error as { stderr?: string }).stderr?.trim().split('\n').pop() ?? String(error);
    return { candidate: name, error: message.slice(0, 300) };
  }
}

/** Two at a time: each child is single-threaded and the reader has two cores. */
async function runAll(names: string[]) {
  const results: Record<string, unknown>[] = new Array(names.length);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const i = next++;
      results[i] = await runCandidate(names[i]!);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

type CandidateRow = {
  candidate: string;
  latency?: {
    frameMs?: { total: { p50: number } };
    decision?: { genuine?: { fromFrameArrivalMs: number | null } };
  };
  accuracy?: {
    noFace?: { cardRate: number; liveRate: number };
    all?: { atFar: { targetFar: number; frr: number }[] };
    eastAsian?: { atFar: { targetFar: number; frr: number }[] };
  };
};

function verdict(rows: CandidateRow[]) {
  const frrAt = (x?: { atFar: { targetFar: number; frr: number }[] }) =>
    x?.atFar.find((p) => p.targetFar === TARGETS.far)?.frr ?? null;
  return {
    targets: TARGETS,
    candidates: rows.map((r) => {
      const p50 = r.latency?.frameMs?.total.p50 ?? null;
      const frr = frrAt(r.accuracy?.all);
      const noFace = r.accuracy?.noFace
        ? Math.max(r.accuracy.noFace.cardRate, r.accuracy.noFace.liveRate)
        : null;
      const decision = r.latency?.decision?.genuine?.fromFrameArrivalMs ?? null;
      return {
        candidate: r.candidate,
        frameMsP50: p50,
        meetsFrameMs: p50 !== null && p50 <= TARGETS.frameMs,
        frrAtFar0_01: frr,
        frrAtFar0_01EastAsian: frrAt(r.accuracy?.eastAsian),
        meetsFrr: frr !== null && frr <= TARGETS.frr,
        noFaceRate: noFace,
        meetsNoFace: noFace !== null && noFace <= TARGETS.noFace,
        decisionMs: decision,
        meetsDecisionMs: decision !== null && decision <= TARGETS.decisionMs,
      };
    }),
  };
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--candidate') {
    process.stdout.write(`${JSON.stringify(await candidateChild(args[1]!))}\n`);
    return;
  }
  const chosen = args[0] === '--candidates' ? args[1]!.split(',') : CANDIDATES;
  process.env.KIOSK_LOG_LEVEL ??= 'error';
  const started = performance.now();
  if (!existsSync(SET_B)) note(`face images not found at ${SET_B}: no accuracy`);
  const candidates = await runAll(chosen);
  const { livenessOnClips } = await import('./face-liveness.ts');
  const liveness = existsSync(LIVENESS)
    ? await livenessOnClips(LIVENESS)
    : { skipped: `${LIVENESS} not found` };
  const cpu = cpus();
  const report = {
    bench: 'face',
    date: new Date().toISOString(),
    machine: {
      cores: cpu.length,
      cpu: cpu[0]?.model ?? 'unknown',
      memoryGiB: round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform}/${process.arch}`,
    },
    set: 'set-b: every pair from the file names; side A card-like (grey, ~240 px, JPEG 2000), side B as photographed',
    candidates,
    verdict: verdict(candidates as CandidateRow[]),
    liveness,
    ms: round(performance.now() - started, 0),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
