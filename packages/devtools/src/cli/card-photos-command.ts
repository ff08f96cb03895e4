import { InvalidInputError } from '@myna/card/errors.js';
import { calendarDate } from '@myna/card/verification-number.js';
import { printResult } from '@myna/kiosk/cli/output.js';
import { japanIsoDate } from '@myna/protocol/oqs/oqs-time.js';
import { Command, InvalidArgumentError } from 'commander';

interface PhotosOptions {
  out: string;
  count: number;
  seed: string;
  today?: string;
  negatives: number;
  hard: number;
  camera: string;
  json?: boolean;
}

const CAMERA_SIZE = /^(\d{2,5})x(\d{2,5})$/;

/**
 * `kiosk card photos`: synthetic photos of card fronts as the tray camera sees them, each with a
 * truth file, for the card-front reader's tests and benchmark. Added under the field CLI's `card`.
 */
export function cardPhotosCommand(): Command {
  return new Command('photos')
    .description(
      'write synthetic card-front photos (NNNN.jpg) with their truth (NNNN.json); all data invented',
    )
    .requiredOption('--out <dir>', 'folder to write into (created if missing)')
    .option('--count <n>', 'how many photos', positiveInteger, 100)
    .option('--seed <seed>', 'the same seed gives the same set', '1')
    .option('--today <YYYY-MM-DD>', 'every card is valid on this day (default: today in Japan)')
    .option('--negatives <share>', 'share of backs, other cards and empty trays, 0..1', share, 0.15)
    .option('--hard <share>', 'share of hard photos, 0..1', share, 0.2)
    .option('--camera <sizes>', 'camera sizes WxH, comma-separated, one picked per photo', '1280x960')
    .option('--json', 'print JSON for machines')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .action(async (options: PhotosOptions) => {
      const today = options.today ?? japanIsoDate(new Date());
      const [year, month, day] = today.split('-').map(Number);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || calendarDate(year!, month!, day!) !== today) {
        throw new InvalidInputError('--today must be a date YYYY-MM-DD');
      }
      const cameras = options.camera.split(',').map((size) => {
        const m = CAMERA_SIZE.exec(size.trim());
        if (!m) throw new InvalidInputError(`--camera: "${size}" is not WxH`);
        return { width: Number(m[1]), height: Number(m[2]) };
      });
      // Loaded here: the other commands must not pay for the canvas.
      const { writeCardFrontSet } = await import('../card-front/card-front-set.ts');
      const started = performance.now();
      const result = await writeCardFrontSet(options.out, {
        count: options.count,
        seed: options.seed,
        today,
        negatives: options.negatives,
        hardShare: options.hard,
        cameras,
      });
      const seconds = (performance.now() - started) / 1000;
      const perSecond = Number((result.count / seconds).toFixed(1));
      printResult(options, { ...result, today, seed: options.seed, perSecond }, () => [
        `${result.count} photos in ${result.dir} (${Object.entries(result.kinds)
          .map(([kind, n]) => `${kind} ${n}`)
          .join(', ')}), valid on ${today}, ${perSecond}/s`,
      ]);
    });
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function share(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('must be between 0 and 1');
  return n;
}
