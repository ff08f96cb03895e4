export const DEFAULT_PKCS11_MODULE = '/usr/lib/softhsm/libsofthsm2.so';
export const DEFAULT_TOKEN_LABEL = 'kiosk';
export const DEFAULT_KEY_LABEL = 'kiosk-device';

/** Where the device key lives. Anything not given comes from the environment, then the defaults. */
export interface DeviceKeyOptions {
  /** PKCS#11 module (shared library); env KIOSK_PKCS11_MODULE, default SoftHSM2's. */
  modulePath?: string;
  /** Token label; env KIOSK_TOKEN_LABEL, default `kiosk`. */
  tokenLabel?: string;
  /** User PIN; env KIOSK_TOKEN_PIN. Never printed, never put in an error message. */
  pin?: string;
  /** Label of the key pair and certificate objects; env KIOSK_KEY_LABEL, default `kiosk-device`. */
  keyLabel?: string;
}

export interface ResolvedDeviceKeyOptions {
  modulePath: string;
  tokenLabel: string;
  pin: string | undefined;
  keyLabel: string;
}

export function resolveDeviceKeyOptions(
  options: DeviceKeyOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedDeviceKeyOptions {
  return {
    modulePath: options.modulePath ?? (env.KIOSK_PKCS11_MODULE || DEFAULT_PKCS11_MODULE),
    tokenLabel: options.tokenLabel ?? (env.KIOSK_TOKEN_LABEL || DEFAULT_TOKEN_LABEL),
    pin: options.pin ?? (env.KIOSK_TOKEN_PIN || undefined),
    keyLabel: options.keyLabel ?? (env.KIOSK_KEY_LABEL || DEFAULT_KEY_LABEL),
  };
}
