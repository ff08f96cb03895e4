import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.ts';
import {
  DEFAULT_RESULTS_API_PORT,
  defaultKioskConfig,
  flowConfigOf,
  loadKioskConfig,
} from '../../../src/config/kiosk-config.ts';
import { DEFAULT_FLOW_CONFIG } from '../../../src/reception/flow-types.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-config-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  vi.unstubAllEnvs();
});

function write(text: string): string {
  const file = join(dir, 'kiosk.json');
  writeFileSync(file, text);
  return file;
}

function refusal(text: string): ConfigError {
  try {
    loadKioskConfig(write(text));
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('kiosk config', () => {
  it('is complete from an empty file: the demo defaults, the flow as the reception flow expects', () => {
    vi.stubEnv('KIOSK_DATA_DIR', '/srv/kiosk-data');
    const config = loadKioskConfig(write('{}'));
    expect(config.vendor).toBe('generic');
    expect(config.languages).toEqual(['ja', 'en', 'zh', 'ko', 'vi', 'pt']);
    expect(config.defaultLanguage).toBe('ja');
    expect(config.medicalInstitutionCode).toMatch(/^\d{10}$/);
    expect(flowConfigOf(config)).toEqual(DEFAULT_FLOW_CONFIG);
    // Left out, the data paths are in the kiosk's data folder, never beside the config file.
    expect(config.paths).toEqual({
      db: '/srv/kiosk-data/kiosk.db',
      results: '/srv/kiosk-data/results',
    });
  });

  it('takes a still of the card tray beside the config file, and refuses one that is not there', () => {
    writeFileSync(join(dir, 'tray.jpg'), Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]));
    const config = loadKioskConfig(write(JSON.stringify({ paths: { cardCameraFile: 'tray.jpg' } })));
    expect(config.paths.cardCameraFile).toBe(join(dir, 'tray.jpg'));
    expect(defaultKioskConfig().paths.cardCameraFile).toBeUndefined();
    const error = refusal(JSON.stringify({ paths: { cardCameraFile: 'none.jpg' } }));
    expect(error.issues).toEqual([
      expect.objectContaining({
        path: 'paths.cardCameraFile',
        message: `no such file ${join(dir, 'none.jpg')}`,
      }),
    ]);
  });

  it('keeps what clinic IT set, and resolves paths against the config file', () => {
    vi.stubEnv('KIOSK_DATA_DIR', '/srv/kiosk-data');
    const config = loadKioskConfig(
      write(
        JSON.stringify({
          vendor: 'fujitsu',
          languages: ['ja', 'en'],
          flow: { consents: ['medication', 'checkup', 'diagnosis'], bundledConsent: true, faceAttempts: 3 },
          kioskId: 'reception-2',
          paths: { results: '/srv/emr/face', db: 'kiosk.db' },
        }),
      ),
    );
    expect(config.flow).toMatchObject({
      consents: ['medication', 'checkup', 'diagnosis'],
      bundledConsent: true,
    });
    expect(config.flow.limitInfo).toBe(DEFAULT_FLOW_CONFIG.limitInfo);
    expect(config.paths).toEqual({
      db: join(dir, 'kiosk.db'),
      results: '/srv/emr/face',
    });
  });

  it('has the same defaults without a file', () => {
    expect(flowConfigOf(defaultKioskConfig())).toEqual(DEFAULT_FLOW_CONFIG);
  });

  it('refuses a default language the clinic does not offer, at its line', () => {
    const error = refusal('{\n  "languages": ["ja", "en"],\n  "defaultLanguage": "ko"\n}\n');
    expect(error.issues).toEqual([expect.objectContaining({ path: 'defaultLanguage', line: 3 })]);
  });

  it('refuses a language it has no texts for, naming the array element', () => {
    const error = refusal('{\n  "languages": [\n    "ja",\n    "fr"\n  ]\n}\n');
    expect(error.issues[0]).toMatchObject({ path: 'languages[1]', line: 4 });
  });

  it('refuses a bad institution code, an unknown consent and an unknown vendor, all at once', () => {
    const error = refusal(
      JSON.stringify({ medicalInstitutionCode: '123', flow: { consents: ['dental'] } }, null, 2),
    );
    expect(error.issues.map((i) => i.path).sort()).toEqual(['flow.consents[0]', 'medicalInstitutionCode']);
    expect(refusal('{ "vendor": "acme" }').issues[0]).toMatchObject({ path: 'vendor', line: 1 });
    expect(refusal('{ "vendor": "acme" }').message).toMatch(/unknown vendor "acme"/);
  });

  it('refuses time-outs a patient could not use', () => {
    expect(refusal('{ "flow": { "screenTimeoutMs": 500 } }').issues[0]?.path).toBe('flow.screenTimeoutMs');
  });

  it('takes the field upstream with its TLS files relative to the config, and the face settings', () => {
    const config = loadKioskConfig(
      write(
        JSON.stringify({
          upstream: {
            url: 'https://oqs.example.jp:8443',
            caFile: 'tls/ca.pem',
            certFile: 'tls/kiosk.pem',
            keyFile: '/etc/kiosk/key.pem',
          },
          face: { detector: 'tiny', challenge: 'turn' },
        }),
      ),
    );
    expect(config.upstream).toEqual({
      url: 'https://oqs.example.jp:8443',
      caFile: join(dir, 'tls/ca.pem'),
      certFile: join(dir, 'tls/kiosk.pem'),
      keyFile: '/etc/kiosk/key.pem',
    });
    expect(config.face).toEqual({ detector: 'tiny', attemptMs: 12_000, challenge: 'turn' });
    expect(loadKioskConfig(write('{}')).face.challenge).toBe('blink');
    expect(
      refusal(
        JSON.stringify({
          upstream: { url: 'http://oqs.example.jp', caFile: 'a', certFile: 'b', keyFile: 'c' },
        }),
      ).message,
    ).toMatch(/upstream\.url.*https/);
    expect(refusal(JSON.stringify({ face: { challenge: 'smile' } })).message).toMatch(/face\.challenge/);
  });

  it('puts the local results API on a fixed port, holding results an hour, unless clinic IT says otherwise', () => {
    const defaults = loadKioskConfig(write('{}'));
    expect(defaults.resultsApi).toEqual({ port: DEFAULT_RESULTS_API_PORT, retentionMinutes: 60 });
    expect(DEFAULT_RESULTS_API_PORT).toBe(8780);
    expect(defaults.resultFiles).toEqual({});
    expect(defaultKioskConfig().resultsApi.port).toBe(8780);
    const config = loadKioskConfig(
      write(
        JSON.stringify({
          resultsApi: { port: 9100, retentionMinutes: 480 },
          resultFiles: { group: 'emr-share' },
        }),
      ),
    );
    expect(config.resultsApi).toEqual({ port: 9100, retentionMinutes: 480 });
    expect(config.resultFiles.group).toBe('emr-share');
    expect(loadKioskConfig(write('{ "resultFiles": { "group": 1001 } }')).resultFiles.group).toBe(1001);
  });

  it('refuses a port, a retention and a group that cannot work, naming the key', () => {
    expect(refusal('{ "resultsApi": { "port": 70000 } }').issues[0]?.path).toBe('resultsApi.port');
    expect(refusal('{ "resultsApi": { "retentionMinutes": 0 } }').issues[0]?.path).toBe(
      'resultsApi.retentionMinutes',
    );
    expect(refusal('{ "resultsApi": { "retentionMinutes": 2000 } }').issues[0]?.path).toBe(
      'resultsApi.retentionMinutes',
    );
    expect(refusal('{ "resultsApi": { "host": "0.0.0.0" } }').message).toMatch(/host/);
    const group = refusal('{ "resultFiles": { "group": "../wheel" } }');
    expect(group.issues[0]?.path).toBe('resultFiles.group');
    expect(group.message).toMatch(/group name .* or a numeric gid/);
  });
});
