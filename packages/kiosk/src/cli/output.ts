import { CardError, type CardErrorCode } from '@myna/card/errors.js';
import { CodedError } from '@myna/protocol/coded-error.js';
import { ResultXmlError, type ResultXmlErrorCode } from '@myna/protocol/oqs/oqs-xml.js';
import { ConfigError, type ConfigErrorCode } from '../config/config-error.ts';
import { ImageDecodeError, type ImageDecodeErrorCode } from '../face/image/errors.ts';
import { ApiTokenError, type ApiTokenErrorCode } from '../results/api-token.ts';
import { LocalApiError, type LocalApiErrorCode } from '../results/local-api-error.ts';
import { ResultFolderError, type ResultFolderErrorCode } from '../results/result-folder.ts';
import { StoreError, type StoreErrorCode } from '../store/errors.ts';
import { CredentialsError, type CredentialsErrorCode } from '../upstream/client/client-credentials.ts';
import { DeviceKeyError, type DeviceKeyErrorCode } from '../upstream/device-key/errors.ts';
import { UpstreamError, type UpstreamFailure } from '../upstream/errors.ts';

/**
 * Exit statuses, stable for scripts (README "Exit statuses"): 0 success, 1 unexpected, 2 usage,
 * then one per class of failure so clinic IT can tell "no card" from "wrong PIN" or "upstream down"
 * without parsing text.
 */
export const EXIT = {
  unexpected: 1,
  usage: 2,
  noCard: 3,
  wrongPin: 4,
  pinBlocked: 5,
  notMyNumberCard: 6,
  cardRemoved: 7,
  cardData: 8,
  securityStatus: 9,
  fileNotFound: 10,
  badImage: 11,
  deviceToken: 12,
  devicePin: 13,
  deviceKeyMissing: 14,
  deviceKeyExists: 15,
  deviceCertificate: 16,
  pkcs11: 17,
  config: 18,
  store: 19,
  upstreamRefused: 20,
  upstreamUnreachable: 21,
  results: 22,
  /** `card ocr`: a photograph that gives no 照合番号B the gate would send. */
  cardFrontRefused: 23,
} as const;

/**
 * The exit status of every code of every coded error a command can end with, one row per error
 * class (codes repeat across classes: a card's wrong PIN is not the device token's). A code without
 * a status here exits as unexpected, which test/unit/cli/exit-status.test.ts refuses.
 */
