import { execFileSync, spawnSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueDeviceCertificate, softhsmSkipReason } from '@myna/devtools/test-support/device-token.js';
import { Command } from 'commander';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deviceCommand } from '../../src/cli/device-command.ts';
import { reportError } from '../../src/cli/output.ts';
import { DeviceKeyError, deviceSigner, withDeviceToken } from '../../src/upstream/device-key/index.ts';

const SCRIPT = join(import.meta.dirname, '../../../devtools/scripts/softhsm-token.sh');
const PIN = '482915';
const WRONG_PIN = '771203';

const missing = softhsmSkipReason();
if (missing) console.warn(`device-key tests skipped: ${missing}`);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON under test
  json: any;
}

/** Runs `kiosk device …` in-process, as main.ts will once it adds deviceCommand(). */
async function kiosk(...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  const program = new Command('kiosk').addCommand(deviceCommand());
  const configure = (c: Command): void => {
    c.exitOverride();
    for (const sub of c.commands) configure(sub);
  };
  configure(program);
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'kiosk', ...args]);
  } catch (error) {
    // As main.ts ends every command's failure.
    process.exitCode = reportError(error, args.includes('--json'));
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  const text = out.join('');
  let json: unknown = null;
  if (args.includes('--json')) json = JSON.parse(text);
  return { code, stdout: text, stderr: err.join(''), json };
}

