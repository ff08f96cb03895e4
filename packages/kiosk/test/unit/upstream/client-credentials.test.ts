import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadUpstreamPki } from '@myna/upstream-ref/pki/upstream-pki.js';
import { afterAll, describe, expect, it } from 'vitest';
import { CredentialsError, readClientCredentials } from '../../../src/upstream/client/client-credentials.ts';

const dir = mkdtempSync(join(tmpdir(), 'client-credentials-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pki = loadUpstreamPki(join(dir, 'pki'));
const kiosk = pki.kioskClient('kiosk-cred-0001');

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** What reading the credentials threw; a read that succeeds fails the test. */
function refusal(read: () => unknown): CredentialsError {
  let thrown: unknown = null;
  try {
    read();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(CredentialsError);
  return thrown as CredentialsError;
}

describe('readClientCredentials', () => {
  it('reads the CA, the kiosk certificate and its key as issued together', () => {
    const credentials = readClientCredentials({
      caFile: pki.ca.certPath,
      certFile: kiosk.certPath,
      keyFile: kiosk.keyPath,
    });
    expect(credentials).toEqual({ ca: pki.ca.certPem, cert: kiosk.certPem, key: kiosk.keyPem });
  });

  it('names a file it cannot read', () => {
    const error = refusal(() =>
      readClientCredentials({
        caFile: pki.ca.certPath,
        certFile: kiosk.certPath,
        keyFile: join(dir, 'absent.pem'),
      }),
    );
    expect(error.code).toBe('credentials-unreadable');
    expect(error.message).toContain('absent.pem');
    const garbage = file('garbage.pem', 'not a certificate');
    expect(
      refusal(() =>
        readClientCredentials({ caFile: garbage, certFile: kiosk.certPath, keyFile: kiosk.keyPath }),
      ).code,
    ).toBe('credentials-unreadable');
  });

  it('refuses a key that is not the certificate’s, without quoting it', () => {
    const other = pki.issueClient('kiosk', 'kiosk-cred-0002');
    const keyFile = file('other-key.pem', other.keyPem);
    const error = refusal(() =>
      readClientCredentials({ caFile: pki.ca.certPath, certFile: kiosk.certPath, keyFile }),
    );
    expect(error.code).toBe('credentials-mismatch');
    expect(error.message).toContain('other-key.pem');
    expect(error.message).not.toContain('PRIVATE KEY');
  });

  it('refuses a certificate the upstream CA did not issue', () => {
    const foreign = loadUpstreamPki(join(dir, 'foreign')).kioskClient('kiosk-cred-0001');
    const error = refusal(() =>
      readClientCredentials({
        caFile: pki.ca.certPath,
        certFile: foreign.certPath,
        keyFile: foreign.keyPath,
      }),
    );
    expect(error.code).toBe('credentials-mismatch');
    expect(error.message).toContain('not issued by');
    // A bundle that names the other CA as well is accepted.
    const bundle = file(
      'bundle.pem',
      `${pki.ca.certPem}\n${loadUpstreamPki(join(dir, 'foreign')).ca.certPem}`,
    );
    expect(() =>
      readClientCredentials({ caFile: bundle, certFile: foreign.certPath, keyFile: foreign.keyPath }),
    ).not.toThrow();
  });

  it('refuses a certificate outside its validity', () => {
    const expired = pki.issueClient('kiosk', 'kiosk-cred-0003', undefined, {
      notBefore: new Date('2024-01-01T00:00:00Z'),
      notAfter: new Date('2025-01-01T00:00:00Z'),
    });
    const error = refusal(() =>
      readClientCredentials({
        caFile: pki.ca.certPath,
        certFile: file('expired-cert.pem', expired.certPem),
        keyFile: file('expired-key.pem', expired.keyPem),
      }),
    );
    expect(error.code).toBe('credentials-expired');
    expect(error.message).toContain('2025-01-01T00:00:00.000Z');
  });
});