export const EXIT_BY_CODE = {
  card: {
    'no-reader': EXIT.noCard,
    'no-card': EXIT.noCard,
    'reader-busy': EXIT.noCard,
    'invalid-input': EXIT.usage,
    'wrong-pin': EXIT.wrongPin,
    'pin-blocked': EXIT.pinBlocked,
    'not-my-number-card': EXIT.notMyNumberCard,
    'card-removed': EXIT.cardRemoved,
    transport: EXIT.cardData,
    malformed: EXIT.cardData,
    'status-word': EXIT.cardData,
    'security-status': EXIT.securityStatus,
    'file-not-found': EXIT.fileNotFound,
  } satisfies Record<CardErrorCode, number>,
  image: {
    'unsupported-format': EXIT.badImage,
    malformed: EXIT.badImage,
    'too-large': EXIT.badImage,
  } satisfies Record<ImageDecodeErrorCode, number>,
  device: {
    'invalid-input': EXIT.usage,
    'module-missing': EXIT.deviceToken,
    'token-not-found': EXIT.deviceToken,
    'no-pin': EXIT.devicePin,
    'wrong-pin': EXIT.devicePin,
    'pin-locked': EXIT.devicePin,
    'key-missing': EXIT.deviceKeyMissing,
    'key-exists': EXIT.deviceKeyExists,
    'cert-mismatch': EXIT.deviceCertificate,
    'bad-certificate': EXIT.deviceCertificate,
    pkcs11: EXIT.pkcs11,
  } satisfies Record<DeviceKeyErrorCode, number>,
  config: {
    'config-unreadable': EXIT.config,
    'config-invalid': EXIT.config,
  } satisfies Record<ConfigErrorCode, number>,
  /** The TLS client pair and CA the config names: a configuration problem for clinic IT. */
  credentials: {
    'credentials-unreadable': EXIT.config,
    'credentials-mismatch': EXIT.config,
    'credentials-expired': EXIT.config,
  } satisfies Record<CredentialsErrorCode, number>,
  store: {
    'invalid-event': EXIT.usage,
    'schema-too-new': EXIT.store,
    'migration-failed': EXIT.store,
    'refused-pii': EXIT.store,
    'duplicate-key': EXIT.store,
    'not-found': EXIT.store,
    'no-database': EXIT.store,
  } satisfies Record<StoreErrorCode, number>,
  /** By the failure: a refusal's code is the upstream's problem code, an open set. */
  upstream: {
    refused: EXIT.upstreamRefused,
    unreachable: EXIT.upstreamUnreachable,
    'timed-out': EXIT.upstreamUnreachable,
  } satisfies Record<UpstreamFailure, number>,
  resultFolder: {
    'folder-missing': EXIT.results,
    'not-a-folder': EXIT.results,
    'not-writable': EXIT.results,
    'disk-full': EXIT.results,
    'write-failed': EXIT.results,
    'group-unknown': EXIT.results,
    'group-not-allowed': EXIT.results,
  } satisfies Record<ResultFolderErrorCode, number>,
  apiToken: {
    'token-too-short': EXIT.results,
    'token-malformed': EXIT.results,
    'token-file-unusable': EXIT.results,
  } satisfies Record<ApiTokenErrorCode, number>,
  localApi: {
    'port-in-use': EXIT.results,
    'port-unusable': EXIT.results,
  } satisfies Record<LocalApiErrorCode, number>,
  resultXml: {
    'invalid-character': EXIT.results,
    malformed: EXIT.results,
    doctype: EXIT.results,
    encoding: EXIT.results,
    'not-a-result': EXIT.results,
  } satisfies Record<ResultXmlErrorCode, number>,
};

type ExitRow = keyof typeof EXIT_BY_CODE;
type ExitKey = { [Row in ExitRow]: [Row, keyof (typeof EXIT_BY_CODE)[Row]] }[ExitRow];

/** Where in EXIT_BY_CODE an error's status is; typed, so a row that lacks a code does not compile. */
function exitKey(error: unknown): ExitKey | undefined {
  if (error instanceof CardError) return ['card', error.code];
  if (error instanceof ImageDecodeError) return ['image', error.code];
  if (error instanceof DeviceKeyError) return ['device', error.code];
  if (error instanceof ConfigError) return ['config', error.code];
  if (error instanceof CredentialsError) return ['credentials', error.code];
  if (error instanceof StoreError) return ['store', error.code];
  if (error instanceof UpstreamError) return ['upstream', error.failure];
  if (error instanceof ResultFolderError) return ['resultFolder', error.code];
  if (error instanceof ApiTokenError) return ['apiToken', error.code];
  if (error instanceof LocalApiError) return ['localApi', error.code];
  if (error instanceof ResultXmlError) return ['resultXml', error.code];
  return undefined;
}

export function exitStatus(error: unknown): number {
  const key = exitKey(error);
  if (!key) return EXIT.unexpected;
  const row: Readonly<Record<string, number>> = EXIT_BY_CODE[key[0]];
  return row[key[1]] ?? EXIT.unexpected;
}

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
  const status = exitStatus(error);
  const coded = error instanceof CardError || error instanceof CodedError;
  const code = coded && status !== EXIT.unexpected ? error.code : 'unexpected';
  const message = error instanceof Error ? error.message : String(error);
  const extra = error instanceof CardError && 'triesLeft' in error ? { triesLeft: error.triesLeft } : {};
  if (status === EXIT.unexpected && process.env.KIOSK_DEBUG) console.error(error);
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: { code, message, ...extra } })}\n`);
  process.stderr.write(`kiosk: ${message}\n`);
  return status;
}
