import { createPublicKey, type KeyObject, randomBytes, type X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Pkcs11Types from 'pkcs11js';
import { certificateNames, parseCertificate, spkiDer } from './certificate.ts';
import { type DeviceKeyOptions, type ResolvedDeviceKeyOptions, resolveDeviceKeyOptions } from './config.ts';
import { DeviceKeyError } from './errors.ts';

type Pkcs11Binding = typeof Pkcs11Types;
type Handle = Buffer;

/** The device key is RSA-2048 with RSASSA-PKCS1-v1_5 over SHA-256: RS256, as the PIN-path JWS. */
export const DEVICE_KEY_BITS = 2048;
export const DEVICE_KEY_ALGORITHM = 'RS256';

let binding: Pkcs11Binding | undefined;
function pkcs11js(): Pkcs11Binding {
  if (!binding) {
    try {
      binding = createRequire(import.meta.url)('pkcs11js') as Pkcs11Binding;
    } catch (error) {
      throw new DeviceKeyError('module-missing', 'the pkcs11js native binding could not be loaded', {
        cause: error,
      });
    }
  }
  return binding;
}

function isPkcs11Error(error: unknown): error is Error & { code: number } {
  return (
    error instanceof Error &&
    error.name === 'Pkcs11Error' &&
    typeof (error as { code?: unknown }).code === 'number'
  );
}

/** Turns a PKCS#11 failure into a typed error. The text comes from the return value's name only. */
function mapError(error: unknown, doing: string): DeviceKeyError {
  if (error instanceof DeviceKeyError) return error;
  const p = pkcs11js();
  if (isPkcs11Error(error)) {
    const rv = error.code;
    const name = /CKR_\w+/.exec(error.message)?.[0] ?? `CKR 0x${rv.toString(16)}`;
    if (rv === p.CKR_PIN_INCORRECT || rv === p.CKR_PIN_LEN_RANGE || rv === p.CKR_PIN_INVALID)
      return new DeviceKeyError('wrong-pin', `the token refused the user PIN (${name})`);
    if (rv === p.CKR_PIN_LOCKED)
      return new DeviceKeyError('pin-locked', `the token's user PIN is locked (${name})`);
    if (rv === p.CKR_USER_PIN_NOT_INITIALIZED)
      return new DeviceKeyError('token-not-found', `the token has no user PIN yet (${name})`);
    return new DeviceKeyError('pkcs11', `${doing} failed: ${name}`, { cause: error });
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new DeviceKeyError('pkcs11', `${doing} failed: ${message}`, { cause: error });
}

function attr(type: number, value?: Pkcs11Types.Attribute['value']): Pkcs11Types.Attribute {
  return value === undefined ? { type } : { type, value };
}

export interface DeviceKeyAttributes {
  token: boolean;
  private: boolean;
  sensitive: boolean;
  extractable: boolean;
  alwaysSensitive: boolean;
  neverExtractable: boolean;
}

interface KeyPair {
  id: Buffer;
  privateKey: Handle;
  publicKey: Handle;
}

/**
 * An open, logged-in session on the kiosk's token. Only reachable inside {@link withDeviceToken},
 * which closes the session and finalizes the module whatever happens.
 */
export class DeviceToken {
  constructor(
    private readonly p11: Pkcs11Types.PKCS11,
    private readonly session: Handle,
    readonly tokenLabel: string,
    readonly keyLabel: string,
  ) {}

  private find(template: Pkcs11Types.Template): Handle[] {
    this.p11.C_FindObjectsInit(this.session, template);
    try {
      const found: Handle[] = [];
      for (;;) {
        const batch = this.p11.C_FindObjects(this.session, 16);
        if (batch.length === 0) return found;
        found.push(...batch);
      }
    } finally {
      this.p11.C_FindObjectsFinal(this.session);
    }
  }

  private read(object: Handle, type: number): Buffer {
    const [result] = this.p11.C_GetAttributeValue(this.session, object, [attr(type)]);
    if (!result) throw new DeviceKeyError('pkcs11', `attribute 0x${type.toString(16)} was not returned`);
    return result.value;
  }

  private findKeyPair(): KeyPair | null {
    const p = pkcs11js();
    const [privateKey] = this.find([attr(p.CKA_CLASS, p.CKO_PRIVATE_KEY), attr(p.CKA_LABEL, this.keyLabel)]);
    if (!privateKey) return null;
    const id = this.read(privateKey, p.CKA_ID);
    const [publicKey] = this.find([attr(p.CKA_CLASS, p.CKO_PUBLIC_KEY), attr(p.CKA_ID, id)]);
    if (!publicKey)
      throw new DeviceKeyError(
        'key-missing',
        `the token holds private key "${this.keyLabel}" but not its public key`,
      );
    return { id, privateKey, publicKey };
  }

  private keyPair(): KeyPair {
    const pair = this.findKeyPair();
    if (!pair)
      throw new DeviceKeyError(
        'key-missing',
        `token "${this.tokenLabel}" holds no device key "${this.keyLabel}" (run: kiosk device init)`,
      );
    return pair;
  }

  hasKey(): boolean {
    return this.findKeyPair() !== null;
  }

  /**
   * Generates the RSA-2048 device key pair on the token: the private key sensitive, never
   * extractable, token-resident and only for signing. Refuses if one exists unless `force`, which
   * destroys the old key pair and its certificate first.
   */
  generateKey(options: { force?: boolean } = {}): { id: Buffer } {
    const p = pkcs11js();
    const existing = this.findKeyPair();
    if (existing && !options.force)
      throw new DeviceKeyError(
        'key-exists',
        `token "${this.tokenLabel}" already holds device key "${this.keyLabel}" (use --force to replace it)`,
      );
    if (existing) {
      for (const object of [
        ...this.find([attr(p.CKA_ID, existing.id)]),
        ...this.find([attr(p.CKA_LABEL, this.keyLabel)]),
      ])
        try {
          this.p11.C_DestroyObject(this.session, object);
        } catch {
          // Already gone: found by both id and label.
        }
    }
    const id = randomBytes(20);
    const common = [attr(p.CKA_TOKEN, true), attr(p.CKA_ID, id), attr(p.CKA_LABEL, this.keyLabel)];
    this.p11.C_GenerateKeyPair(
      this.session,
      { mechanism: p.CKM_RSA_PKCS_KEY_PAIR_GEN },
      [
        attr(p.CKA_CLASS, p.CKO_PUBLIC_KEY),
        attr(p.CKA_KEY_TYPE, p.CKK_RSA),
        ...common,
        attr(p.CKA_PRIVATE, false),
        attr(p.CKA_VERIFY, true),
        attr(p.CKA_ENCRYPT, false),
        attr(p.CKA_WRAP, false),
        attr(p.CKA_MODULUS_BITS, DEVICE_KEY_BITS),
        attr(p.CKA_PUBLIC_EXPONENT, Buffer.from([1, 0, 1])),
      ],
      [
        attr(p.CKA_CLASS, p.CKO_PRIVATE_KEY),
        attr(p.CKA_KEY_TYPE, p.CKK_RSA),
        ...common,
        attr(p.CKA_PRIVATE, true),
        attr(p.CKA_SENSITIVE, true),
        attr(p.CKA_EXTRACTABLE, false),
        attr(p.CKA_SIGN, true),
        attr(p.CKA_DECRYPT, false),
        attr(p.CKA_UNWRAP, false),
        attr(p.CKA_DERIVE, false),
      ],
    );
    return { id };
  }

  keyId(): Buffer {
    return this.keyPair().id;
  }

  /** The private key's protection attributes, as the token reports them. */
  keyAttributes(): DeviceKeyAttributes {
    const p = pkcs11js();
    const { privateKey } = this.keyPair();
    const types = {
      token: p.CKA_TOKEN,
      private: p.CKA_PRIVATE,
      sensitive: p.CKA_SENSITIVE,
      extractable: p.CKA_EXTRACTABLE,
      alwaysSensitive: p.CKA_ALWAYS_SENSITIVE,
      neverExtractable: p.CKA_NEVER_EXTRACTABLE,
    };
    const values = this.p11.C_GetAttributeValue(
      this.session,
      privateKey,
      Object.values(types).map((t) => attr(t)),
    );
    const flag = (type: number) => (values.find((v) => v.type === type)?.value[0] ?? 0) !== 0;
    return {
      token: flag(types.token),
      private: flag(types.private),
      sensitive: flag(types.sensitive),
      extractable: flag(types.extractable),
      alwaysSensitive: flag(types.alwaysSensitive),
      neverExtractable: flag(types.neverExtractable),
    };
  }

  publicKey(): KeyObject {
    const p = pkcs11js();
    const { publicKey } = this.keyPair();
    const n = this.read(publicKey, p.CKA_MODULUS);
    const e = this.read(publicKey, p.CKA_PUBLIC_EXPONENT);
    return createPublicKey({
      key: { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') },
      format: 'jwk',
    });
  }

  /** RSASSA-PKCS1-v1_5 with SHA-256 (CKM_SHA256_RSA_PKCS): the token hashes `data` and signs it. */
  sign(data: Uint8Array): Buffer {
    const p = pkcs11js();
    const { privateKey } = this.keyPair();
    this.p11.C_SignInit(this.session, { mechanism: p.CKM_SHA256_RSA_PKCS }, privateKey);
    return Buffer.from(this.p11.C_Sign(this.session, Buffer.from(data), Buffer.alloc(DEVICE_KEY_BITS / 8)));
  }

  private certificateObjects(id: Buffer): Handle[] {
    const p = pkcs11js();
    return this.find([attr(p.CKA_CLASS, p.CKO_CERTIFICATE), attr(p.CKA_ID, id)]);
  }

  /** The device certificate (DER) stored with the key's CKA_ID, or null. */
  certificate(): Buffer | null {
    const [object] = this.certificateObjects(this.keyPair().id);
    return object ? this.read(object, pkcs11js().CKA_VALUE) : null;
  }

  /**
   * Stores an X.509 certificate (PEM or DER) on the token under the key's CKA_ID and label,
   * replacing any earlier one. Refuses a certificate whose public key is not the token key's.
   */
  installCertificate(input: Uint8Array): X509Certificate {
    const p = pkcs11js();
    const { der, x509 } = parseCertificate(input);
    const { id } = this.keyPair();
    if (!spkiDer(x509.publicKey).equals(spkiDer(this.publicKey())))
      throw new DeviceKeyError(
        'cert-mismatch',
        `the certificate's public key is not the device key of token "${this.tokenLabel}"`,
      );
    const names = certificateNames(der);
    for (const old of this.certificateObjects(id)) this.p11.C_DestroyObject(this.session, old);
    this.p11.C_CreateObject(this.session, [
      attr(p.CKA_CLASS, p.CKO_CERTIFICATE),
      attr(p.CKA_CERTIFICATE_TYPE, p.CKC_X_509),
      attr(p.CKA_TOKEN, true),
      attr(p.CKA_PRIVATE, false),
      attr(p.CKA_MODIFIABLE, true),
      attr(p.CKA_ID, id),
      attr(p.CKA_LABEL, this.keyLabel),
      attr(p.CKA_SUBJECT, names.subject),
      attr(p.CKA_ISSUER, names.issuer),
      attr(p.CKA_SERIAL_NUMBER, names.serialNumber),
      attr(p.CKA_VALUE, der),
    ]);
    return x509;
  }
}

function findSlot(p11: Pkcs11Types.PKCS11, label: string): Handle {
  const labels: string[] = [];
  for (const slot of p11.C_GetSlotList(true)) {
    const tokenLabel = p11.C_GetTokenInfo(slot).label.trim();
    if (tokenLabel === label) return slot;
    labels.push(tokenLabel);
  }
  throw new DeviceKeyError(
    'token-not-found',
    `no token labelled "${label}" (tokens present: ${labels.length ? labels.map((l) => `"${l}"`).join(', ') : 'none'})`,
  );
}

/**
 * Loads the PKCS#11 module, opens a read-write session on the token, logs in with the user PIN and
 * runs `fn`; then logs out, closes the session, finalizes and unloads the module, even on errors.
 * Every failure comes out as a {@link DeviceKeyError}.
 */
export async function withDeviceToken<T>(
  options: DeviceKeyOptions | ResolvedDeviceKeyOptions,
  fn: (token: DeviceToken) => T | Promise<T>,
): Promise<T> {
  const resolved = resolveDeviceKeyOptions(options);
  if (!existsSync(resolved.modulePath))
    throw new DeviceKeyError(
      'module-missing',
      `PKCS#11 module ${resolved.modulePath} not found (set KIOSK_PKCS11_MODULE)`,
    );
  if (!resolved.pin)
    throw new DeviceKeyError('no-pin', 'no user PIN for the device token (set KIOSK_TOKEN_PIN)');
  const p = pkcs11js();
  const p11 = new p.PKCS11();
  try {
    p11.load(resolved.modulePath);
  } catch (error) {
    throw new DeviceKeyError('module-missing', `PKCS#11 module ${resolved.modulePath} could not be loaded`, {
      cause: error,
    });
  }
  let step = 'C_Initialize';
  let initialized = false;
  try {
    p11.C_Initialize();
    initialized = true;
    step = 'finding the token';
    const slot = findSlot(p11, resolved.tokenLabel);
    step = 'C_OpenSession';
    const session = p11.C_OpenSession(slot, p.CKF_SERIAL_SESSION | p.CKF_RW_SESSION);
    let loggedIn = false;
    try {
      step = 'C_Login';
      p11.C_Login(session, p.CKU_USER, resolved.pin);
      loggedIn = true;
      step = 'the device key operation';
      return await fn(new DeviceToken(p11, session, resolved.tokenLabel, resolved.keyLabel));
    } finally {
      if (loggedIn)
        try {
          p11.C_Logout(session);
        } catch {
          // Closing the session logs out as well.
        }
      try {
        p11.C_CloseSession(session);
      } catch {
        // Finalize below releases it.
      }
    }
  } catch (error) {
    throw mapError(error, step);
  } finally {
    if (initialized)
      try {
        p11.C_Finalize();
      } catch {
        // Nothing more to release.
      }
    try {
      p11.close();
    } catch {
      // The module stays mapped; nothing else to do.
    }
  }
}
