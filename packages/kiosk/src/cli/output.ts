import { CardError, type CardErrorCode } from '@myna/card/errors.js';
import { ImageDecodeError } from '../face/image/errors.ts';
import { DeviceKeyError, type DeviceKeyErrorCode } from '../upstream/device-key/errors.ts';

/**
 * Exit statuses, stable for scripts: 0 success, 1 unexpected, 2 usage, then one per class of card
 * failure so clinic IT can tell "no card" from "wrong PIN" without parsing text.
 */
export const EXIT: Record<CardErrorCode | 'unexpected' | 'usage' | 'bad-image', number> = {
  unexpected: 1,
  usage: 2,
  'bad-image': 11,
  'no-reader': 3,
  'no-card': 3,
  'reader-busy': 3,
  'invalid-input': 2,
  'wrong-pin': 4,
  'pin-blocked': 5,
  'not-my-number-card': 6,
  'card-removed': 7,
  transport: 8,
  malformed: 8,
  'status-word': 8,
  'security-status': 9,
  'file-not-found': 10,
};

/** Exit statuses of device-key failures (`kiosk device …`), after the card's and the bad image's. */
export const DEVICE_EXIT: Record<DeviceKeyErrorCode, number> = {
  'invalid-input': 2,
  'module-missing': 12,
  'token-not-found': 12,
  'no-pin': 13,
  'wrong-pin': 13,
  'pin-locked': 13,
  'key-missing': 14,
  'key-exists': 15,
  'cert-mismatch': 16,
  'bad-certificate': 16,
  pkcs11: 17,
};

export interface OutputOptions {
  json?: boolean;
}

/** Prints a result: JSON on stdout for machines, or the human lines. */
export function printResult(options: OutputOptions, value: unknown, human: () => string[]): void {
  if (options.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else for (const line of human()) process.stdout.write(`${line}\n`);
}

/**
 * Every error ends as one line on stderr and a non-zero exit; with --json also as a JSON object on
 * stdout. No message in this code base carries a PIN or card data, so messages are shown as they are.
 */
export function reportError(error: unknown, json: boolean): number {
  if (error instanceof DeviceKeyError)
    return report(error.code, error.message, {}, json, DEVICE_EXIT[error.code]);
  const code =
    error instanceof CardError ? error.code : error instanceof ImageDecodeError ? 'bad-image' : 'unexpected';
  const message = error instanceof Error ? error.message : String(error);
  const extra = error instanceof CardError && 'triesLeft' in error ? { triesLeft: error.triesLeft } : {};
  if (code === 'unexpected' && process.env.KIOSK_DEBUG) console.error(error);
  return report(code, message, extra, json, EXIT[code]);
}

function report(code: string, message: string, extra: object, json: boolean, exit: number): number {
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: { code, message, ...extra } })}\n`);
  process.stderr.write(`kiosk: ${message}\n`);
  return exit;
}
