import { CodedError } from '@myna/protocol/coded-error.js';

/** What went wrong with the device key, in terms clinic IT can act on. */
export const DEVICE_KEY_ERROR_CODES = [
  'module-missing',
  'token-not-found',
  'wrong-pin',
  'pin-locked',
  'no-pin',
  'key-missing',
  'key-exists',
  'cert-mismatch',
  'bad-certificate',
  'invalid-input',
  'pkcs11',
] as const;
export type DeviceKeyErrorCode = (typeof DEVICE_KEY_ERROR_CODES)[number];

/**
 * A typed device-key failure. Messages never carry the PIN: they are built here from fixed text and
 * PKCS#11 return-value names, never from input the user typed as a PIN.
 */
export class DeviceKeyError extends CodedError<DeviceKeyErrorCode> {}
