import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildCsr,
  DeviceKeyError,
  parseCertificate,
  parseSubject,
  resolveDeviceKeyOptions,
  withDeviceToken,
} from '../../../src/upstream/device-key/index.ts';

describe('device key options', () => {
  it('takes the environment, then the defaults', () => {
    expect(resolveDeviceKeyOptions({}, {})).toEqual({
      modulePath: '/usr/lib/softhsm/libsofthsm2.so',
      tokenLabel: 'kiosk',
      pin: undefined,
      keyLabel: 'kiosk-device',
    });
    expect(
      resolveDeviceKeyOptions(
        { tokenLabel: 'given' },
        { KIOSK_PKCS11_MODULE: '/opt/tpm.so', KIOSK_TOKEN_LABEL: 'env', KIOSK_TOKEN_PIN: '1234' },
      ),
    ).toEqual({ modulePath: '/opt/tpm.so', tokenLabel: 'given', pin: '1234', keyLabel: 'kiosk-device' });
  });

  it('names a missing module and a missing PIN with typed errors', async () => {
    await expect(
      withDeviceToken({ modulePath: '/nonexistent/p11.so', pin: '1' }, () => 0),
    ).rejects.toMatchObject({
      code: 'module-missing',
    });
    await expect(withDeviceToken({ modulePath: process.execPath, pin: '1' }, () => 0)).rejects.toMatchObject({
      code: 'module-missing',
    });
    await expect(withDeviceToken({ modulePath: process.execPath, pin: '' }, () => 0)).rejects.toMatchObject({
      code: 'no-pin',
    });
  });
});

describe('subjects', () => {
  it('reads the comma and the slash forms', () => {
    expect(parseSubject('CN=kiosk-0001, O=テスト医院,C=JP')).toEqual([
      { shortName: 'CN', value: 'kiosk-0001' },
      { shortName: 'O', value: 'テスト医院' },
      { shortName: 'C', value: 'JP' },
    ]);
    expect(parseSubject('/CN=a/OU=b')).toEqual([
      { shortName: 'CN', value: 'a' },
      { shortName: 'OU', value: 'b' },
    ]);
  });

  it('refuses unknown names, empty values and a subject without CN', () => {
    for (const bad of ['XX=1,CN=a', 'CN=', 'O=clinic', 'CN'])
      expect(() => parseSubject(bad)).toThrow(DeviceKeyError);
  });
});

describe('CSR assembly', () => {
  it('puts the signature it is given around forge-encoded request info', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { sign } = await import('node:crypto');
    const pem = await buildCsr(
      publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      parseSubject('CN=kiosk-test,C=JP'),
      (data) => sign('sha256', data, privateKey),
    );
    const forge = (await import('node-forge')).default;
    const csr = forge.pki.certificationRequestFromPem(pem);
    expect(csr.verify()).toBe(true);
    expect(csr.subject.getField('CN').value).toBe('kiosk-test');
  });
});

describe('certificate input', () => {
  it('refuses what is not a certificate', () => {
    expect(() => parseCertificate(Buffer.from('hello'))).toThrow(/not an X.509 certificate/);
    expect(() =>
      parseCertificate(Buffer.from('-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----\n')),
    ).toThrow(/no PEM CERTIFICATE/);
  });
});
