/**
 * A throwaway SoftHSM2 token holding a kiosk device key with an installed certificate, for tests
 * and benchmarks of the face path, and the small CA that issues such certificates from a CSR.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildCsr,
  DEFAULT_PKCS11_MODULE,
  type DeviceKeyOptions,
  withDeviceToken,
} from '@myna/kiosk/upstream/device-key/index.js';
import forge from 'node-forge';
import { deleteSoftHsmToken, softhsmToken } from '../softhsm/softhsm-script.ts';

/** Why device-key tests cannot run here, or null. */
export function softhsmSkipReason(): string | null {
  if (!existsSync(DEFAULT_PKCS11_MODULE))
    return `${DEFAULT_PKCS11_MODULE} is missing (apt-get install softhsm2)`;
  if (spawnSync('softhsm2-util', ['--version']).status !== 0) return 'softhsm2-util is not installed';
  return null;
}

/** Issues a device certificate for `csrPem` from a throwaway CA (or for `publicKeyPem`, to test a mismatch). */
export function issueDeviceCertificate(csrPem: string, publicKeyPem?: string): string {
  const ca = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const caKey = forge.pki.privateKeyFromPem(
    ca.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  );
  const csr = forge.pki.certificationRequestFromPem(csrPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKeyPem ? forge.pki.publicKeyFromPem(publicKeyPem) : csr.publicKey!;
  cert.serialNumber = '0a1b2c3d';
  cert.validity.notBefore = new Date('2025-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2035-01-01T00:00:00Z');
  // forge reads a UTF8String as its raw bytes but encodes the value it is given as UTF-8.
  cert.setSubject(
    csr.subject.attributes.map((a) =>
      a.valueTagClass === (forge.asn1.Type.UTF8 as unknown)
        ? { ...a, value: forge.util.decodeUtf8(String(a.value)) }
        : a,
    ),
  );
  cert.setIssuer([{ shortName: 'CN', value: 'Test Kiosk CA' }]);
  cert.sign(caKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

export interface ReadyDeviceToken {
  options: DeviceKeyOptions;
  certificatePem: string;
  remove(): void;
}

/**
 * A token with a key and an installed certificate (what `kiosk device init`, `csr` and
 * `install-cert` leave behind). SoftHSM2 reads SOFTHSM2_CONF from the environment, so it is set
 * here for the process until remove().
 */
export async function readyDeviceToken(
  issue: (csrPem: string) => string = issueDeviceCertificate,
): Promise<ReadyDeviceToken> {
  const dir = join(mkdtempSync(join(tmpdir(), 'kiosk-device-')), 'token');
  const env = softhsmToken(dir, 'kiosk-test', '246810');
  const saved = process.env.SOFTHSM2_CONF;
  process.env.SOFTHSM2_CONF = env.SOFTHSM2_CONF;
  const options: DeviceKeyOptions = { tokenLabel: env.KIOSK_TOKEN_LABEL, pin: env.KIOSK_TOKEN_PIN };
  const certificatePem = await withDeviceToken(options, async (token) => {
    token.generateKey();
    const publicKeyPem = token.publicKey().export({ type: 'spki', format: 'pem' }).toString();
    const csr = await buildCsr(publicKeyPem, [{ shortName: 'CN', value: 'kiosk-test-0001' }], (d) =>
      token.sign(d),
    );
    const pem = issue(csr);
    token.installCertificate(Buffer.from(pem));
    return pem;
  });
  return {
    options,
    certificatePem,
    remove() {
      deleteSoftHsmToken(dir);
      if (saved === undefined) delete process.env.SOFTHSM2_CONF;
      else process.env.SOFTHSM2_CONF = saved;
    },
  };
}
