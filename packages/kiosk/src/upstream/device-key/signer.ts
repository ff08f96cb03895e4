import { toPem } from './certificate.ts';
import type { DeviceKeyOptions } from './config.ts';
import { DEVICE_KEY_ALGORITHM, withDeviceToken } from './token.ts';

/** The kiosk's device key as the reception flow sees it (e.g. for the face-path attestation JWS). */
export interface DeviceSigner {
  /** JWS `alg` of the signatures `sign` makes. */
  readonly algorithm: typeof DEVICE_KEY_ALGORITHM;
  /** CKA_ID of the key pair, lower-case hex (a natural JWS `kid`). */
  readonly keyId: string;
  /** SubjectPublicKeyInfo, PEM. */
  readonly publicKeyPem: string;
  /** The installed device certificate, PEM, or null before `kiosk device install-cert`. */
  readonly certificatePem: string | null;
  /** RSASSA-PKCS1-v1_5 with SHA-256 over `data`, made by the token. */
  sign(data: Uint8Array): Promise<Uint8Array>;
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
