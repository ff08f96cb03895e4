import type { AttestationSigner } from '@myna/protocol/signed-requests.js';
import { toPem } from './certificate.ts';
import type { DeviceKeyOptions } from './config.ts';
import { DEVICE_KEY_ALGORITHM, withDeviceToken } from './token.ts';

/**
 * The kiosk's device key as the reception flow sees it: what the face-path attestation needs (key
 * id, certificate, signatures made by the token) and what clinic IT is shown.
 */
export interface DeviceSigner extends AttestationSigner {
  /** JWS `alg` of the signatures `sign` makes. */
  readonly algorithm: typeof DEVICE_KEY_ALGORITHM;
  /** SubjectPublicKeyInfo, PEM. */
  readonly publicKeyPem: string;
}

/**
 * Opens the token once to read the key's id, public key and certificate (failing early with a typed
 * error when the key is missing), then opens a fresh session for each signature, so no session or
 * login stays open between requests.
 */
export async function deviceSigner(options: DeviceKeyOptions = {}): Promise<DeviceSigner> {
  const { keyId, publicKeyPem, certificatePem } = await withDeviceToken(options, (token) => {
    const certificate = token.certificate();
    return {
      keyId: token.keyId().toString('hex'),
      publicKeyPem: token.publicKey().export({ type: 'spki', format: 'pem' }).toString(),
      certificatePem: certificate ? toPem('CERTIFICATE', certificate) : null,
    };
  });
  return {
    algorithm: DEVICE_KEY_ALGORITHM,
    keyId,
    publicKeyPem,
    certificatePem,
    sign: async (data) => new Uint8Array(await withDeviceToken(options, (token) => token.sign(data))),
  };
}
