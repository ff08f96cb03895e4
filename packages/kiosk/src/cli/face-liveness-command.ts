import { Command, InvalidArgumentError, Option } from 'commander';
import type { DetectorName } from '../face/engine/names.ts';
import type { LivenessConfig, LivenessResult } from '../face/liveness/liveness.ts';
import { engineOptions } from './face-engine-options.ts';
import { printResult } from './output.ts';

interface LivenessOptions {
  live: string[];
  challenge: 'none' | 'blink' | 'turn';
  side: 'left' | 'right';
  interval: number;
  deadline?: number;
  antispoof?: number;
  liveness?: number;
  passive: boolean;
  detector: DetectorName;
  json?: boolean;
}

function number(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a number from ${min} to ${max}`);
    }
    return n;
  };
}

/**
 * `kiosk face liveness`: is a live person in front of the camera, or a photo or a screen? The
 * passive models score each frame; with `--challenge` the frames, taken `--interval` ms apart in the
 * order given, must also show a blink or a head turn. Nothing is written anywhere; the frames are
 * wiped once decided.
 */
export function faceLivenessCommand(): Command {
  return new Command('liveness')
    .description(
      'live person or presentation attack (photo, screen), from camera frames; nothing is written anywhere',
    )
    .requiredOption('--live <frames...>', 'camera frames (.png/.jpg), in the order they were taken')
    .addOption(
      new Option('--challenge <kind>', 'active challenge the frames must show (none: passive check only)')
        .choices(['none', 'blink', 'turn'])
        .default('none'),
    )
    .addOption(
      new Option('--side <side>', "for --challenge turn: the patient's own side asked for")
        .choices(['left', 'right'])
        .default('left'),
    )
    .option('--interval <ms>', 'time between the frames', number(1, 5000), 100)
    .option('--deadline <ms>', 'the challenge fails this long after the first frame', number(500, 60_000))
    .option('--antispoof <score>', 'passive antispoof threshold, 0..1', number(0, 1))
    .option('--liveness <score>', 'passive liveness threshold, 0..1', number(0, 1))
    .option('--no-passive', 'skip the passive models (needs --challenge)')
    .addOption(engineOptions()[0]!)
    .option('--json', 'print JSON for machines')
    .action(async (options: LivenessOptions, command: Command) => {
      if (!options.passive && options.challenge === 'none') {
        command.error('kiosk: --no-passive needs --challenge blink or turn', { exitCode: 2 });
      }
      // Loaded here, not at start-up: the card commands must not pay for the face engine.
      const { FaceEngine } = await import('../face/engine/face-engine.ts');
      const { decodeImageFile } = await import('../face/image/decode.ts');
      const { wipeFrame } = await import('../face/image/frame.ts');
      const { assessLiveness, DEFAULT_LIVENESS_CONFIG, livenessConfigSchema } = await import(
        '../face/liveness/liveness.ts'
      );
      const defaults = DEFAULT_LIVENESS_CONFIG;
      const config: LivenessConfig = livenessConfigSchema.parse({
        passive: {
          ...defaults.passive,
          enabled: options.passive,
          thresholds: {
            antispoof: options.antispoof ?? defaults.passive.thresholds.antispoof,
            liveness: options.liveness ?? defaults.passive.thresholds.liveness,
          },
        },
        active: {
          ...defaults.active,
          enabled: options.challenge !== 'none',
          kind: options.challenge === 'turn' ? 'turn' : 'blink',
          side: options.side,
          frameIntervalMs: Math.round(options.interval),
          deadlineMs: Math.round(options.deadline ?? defaults.active.deadlineMs),
        },
      });
      const frames: Awaited<ReturnType<typeof decodeImageFile>>[] = [];
      try {
        const t0 = performance.now();
        for (const file of options.live) frames.push(await decodeImageFile(file));
        const decodeMs = performance.now() - t0;
        const engine = await FaceEngine.load({ detector: options.detector });
        const result = await assessLiveness(engine, frames, config);
        const report = {
          ...result,
          backend: engine.backend,
          detector: engine.detector,
          ms: { decode: decodeMs, load: engine.loadMs, ...result.ms },
        };
        printResult(options, report, () => human(result, engine.backend, engine.detector, report.ms));
      } finally {
        for (const frame of frames) wipeFrame(frame);
      }
    });
}

function human(
  result: LivenessResult,
  backend: string,
  detector: string,
  ms: { decode: number; load: number; models: number; total: number },
): string[] {
  const score = (v: number | null | undefined) => (v === null || v === undefined ? '-' : v.toFixed(3));
  const { passive, active } = result;
  const lines = [
    `decision:   ${result.decision}${result.reasons.length ? ` (${result.reasons.join(', ')})` : ''}`,
    passive.enabled
      ? `passive:    antispoof ${score(passive.antispoof)} (≥ ${passive.thresholds.antispoof}), liveness ${score(passive.liveness)} (≥ ${passive.thresholds.liveness}); ${passive.liveFrames}/${passive.scoredFrames} frames live`
      : 'passive:    off',
    active
      ? `challenge:  ${active.kind}${active.side ? ` ${active.side}` : ''}: ${active.state}${active.reason ? ` (${active.reason})` : ''} after ${active.observations} frames, ${Math.round(active.elapsedMs)} ms`
      : 'challenge:  none',
    `frames:     ${result.frames
      .map((f) =>
        f.faces === 0
          ? 'no-face'
          : f.passive
            ? `${score(f.passive.antispoof)}/${score(f.passive.liveness)}`
            : `${f.faces} face`,
      )
      .join(' ')}`,
    `backend:    ${backend} / ${detector}; ${Math.round(ms.total)} ms after ${Math.round(ms.load + ms.models)} ms load`,
  ];
  return lines;
}
