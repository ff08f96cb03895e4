export {
  type CertificateSummary,
  parseCertificate,
  spkiFingerprint,
  summarizeCertificate,
} from './certificate.ts';
export {
  DEFAULT_KEY_LABEL,
  DEFAULT_PKCS11_MODULE,
  DEFAULT_TOKEN_LABEL,
  type DeviceKeyOptions,
  resolveDeviceKeyOptions,
} from './config.ts';
export { buildCsr, parseSubject, type SubjectAttribute } from './csr.ts';
export { DeviceKeyError, type DeviceKeyErrorCode } from './errors.ts';
export { type DeviceSigner, deviceSigner } from './signer.ts';
export {
  DEVICE_KEY_ALGORITHM,
  DEVICE_KEY_BITS,
  type DeviceKeyAttributes,
  DeviceToken,
  withDeviceToken,
} from './token.ts';
