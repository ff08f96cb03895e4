/**
 * `kiosk card ocr --image FILE…`: what the card-front reader makes of photographs of the card tray,
 * judged as the face path's gate judges one frame. For clinic IT placing the card camera and for
 * vendors checking theirs. 照合番号B is printed only to the terminal asking for it; nothing is
 * written or logged.
 */
import { readFile } from 'node:fs/promises';
import type { CardFrontRead } from '@myna/card/card-front-read.js';
import { calendarDate, fromJapaneseEra } from '@myna/card/verification-number.js';
import { japanIsoDate } from '@myna/protocol/oqs/oqs-time.js';
import { Command, Option } from 'commander';
import { type CardFrontOutcome, cardFrontReader } from '../card-front/card-front-reader.ts';
import { checkRead, DEFAULT_MIN_CONFIDENCE, type GateRefusal } from '../card-front/number-b-gate.ts';
import { EXIT, printResult } from './output.ts';

interface OcrOptions {
  image: string[];
  json?: boolean;
  minConfidence: string;
  today?: string;
}

export interface OcrReport {
  file: string;
  ok: boolean;
  /** Only where every check passed. */
  numberB?: string;
  reason?: GateRefusal | 'file-unreadable';
  upsideDown?: boolean;
  fields?: {
    birth: { era: string | null; year: number; month: number; day: number; date: string | null };
    validUntil: string | null;
    securityCode: string;
  };
  confidence?: { birth: number; validUntil: number; securityCode: number; least: number };
  timingsMs?: Record<string, number>;
}

export function cardOcrCommand(): Command {
  return new Command('ocr')
    .description('reads 照合番号B from photographs of the card front, as the face path does (no card needed)')
    .requiredOption(
      '--image <files...>',
      'JPEG or PNG photographs of the card tray, or scans of the card front',
    )
    .addOption(
      new Option('--min-confidence <0..1>', 'how sure every field must be').default(
        String(DEFAULT_MIN_CONFIDENCE),
      ),
    )
    .option('--today <YYYY-MM-DD>', "the date an expired card is judged by (default: today's in Japan)")
    .option('--json', 'print JSON for machines')
    .action(async (options: OcrOptions, command: Command) => {
      const usage = (message: string) => command.error(`kiosk: ${message}`, { exitCode: EXIT.usage });
      const minConfidence = Number(options.minConfidence);
      if (!(minConfidence >= 0 && minConfidence <= 1)) usage('--min-confidence must be a number from 0 to 1');
      const today = options.today ?? japanIsoDate(new Date());
      if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) usage('--today must be YYYY-MM-DD');
      const reader = await cardFrontReader();
      const reports: OcrReport[] = [];
      try {
        for (const file of options.image)
          reports.push(await readOne(reader.read, file, minConfidence, today));
      } finally {
        await reader.close();
      }
      printResult(options, options.json && reports.length === 1 ? reports[0] : reports, () =>
        reports.flatMap(human),
      );
      const failed = reports.find((r) => !r.ok);
      // A file that cannot be read or decoded is the operator's to fix (as for `face match`); a
      // photograph the reader refuses is the card camera's or the card's.
      const badFile = failed?.reason === 'file-unreadable' || failed?.reason === 'not-an-image';
      if (failed) process.exitCode = badFile ? EXIT.badImage : EXIT.cardFrontRefused;
    });
}

async function readOne(
  read: (image: Uint8Array) => Promise<CardFrontOutcome>,
  file: string,
  minConfidence: number,
  today: string,
): Promise<OcrReport> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch {
    return { file, ok: false, reason: 'file-unreadable' };
  }
  const outcome = await read(bytes);
  bytes.fill(0);
  const timingsMs = Object.fromEntries(Object.entries(outcome.timings).map(([k, v]) => [k, Math.round(v)]));
  if (!outcome.ok)
    return { file, ok: false, reason: outcome.problem, upsideDown: outcome.upsideDown, timingsMs };
  const checked = checkRead(outcome.read, minConfidence, today);
  return {
    file,
    ok: checked.ok,
    ...(checked.ok ? { numberB: checked.numberB } : { reason: checked.reason }),
    upsideDown: outcome.upsideDown,
    fields: fields(outcome.read),
    confidence: { ...outcome.read.confidence, least: Math.min(...Object.values(outcome.read.confidence)) },
    timingsMs,
  };
}

function fields(read: CardFrontRead): NonNullable<OcrReport['fields']> {
  const { era, year, month, day } = read.birth;
  const date = era === null ? calendarDate(year, month, day) : fromJapaneseEra(era, year, month, day);
  const { year: vy, month: vm, day: vd } = read.validUntil;
  return {
    birth: {
      era,
      year,
      month,
      day,
      date: typeof date === 'string' ? date : date && 'iso' in date ? date.iso : null,
    },
    validUntil: calendarDate(vy, vm, vd),
    securityCode: read.securityCode,
  };
}

function human(report: OcrReport): string[] {
  const head = report.ok
    ? `${report.file}: 照合番号B ${report.numberB}`
    : `${report.file}: refused (${report.reason})`;
  const lines = [head];
  if (report.fields) {
    const { birth, validUntil, securityCode } = report.fields;
    const era = birth.era ?? '';
    lines.push(
      `  birth:         ${era}${birth.year === 1 && era ? '元' : birth.year}年${birth.month}月${birth.day}日 (${birth.date ?? 'not a date'})`,
    );
    lines.push(`  valid until:   ${validUntil ?? 'not a date'}`);
    lines.push(`  security code: ${securityCode}`);
  }
  if (report.confidence)
    lines.push(`  confidence:    ${report.confidence.least.toFixed(2)} (least of the three fields)`);
  if (report.upsideDown) lines.push('  the card lay upside down');
  if (report.timingsMs) {
    lines.push(
      `  ms:            ${Object.entries(report.timingsMs)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  }
  return lines;
}
