import { decodeCardDate, decodeSex, decodeUtf8, type Sex } from '../card-text.ts';
import { MalformedDataError } from '../errors.ts';
import { isValidMyNumber } from '../my-number.ts';
import type { ApduProtocol } from '../protocol.ts';
import { AID, TAG, TEXT_INFO } from '../spec.ts';
import { childrenByTag, readFileTlv, requireChild } from '../tlv.ts';
import { ApplicationSession } from './application.ts';
import type { SecretRef, SecretStatus } from './secret.ts';

const PIN: SecretRef = { ef: TEXT_INFO.ef.pin, name: 'card-info PIN' };

/** 基本4情報: name, address, birth date, sex, exactly as the card holds them. */
export interface BasicFour {
  /** Family and given name separated by U+3000, kept exactly (rare kanji, variation selectors). */
  name: string;
  address: string;
  /** YYYY-MM-DD (Gregorian). */
  birthDate: string;
  sex: Sex;
}

/** The 券面事項入力補助 application: My Number and the basic four, behind its own 4-digit PIN. */
export class TextInfoSession extends ApplicationSession {
  static open(protocol: ApduProtocol): Promise<TextInfoSession> {
    return ApplicationSession.opened(new TextInfoSession(protocol, AID.textInfo, 'card-info application'));
  }

  pinStatus(): Promise<SecretStatus> {
    return this.secretStatus(PIN);
  }

  verifyPin(pin: string): Promise<void> {
    return this.verifyDigits(PIN, pin, 4);
  }

  async myNumber(): Promise<string> {
    const file = await this.readFile(TEXT_INFO.ef.myNumber, 'My Number');
    return parseMyNumberFile(file);
  }

  async basicFour(): Promise<BasicFour> {
    return parseBasicFourFile(await this.readFile(TEXT_INFO.ef.basicFour, 'basic four'));
  }
}

export function parseMyNumberFile(file: Uint8Array): string {
  const tlv = readFileTlv(file, TAG.myNumber);
  const digits = Buffer.from(tlv.value).toString('latin1');
  if (!isValidMyNumber(digits))
    throw new MalformedDataError('My Number is not 12 digits with a valid check digit');
  return digits;
}

export function parseBasicFourFile(file: Uint8Array): BasicFour {
  const children = childrenByTag(readFileTlv(file, TAG.basicFour).value);
  return {
    name: decodeUtf8(requireChild(children, TAG.name, 'name'), 'name'),
    address: decodeUtf8(requireChild(children, TAG.address, 'address'), 'address'),
    birthDate: decodeCardDate(requireChild(children, TAG.birthDate, 'birth date'), 'birth date'),
    sex: decodeSex(requireChild(children, TAG.sex, 'sex')),
  };
}
