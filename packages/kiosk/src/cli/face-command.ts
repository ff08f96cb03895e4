import { Command } from 'commander';
import { DEFAULT_MATCH_POLICY, defaultMatchPolicy, matchPolicySchema } from '../face/match-policy.ts';
import { type EngineChoice, engineOptions } from './face-engine-options.ts';
import { faceEvalCommand } from './face-eval-command.ts';
import { faceLivenessCommand } from './face-liveness-command.ts';
import { printResult } from './output.ts';

interface MatchOptions extends EngineChoice {
  card: string;
  live: string[];
  threshold?: string;
  json?: boolean;
}

export function faceCommand(): Command {
  const face = new Command('face').description(
    'face authentication: live camera frames against the card photo',
  );

  const match = face
    .command('match')
    .description(
      'match live frames against the card photo (.jp2/.j2k/.png/.jpg); nothing is written anywhere',
    )
    .requiredOption('--card <file>', 'the card photo, as read from the chip (JPEG 2000) or an image')
    .requiredOption('--live <frames...>', 'camera frames (.png/.jpg), in the order they were taken');
  for (const option of engineOptions()) match.addOption(option);
  match
    .option(
      '--threshold <distance>',
      `accept at or below this descriptor distance (default ${DEFAULT_MATCH_POLICY.threshold} for arcface)`,
    )
    .option('--json', 'print JSON for machines')
    .action(async (options: MatchOptions) => {
      const policy = matchPolicySchema.parse({
        ...defaultMatchPolicy(options.describer),
        ...(options.threshold === undefined
          ? {}
          : { threshold: Number(options.threshold), calibratedOn: 'command line' }),
      });
      // Loaded here, not at start-up: the card commands must not pay for the face engine.
      const { FaceEngine } = await import('../face/engine/face-engine.ts');
      const { decodeImageFile } = await import('../face/image/decode.ts');
      const { matchFaces } = await import('../face/matcher.ts');
      const t0 = performance.now();
      const card = await decodeImageFile(options.card);
      const live = await Promise.all(options.live.map((f) => decodeImageFile(f)));
      const decodeMs = performance.now() - t0;
      const engine = await FaceEngine.load({ detector: options.detector, describer: options.describer });
      const result = await matchFaces(engine, card, live, policy);
      const report = {
        ...result,
        backend: engine.backend,
        detector: engine.detector,
        describer: engine.describer,
        ms: { decode: decodeMs, load: engine.loadMs, ...result.ms },
      };
      printResult(options, report, () => [
        `decision:   ${result.decision}${result.reasons.length ? ` (${result.reasons.join(', ')})` : ''}`,
        `score:      ${result.score === null ? '-' : result.score.toFixed(3)} (distance; accept ≤ ${result.threshold}, calibrated at FAR ${result.calibratedFar})`,
        `frames:     ${result.frames.map((f) => (f.distance === null ? f.reasons.join('+') || '-' : f.distance.toFixed(3))).join(' ')}`,
        `backend:    ${engine.backend} / ${engine.detector} / ${engine.describer}; ${Math.round(report.ms.total)} ms after ${Math.round(engine.loadMs)} ms load`,
      ]);
    });

  face.addCommand(faceEvalCommand());
  face.addCommand(faceLivenessCommand());
  return face;
}