describe.skipIf(missing !== null)('device key in a SoftHSM2 token', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-device-'));
  const tokenDir = join(dir, 'token');
  const saved = { ...process.env };

  beforeAll(() => {
    const lines = execFileSync('bash', [SCRIPT, 'create', tokenDir, 'kiosk-test', PIN], { encoding: 'utf8' });
    const env = Object.fromEntries(
      lines
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(Object.keys(env).sort()).toEqual([
      'KIOSK_PKCS11_MODULE',
      'KIOSK_TOKEN_LABEL',
      'KIOSK_TOKEN_PIN',
      'SOFTHSM2_CONF',
    ]);
    expect(env.SOFTHSM2_CONF).toBe(join(tokenDir, 'softhsm2.conf'));
    Object.assign(process.env, env);
    delete process.env.KIOSK_KEY_LABEL;
  });

  afterAll(() => {
    for (const key of ['SOFTHSM2_CONF', 'KIOSK_PKCS11_MODULE', 'KIOSK_TOKEN_LABEL', 'KIOSK_TOKEN_PIN'])
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    execFileSync('bash', [SCRIPT, 'delete', tokenDir]);
    expect(existsSync(tokenDir)).toBe(false);
  });

  it('shows an empty token', async () => {
    const show = await kiosk('device', 'show', '--json');
    expect(show.code).toBe(0);
    expect(show.json).toEqual({
      ok: true,
      tokenLabel: 'kiosk-test',
      keyLabel: 'kiosk-device',
      key: null,
      certificate: null,
    });
  });

  it('has no key to sign with before init', async () => {
    await expect(deviceSigner()).rejects.toMatchObject({ code: 'key-missing' });
    const csr = await kiosk('device', 'csr', '--out', join(dir, 'early.csr'), '--json');
    expect(csr.code).toBe(14);
    expect(csr.json.error.code).toBe('key-missing');
  });

  it('creates a sensitive, non-extractable, token-resident RSA-2048 key', async () => {
    const init = await kiosk('device', 'init', '--json');
    expect(init.code).toBe(0);
    expect(init.json).toMatchObject({
      ok: true,
      tokenLabel: 'kiosk-test',
      keyLabel: 'kiosk-device',
      keyType: 'RSA-2048',
      algorithm: 'RS256',
      replaced: false,
    });
    expect(init.json.keyId).toMatch(/^[0-9a-f]{40}$/);
    expect(init.json.publicKeySha256).toMatch(/^[0-9a-f]{64}$/);
    // Straight from C_GetAttributeValue, not from the command's report.
    const attributes = await withDeviceToken({}, (token) => token.keyAttributes());
    expect(attributes).toEqual({
      token: true,
      private: true,
      sensitive: true,
      extractable: false,
      alwaysSensitive: true,
      neverExtractable: true,
    });
    expect(init.json.attributes).toEqual(attributes);
  });

  it('refuses a second init, and replaces the key only with --force', async () => {
    const before = await kiosk('device', 'show', '--json');
    const again = await kiosk('device', 'init', '--json');
    expect(again.code).toBe(15);
    expect(again.json).toEqual({
      ok: false,
      error: { code: 'key-exists', message: expect.stringContaining('--force') },
    });
    expect(again.stderr).toMatch(/^kiosk: .*already holds/);
    expect((await kiosk('device', 'show', '--json')).json.key.keyId).toBe(before.json.key.keyId);

    const forced = await kiosk('device', 'init', '--force', '--json');
    expect(forced.code).toBe(0);
    expect(forced.json.replaced).toBe(true);
    expect(forced.json.keyId).not.toBe(before.json.key.keyId);
    expect(forced.json.publicKeySha256).not.toBe(before.json.key.publicKeySha256);
  });

  it('signs RS256 with the token; node:crypto verifies against the public key', async () => {
    const signer = await deviceSigner();
    expect(signer.algorithm).toBe('RS256');
    expect(signer.certificatePem).toBeNull();
    const data = new TextEncoder().encode('{"nonce":"abc","kiosk":"k-1"}');
    const signature = await signer.sign(data);
    expect(signature).toHaveLength(256);
    const key = createPublicKey(signer.publicKeyPem);
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(verify('sha256', data, key, signature)).toBe(true);
    expect(verify('sha256', new TextEncoder().encode('tampered'), key, signature)).toBe(false);
    const show = await kiosk('device', 'show', '--json');
    expect(signer.keyId).toBe(show.json.key.keyId);
  });

  it('writes a CSR signed by the token that openssl verifies and that carries the subject', async () => {
    const out = join(dir, 'device.csr');
    const csr = await kiosk(
      'device',
      'csr',
      '--out',
      out,
      '--subject',
      'CN=kiosk-0001,O=テスト医院,C=JP',
      '--json',
    );
    expect(csr.code).toBe(0);
    expect(csr.json).toMatchObject({ ok: true, out, subject: 'CN=kiosk-0001, O=テスト医院, C=JP' });
    const openssl = spawnSync(
      'openssl',
      ['req', '-in', out, '-verify', '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus'],
      { encoding: 'utf8' },
    );
    expect(openssl.status, openssl.stderr).toBe(0);
    expect(`${openssl.stdout}${openssl.stderr}`).toMatch(/verify OK/);
    expect(openssl.stdout).toContain('subject=CN=kiosk-0001,O=テスト医院,C=JP');
    // The request's key is the token's.
    const pub = spawnSync('openssl', ['req', '-in', out, '-pubkey', '-noout'], { encoding: 'utf8' }).stdout;
    expect(pub).toBe((await deviceSigner()).publicKeyPem);
  });

  it('refuses a certificate for another key and keeps none', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const file = join(dir, 'other.pem');
    writeFileSync(
      file,
      issueDeviceCertificate(
        readFileSync(join(dir, 'device.csr'), 'utf8'),
        other.export({ type: 'spki', format: 'pem' }).toString(),
      ),
    );
    const refused = await kiosk('device', 'install-cert', file, '--json');
    expect(refused.code).toBe(16);
    expect(refused.json).toEqual({
      ok: false,
      error: { code: 'cert-mismatch', message: expect.stringContaining('not the device key') },
    });
    expect((await kiosk('device', 'show', '--json')).json.certificate).toBeNull();

    writeFileSync(join(dir, 'junk.pem'), 'not a certificate');
    const junk = await kiosk('device', 'install-cert', join(dir, 'junk.pem'), '--json');
    expect(junk.json.error.code).toBe('bad-certificate');
  });

  it('installs the certificate issued from the CSR (PEM, then DER) and shows it', async () => {
    const pem = issueDeviceCertificate(readFileSync(join(dir, 'device.csr'), 'utf8'));
    writeFileSync(join(dir, 'device.pem'), pem);
    const installed = await kiosk('device', 'install-cert', join(dir, 'device.pem'), '--json');
    expect(installed.code).toBe(0);
    expect(installed.json).toMatchObject({
      ok: true,
      certificate: {
        subject: 'CN=kiosk-0001, O=テスト医院, C=JP',
        issuer: 'CN=Test Kiosk CA',
        serialNumber: '0A1B2C3D',
        validFrom: '2025-01-01T00:00:00.000Z',
        validTo: '2035-01-01T00:00:00.000Z',
      },
    });

    const der = Buffer.from(
      forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(pem))).getBytes(),
      'binary',
    );
    writeFileSync(join(dir, 'device.der'), der);
    expect((await kiosk('device', 'install-cert', join(dir, 'device.der'), '--json')).code).toBe(0);

    const show = await kiosk('device', 'show', '--json');
    expect(show.json).toMatchObject({
      ok: true,
      tokenLabel: 'kiosk-test',
      key: { keyType: 'RSA-2048', attributes: { extractable: false, sensitive: true } },
      certificate: installed.json.certificate,
    });
    // Stored under the key's CKA_ID (that is how it is found), and the signer hands it out.
    const signer = await deviceSigner();
    expect(signer.certificatePem).toBe(pem.replace(/\r\n/g, '\n'));

    const human = await kiosk('device', 'show');
    expect(human.stdout).toContain('certificate: CN=kiosk-0001, O=テスト医院, C=JP');
    expect(human.stdout).toContain(show.json.key.publicKeySha256);
  });

  it('gives a typed wrong-PIN error that never shows the PIN', async () => {
    process.env.KIOSK_TOKEN_PIN = WRONG_PIN;
    try {
      const error = await withDeviceToken({}, () => 0).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DeviceKeyError);
      expect(error).toMatchObject({ code: 'wrong-pin' });
      expect(String((error as Error).message)).not.toContain(WRONG_PIN);
      const show = await kiosk('device', 'show', '--json');
      expect(show.code).toBe(13);
      expect(show.json.error.code).toBe('wrong-pin');
      expect(show.stdout + show.stderr).not.toContain(WRONG_PIN);
      expect(show.stdout + show.stderr).not.toContain(PIN);
    } finally {
      process.env.KIOSK_TOKEN_PIN = PIN;
    }
    // The right PIN still works: the failed login left no session or module state behind.
    expect((await kiosk('device', 'show', '--json')).code).toBe(0);
  });

  it('names a token that is not there', async () => {
    const show = await kiosk('device', 'show', '--json');
    expect(show.code).toBe(0);
    const error = await withDeviceToken({ tokenLabel: 'no-such-token' }, () => 0).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'token-not-found',
      message: expect.stringContaining('"kiosk-test"'),
    });
  });

  it('has a script that refuses the system token directory and foreign directories', () => {
    const system = spawnSync('bash', [SCRIPT, 'create', '/var/lib/softhsm/tokens/x'], { encoding: 'utf8' });
    expect(system.status).toBe(2);
    expect(system.stderr).toMatch(/system token directory/);
    const foreign = mkdtempSync(join(tmpdir(), 'kiosk-foreign-'));
    writeFileSync(join(foreign, 'keep'), 'x');
    expect(spawnSync('bash', [SCRIPT, 'delete', foreign]).status).toBe(2);
    expect(existsSync(join(foreign, 'keep'))).toBe(true);
  });
});
