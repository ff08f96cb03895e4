import { generateKeyPairSync, sign, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCsr, parseSubject } from '@myna/kiosk/upstream/device-key/csr.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadUpstreamPki, type UpstreamPki } from '../../src/pki/upstream-pki.ts';

let dir: string;
let pki: UpstreamPki;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'upstream-pki-'));
  pki = loadUpstreamPki(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csrFor(subject: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return buildCsr(
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    parseSubject(subject),
    (data) => sign('sha256', data, privateKey),
  );
}

describe('upstream PKI', () => {
  it('makes a CA and a server certificate for 127.0.0.1 and localhost, and reads them back', () => {
    const server = new X509Certificate(pki.server.certPem);
    expect(server.verify(pki.ca.x509.publicKey)).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(pki.ca.x509.ca).toBe(true);
    const again = loadUpstreamPki(dir);
    expect(again.ca.certPem).toBe(pki.ca.certPem);
    expect(again.server.certPem).toBe(pki.server.certPem);
  });

  it('issues kiosk certificates with the kiosk id as CN and staff ones with the role as title', () => {
    const kiosk = new X509Certificate(pki.kioskClient('kiosk-0001').certPem);
    expect(kiosk.subject).toContain('OU=kiosk');
    expect(kiosk.subject).toContain('CN=kiosk-0001');
    expect(new X509Certificate(pki.kioskClient('kiosk-0001').certPem).fingerprint256).toBe(
      kiosk.fingerprint256,
    );

    const clerk = new X509Certificate(pki.staffClient('suzuki', 'clerk').certPem);
    expect(clerk.subject.split('\n')).toEqual(
      expect.arrayContaining(['OU=staff', 'title=clerk', 'CN=suzuki']),
    );
    expect(clerk.verify(pki.ca.x509.publicKey)).toBe(true);
    expect(() => pki.staffClient('../etc', 'doctor')).toThrow(/must be 1 to 64/);
    expect(() => pki.issueClient('staff', 'no-role')).toThrow(/needs a role/);
  });

  it('signs a device CSR into a device certificate for the CSR key, and refuses a wrong or broken one', async () => {
    const csr = await csrFor('CN=kiosk-0007,O=Example Clinic,C=JP');
    const device = pki.signDeviceCsr(csr, { kioskId: 'kiosk-0007' });
    const cert = new X509Certificate(device.certPem);
    expect(device.kioskId).toBe('kiosk-0007');
    expect(cert.subject).toContain('OU=kiosk-device');
    expect(cert.verify(pki.ca.x509.publicKey)).toBe(true);

    expect(() => pki.signDeviceCsr(csr, { kioskId: 'kiosk-0008' })).toThrow(/not for kiosk "kiosk-0008"/);
    expect(() => pki.signDeviceCsr('not a csr')).toThrow(/not a PEM certificate request/);
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = await buildCsr(
      publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      parseSubject('CN=kiosk-0009'),
      (data) => sign('sha256', data, otherKey),
    );
    expect(() => pki.signDeviceCsr(forged)).toThrow(/not signed by its own key/);
  });

  it('re-issues the server certificate when the CA was made anew', () => {
    rmSync(join(dir, 'ca'), { recursive: true });
    const renewed = loadUpstreamPki(dir);
    expect(renewed.ca.certPem).not.toBe(pki.ca.certPem);
    expect(new X509Certificate(renewed.server.certPem).verify(renewed.ca.x509.publicKey)).toBe(true);
  });
});
