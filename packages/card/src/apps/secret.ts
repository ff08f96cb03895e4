import { FileNotFoundError, InvalidInputError } from '../errors.ts';
import { type ApduProtocol, statusError } from '../protocol.ts';
import { SW } from '../spec.ts';

/** Where a PIN or verification number stands, read without consuming a try. */
export interface SecretStatus {
  state: 'ready' | 'verified' | 'blocked' | 'absent';
  /** Tries the card still allows; null where the card did not say (verified, absent). */
  triesLeft: number | null;
}

export interface SecretRef {
  ef: number;
  /** How the secret is named in errors and screens: never its value. */
  name: string;
}

/** `00 20 00 80` without data: the card answers the tries left and does not count a try. */
export async function secretStatus(protocol: ApduProtocol, ref: SecretRef): Promise<SecretStatus> {
  let sw: number;
  try {
    sw = await protocol.verify(ref.ef, undefined, ref.name);
  } catch (error) {
    if (error instanceof FileNotFoundError) return ABSENT;
    throw error;
  }
  // A PIN-less card (顔認証マイナンバーカード) has no PIN file at all.
  if (sw === SW.notFound) return ABSENT;
  if (sw === SW.ok) return { state: 'verified', triesLeft: null };
  if (sw === SW.blocked) return { state: 'blocked', triesLeft: 0 };
  if ((sw & 0xfff0) === SW.wrongPinMask) {
    const left = sw & 0x0f;
    return { state: left === 0 ? 'blocked' : 'ready', triesLeft: left };
  }
  throw statusError(sw, `VERIFY ${ref.name} (status)`);
}

const ABSENT: SecretStatus = { state: 'absent', triesLeft: null };

/**
 * Presents the secret once. Never retries: a wrong secret throws WrongPinError with the tries the
 * card reports, a used-up one PinBlockedError.
 */
export async function verifySecret(
  protocol: ApduProtocol,
  ref: SecretRef,
  secret: Uint8Array,
): Promise<void> {
  let sw: number;
  try {
    sw = await protocol.verify(ref.ef, secret, ref.name);
  } catch (error) {
    if (error instanceof FileNotFoundError) sw = SW.notFound;
    else throw error;
  }
  if (sw === SW.notFound) throw new FileNotFoundError(`${ref.name} (a PIN-less card)`);
  if (sw !== SW.ok) throw statusError(sw, `VERIFY ${ref.name}`, ref.name);
}

/** Checks a secret's shape before it goes near the card: a malformed one must not cost a try. */
export function digitsSecret(value: string, digits: number, name: string): Uint8Array {
  if (!new RegExp(`^[0-9]{${digits}}$`).test(value)) {
    throw new InvalidInputError(`the ${name} must be ${digits} digits`);
  }
  return Buffer.from(value, 'ascii');
}
