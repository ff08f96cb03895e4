/**
 * Every coded error a command can end with has an exit status of its own: scripts and clinic IT
 * tell "config invalid" from "upstream down" by the status, so none may fall through to unexpected.
 */
import { CARD_ERROR_CODES, CardError, WrongPinError } from '@myna/card/errors.js';
import { ResultXmlError } from '@myna/protocol/oqs/oqs-xml.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT, EXIT_BY_CODE, exitStatus, reportError } from '../../../src/cli/output.ts';
import { CONFIG_ERROR_CODES, ConfigError } from '../../../src/config/config-error.ts';
import { IMAGE_DECODE_ERROR_CODES, ImageDecodeError } from '../../../src/face/image/errors.ts';
import { ApiTokenError } from '../../../src/results/api-token.ts';
import { LocalApiError } from '../../../src/results/local-api-error.ts';
import { ResultFolderError } from '../../../src/results/result-folder.ts';
import { STORE_ERROR_CODES, StoreError } from '../../../src/store/errors.ts';
import { CredentialsError } from '../../../src/upstream/client/client-credentials.ts';
import { DEVICE_KEY_ERROR_CODES, DeviceKeyError } from '../../../src/upstream/device-key/errors.ts';
import { UPSTREAM_FAILURES, UpstreamError } from '../../../src/upstream/errors.ts';

type Case = [family: string, code: string, error: Error];

const each = <Code extends string>(family: string, codes: readonly Code[], make: (code: Code) => Error) =>
  codes.map((code): Case => [family, code, make(code)]);

/** Codes from the error modules' own lists where they have one, else from the table's row. */
const keys = <Row extends object>(row: Row) => Object.keys(row) as (keyof Row & string)[];

const cases: Case[] = [
  ...each('card', CARD_ERROR_CODES, (code) => new CardError(code, 'card')),
  ...each('image', IMAGE_DECODE_ERROR_CODES, (code) => new ImageDecodeError(code, 'image')),
  ...each('device', DEVICE_KEY_ERROR_CODES, (code) => new DeviceKeyError(code, 'device')),
  ...each('config', CONFIG_ERROR_CODES, (code) => new ConfigError(code, 'kiosk.json', [])),
  ...each('store', STORE_ERROR_CODES, (code) => new StoreError(code, 'store')),
  ...each(
    'upstream',
    UPSTREAM_FAILURES,
    (failure) => new UpstreamError(failure, 'visit-unknown', 'upstream'),
  ),
  ...each('credentials', keys(EXIT_BY_CODE.credentials), (code) => new CredentialsError(code, 'tls')),
  ...each('result folder', keys(EXIT_BY_CODE.resultFolder), (code) => new ResultFolderError(code, '/r', 'r')),
  ...each('api token', keys(EXIT_BY_CODE.apiToken), (code) => new ApiTokenError(code, 'token')),
  ...each('local api', keys(EXIT_BY_CODE.localApi), (code) => new LocalApiError(code, 'port')),
  ...each('result xml', keys(EXIT_BY_CODE.resultXml), (code) => new ResultXmlError(code, 'xml')),
];

describe('exit statuses', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(cases)('%s %s has a status of its own, not unexpected', (_family, _code, error) => {
    expect(exitStatus(error)).toBeGreaterThan(EXIT.unexpected);
  });

  it('tells failures apart that share a code across families', () => {
    expect(exitStatus(new WrongPinError(2))).toBe(EXIT.wrongPin);
    expect(exitStatus(new DeviceKeyError('wrong-pin', 'token PIN'))).toBe(EXIT.devicePin);
    expect(exitStatus(new CardError('malformed', 'card'))).toBe(EXIT.cardData);
    expect(exitStatus(new ImageDecodeError('malformed', 'photo'))).toBe(EXIT.badImage);
  });

  it('gives the upstream a status by how it failed, whatever its problem code', () => {
    expect(exitStatus(new UpstreamError('refused', 'nonce-replayed', 'refused'))).toBe(EXIT.upstreamRefused);
    expect(exitStatus(new UpstreamError('timed-out', 'timed-out', 'slow'))).toBe(EXIT.upstreamUnreachable);
  });

  it('keeps unexpected for errors without a code of ours', () => {
    expect(exitStatus(new Error('bug'))).toBe(EXIT.unexpected);
    expect(exitStatus('thrown string')).toBe(EXIT.unexpected);
  });

  it('reports the code and message as JSON and one stderr line, and returns the status', () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const status = reportError(new ConfigError('config-invalid', 'kiosk.json', []), true);
    expect(status).toBe(EXIT.config);
    expect(JSON.parse(String(stdout.mock.calls[0]![0]))).toEqual({
      ok: false,
      error: { code: 'config-invalid', message: 'config kiosk.json: ' },
    });
    expect(stderr).toHaveBeenCalledWith('kiosk: config kiosk.json: \n');
  });
});
