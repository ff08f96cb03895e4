/**
 * `kiosk serve upstream` as clinic IT runs it, and the operator's upstream-ca commands: a kiosk's
 * device CSR signed and registered, then its attestation accepted by an upstream on that database.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildCsr, parseSubject } from '@myna/kiosk/upstream/device-key/csr.js';
import { upstreamCaProgram } from '@myna/upstream-ref/admin-commands.js';
import { startUpstream } from '@myna/upstream-ref/start-upstream.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attestation, cardSerial, testPerson, upstreamClient } from '../../src/test-support/upstream-pki.ts';
import { simulatorCards } from '../../src/upstream/simulator-cards.ts';

const BIN = new URL('../../../../bin/kiosk.js', import.meta.url).pathname;
let dir: string;
let child: ChildProcess | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'upstream-cli-'));
});
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function runKiosk(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function admin(args: string[]): Promise<string> {
  let out = '';
  await upstreamCaProgram({ stdout: (text) => (out += text), cardCa: () => simulatorCards().cardCa })
    .exitOverride()
    .parseAsync(args, { from: 'user' });
  return out;
}

describe('kiosk serve upstream', () => {
  it('listens, says where (JSON), answers a kiosk over mTLS, and stops on SIGTERM', async () => {
    child = spawn(
      process.execPath,
      [BIN, 'serve', 'upstream', '--db', `sqlite:${join(dir, 'serve.db')}`, '--port', '0', '--json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const firstLine = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child!.stdout! });
      lines.once('line', resolve);
      child!.once('exit', (code) => reject(new Error(`exited ${code} before listening`)));
    });
    const where = JSON.parse(firstLine) as {
      ok: boolean;
      url: string;
      caCertificate: string;
      database: string;
    };
    expect(where.ok).toBe(true);
    expect(where.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(readFileSync(where.caCertificate, 'utf8')).toContain('BEGIN CERTIFICATE');

    const running = await startUpstream({ db: 'sqlite::memory:', cardCa: simulatorCards().cardCa });
    const kiosk = upstreamClient(
      { url: where.url, pki: running.pki },
      running.pki.kioskClient('kiosk-cli-0001'),
    );
    await running.close();
    expect((await kiosk.post('/v1/nonces')).status).toBe(201);

    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('prints one line and exits 2 for a database URL it does not know, 1 when it cannot reach one', async () => {
    const bad = await runKiosk(['serve', 'upstream', '--db', 'mysql://x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([
      'kiosk: --db: unsupported database "mysql://x": use sqlite:FILE, sqlite::memory: or postgres://…',
    ]);
    const down = await runKiosk(['serve', 'upstream', '--db', 'postgres://u:secret@127.0.0.1:1/x']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /^kiosk: cannot open the upstream database postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/x: /,
    );
    expect(down.stderr).not.toContain('secret');
  });
});

describe('upstream-ca', () => {
  it('enrols a device from its CSR; the kiosk then attests on the face path until it is revoked', async () => {
    const dbUrl = `sqlite:${join(dir, 'enrol.db')}`;
    const kioskId = 'kiosk-cli-enrol';
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const csr = await buildCsr(
      publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      parseSubject(`CN=${kioskId},O=Test clinic,C=JP`),
      (data) => new Uint8Array(sign('sha256', data, privateKey)),
    );
    writeFileSync(join(dir, 'device.csr'), csr);
    const certFile = join(dir, 'device.pem');
    const said = await admin([
      'enrol-device',
      '--csr',
      join(dir, 'device.csr'),
      '--out',
      certFile,
      '--db',
      dbUrl,
    ]);
    expect(said).toContain(`registered kiosk ${kioskId}`);
    const device = { kioskId, privateKey, certPem: readFileSync(certFile, 'utf8') };

    await expect(
      admin(['enrol-device', '--csr', join(dir, 'device.csr'), '--kiosk-id', 'other', '--db', dbUrl]),
    ).rejects.toThrow(/not for kiosk "other"/);

    const upstream = await startUpstream({ ...simulatorCards(), db: dbUrl });
    try {
      const kiosk = upstreamClient(upstream, upstream.pki.kioskClient(kioskId));
      const nonce = async () => ((await kiosk.post('/v1/nonces')).body as { nonce: string }).nonce;
      const person = testPerson('pinless');
      expect(
        (await kiosk.post('/v1/qualifications', { jws: await attestation(device, person, await nonce()) }))
          .status,
      ).toBe(200);

      expect(await admin(['revoke-card', '--cert', cardSerial(person), '--db', dbUrl])).toContain('revoked');
      const revokedCard = await kiosk.post('/v1/qualifications', {
        jws: await attestation(device, person, await nonce()),
      });
      expect(revokedCard.problem.code).toBe('certificate-revoked');

      expect(await admin(['revoke-kiosk', '--id', kioskId, '--db', dbUrl])).toBe(
        `kiosk ${kioskId} revoked\n`,
      );
      expect((await kiosk.post('/v1/nonces')).problem.code).toBe('kiosk-revoked');
    } finally {
      await upstream.close();
    }
  });

  it('refuses a staff certificate without a known role', async () => {
    await expect(admin(['staff', '--name', 'n1', '--role', 'nurse'])).rejects.toThrow(
      /--role must be one of/,
    );
  });
});
