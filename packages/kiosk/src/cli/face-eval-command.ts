import { relative } from 'node:path';
import { Command } from 'commander';
import type { EvalReport } from '../face/eval/run.ts';
import { type EngineChoice, engineOptions } from './face-engine-options.ts';
import { printResult } from './output.ts';

interface EvalOptions extends EngineChoice {
  pairs: string;
  json?: boolean;
}

/**
 * `kiosk face eval --pairs FILE`: accuracy of the face match over a labelled pairs list (pathA plays
 * the card photo, pathB the live frame): ROC points, EER, and FRR at FAR 1 %, 0.1 %, 0.01 % with
 * their thresholds. Progress goes to stderr; the result to stdout.
 */
export function faceEvalCommand(): Command {
  const command = new Command('eval')
    .description('accuracy over a pairs list ("pathA pathB same|diff" a line; pathA plays the card photo)')
    .requiredOption('--pairs <file>', 'pairs list; paths relative to the file');
  for (const option of engineOptions()) command.addOption(option);
  return command.option('--json', 'print JSON for machines').action(async (options: EvalOptions) => {
    // Loaded here, not at start-up: the card commands must not pay for the face engine.
    const { readPairsFile } = await import('../face/eval.ts');
    const { analysesNeeded, checkImagesExist, DescriptorCache, evaluatePairs } = await import(
      '../face/eval/run.ts'
    );
    const { FaceEngine } = await import('../face/engine/face-engine.ts');
    const pairs = await readPairsFile(options.pairs);
    await checkImagesExist(pairs, options.pairs);
    const engine = await FaceEngine.load({ detector: options.detector, describer: options.describer });
    const progress = stderrProgress(
      analysesNeeded(pairs),
      `face eval (${engine.backend}/${engine.detector}/${engine.describer})`,
    );
    const cache = new DescriptorCache(engine, {
      onAnalysed: progress.update,
      onUndecodable: (_path, error) => progress.note(`not decoded, counted as rejected: ${error.message}`),
    });
    let report: EvalReport;
    try {
      report = await evaluatePairs(pairs, cache);
    } finally {
      progress.done();
      await cache.wipe();
    }
    const base = options.pairs.replace(/[^/\\]*$/, '') || '.';
    const result = {
      pairsFile: options.pairs,
      backend: engine.backend,
      detector: engine.detector,
      describer: engine.describer,
      ...report,
      scores: report.scores.map((s) => ({ ...s, a: relative(base, s.a), b: relative(base, s.b) })),
      ms: { load: engine.loadMs, ...report.ms },
    };
    printResult(options, result, () => humanLines(result));
  });
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x !== 0 && x < 0.001 ? 3 : 2)} %`;
}

function humanLines(
  r: EvalReport & { backend: string; detector: string; describer: string; ms: { load: number } },
): string[] {
  const c = r.counts;
  const lines = [
    `pairs:      ${c.pairs} (${c.genuine} genuine, ${c.impostor} impostor); no face in ${c.noFace.pairs} (${c.noFace.genuine} genuine, ${c.noFace.impostor} impostor), undecodable ${c.undecodable.pairs}; all counted as rejects`,
    `EER:        ${r.eer ? `${pct(r.eer.rate)} at distance ${r.eer.threshold.toFixed(3)}` : '- (needs genuine and impostor pairs)'}`,
  ];
  for (const p of r.atFar) {
    const at =
      p.threshold === null ? 'no threshold (nothing accepted)' : `threshold ${p.threshold.toFixed(3)}`;
    const caveat = p.resolvable
      ? ''
      : ` (not resolvable: ${c.impostor} impostor pairs < ${p.impostorsNeeded} needed)`;
    lines.push(
      `FAR ≤ ${pct(p.targetFar).padEnd(8)} FRR ${pct(p.frr)} at ${at}; measured FAR ${pct(p.far)}${caveat}`,
    );
  }
  if (r.farResolution !== null)
    lines.push(`resolution: the smallest FAR these pairs can show is ${pct(r.farResolution)}`);
  const g = r.distances.genuine;
  const i = r.distances.impostor;
  const range = (s: typeof g) =>
    s ? `${s.min.toFixed(3)} / ${s.median.toFixed(3)} / ${s.max.toFixed(3)}` : '-';
  lines.push(`distances:  genuine min/median/max ${range(g)}; impostor ${range(i)}`);
  // The whole ROC list is in --json; here about a dozen points spread over it.
  const step = Math.max(1, Math.ceil(r.roc.length / 12));
  const shown = r.roc.filter((_, k) => k % step === 0 || k === r.roc.length - 1);
  lines.push(`ROC:        ${r.roc.length} points (all in --json); threshold  FAR  FRR:`);
  for (const p of shown) lines.push(`            ${p.threshold.toFixed(3)}  ${pct(p.far)}  ${pct(p.frr)}`);
  const a = r.ms.analysis;
  lines.push(
    `backend:    ${r.backend} / ${r.detector} / ${r.describer}; load ${Math.round(r.ms.load)} ms, ${c.analyses} analyses in ${(r.ms.total / 1000).toFixed(1)} s (per image p50 ${Math.round(a.p50)} ms, p95 ${Math.round(a.p95)} ms; detect ${Math.round(a.mean.detect)} ms mean)`,
  );
  return lines;
}

interface Progress {
  update: (done: number) => void;
  note: (line: string) => void;
  done: () => void;
}

/**
 * Progress on stderr: one bar redrawn in place on a terminal; otherwise a plain line every 10 % (logs
 * and CI keep readable lines, no carriage returns).
 */
export function stderrProgress(total: number, label: string, stream = process.stderr): Progress {
  const started = performance.now();
  const tty = stream.isTTY === true;
  let lastDecile = -1;
  let drawn = false;
  const eta = (done: number) => {
    const elapsed = (performance.now() - started) / 1000;
    return done === 0 ? '' : `, ${Math.round((elapsed / done) * (total - done))} s left`;
  };
  return {
    update(done) {
      if (tty) {
        const width = 30;
        const filled = total === 0 ? width : Math.round((done / total) * width);
        stream.write(
          `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}${eta(done)}\x1b[K`,
        );
        drawn = true;
        return;
      }
      const decile = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        stream.write(`${label}: ${done}/${total} images analysed${eta(done)}\n`);
      }
    },
    note(line) {
      if (drawn) stream.write('\r\x1b[K');
      stream.write(`${label}: ${line}\n`);
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
