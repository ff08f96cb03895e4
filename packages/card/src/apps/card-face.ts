import { decodeCardDate, decodeSex, type Sex } from '../card-text.ts';
import { MalformedDataError } from '../errors.ts';
import type { ApduProtocol } from '../protocol.ts';
import { AID, CARD_FACE, TAG } from '../spec.ts';
import { childrenByTag, readFileTlv, requireChild } from '../tlv.ts';
import { ApplicationSession } from './application.ts';
import type { SecretRef, SecretStatus } from './secret.ts';

const NUMBER_B: SecretRef = { ef: CARD_FACE.ef.verificationB, name: 'verification number B' };
const NUMBER_B_DIGITS = 14;

export type PhotoFormat = 'jp2' | 'j2k';

/** The card face as the chip holds it: images stay as stored, nothing is decoded here. */
export interface CardFace {
  birthDate: string;
  sex: Sex;
  expiry: string;
  photo: Uint8Array;
  photoFormat: PhotoFormat;
  nameImage: Uint8Array;
  addressImage: Uint8Array;
  securityCodeImage: Uint8Array;
  publicKey: Uint8Array;
  issuerSignature: Uint8Array;
}

const JP2_SIGNATURE = Uint8Array.of(0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20);
const J2K_CODESTREAM = Uint8Array.of(0xff, 0x4f, 0xff, 0x51);

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && Buffer.from(bytes.subarray(0, prefix.length)).equals(prefix);
}

/**
 * The 券面事項確認 application, opened with 照合番号B (birth date YYMMDD in the Japanese era year +
 * expiry year + security code, read from the card face).
 */
export class CardFaceSession extends ApplicationSession {
  static open(protocol: ApduProtocol): Promise<CardFaceSession> {
    return ApplicationSession.opened(new CardFaceSession(protocol, AID.cardFace, 'card-face application'));
  }

  numberBStatus(): Promise<SecretStatus> {
    return this.secretStatus(NUMBER_B);
  }

  verifyNumberB(numberB: string): Promise<void> {
    return this.verifyDigits(NUMBER_B, numberB, NUMBER_B_DIGITS);
  }

  async face(): Promise<CardFace> {
    return parseCardFaceFile(await this.readFile(CARD_FACE.ef.face, 'card face'));
  }
}

export function parseCardFaceFile(file: Uint8Array): CardFace {
  const children = childrenByTag(readFileTlv(file, TAG.face).value);
  const photo = requireChild(children, TAG.facePhoto, 'face photo');
  let photoFormat: PhotoFormat;
  if (startsWith(photo, JP2_SIGNATURE)) photoFormat = 'jp2';
  else if (startsWith(photo, J2K_CODESTREAM)) photoFormat = 'j2k';
  else throw new MalformedDataError('face photo is not JPEG 2000');
  return {
    birthDate: decodeCardDate(requireChild(children, TAG.faceBirthDate, 'birth date'), 'birth date'),
    sex: decodeSex(requireChild(children, TAG.faceSex, 'sex')),
    expiry: decodeCardDate(requireChild(children, TAG.faceExpiry, 'expiry date'), 'expiry date'),
    photo,
    photoFormat,
    nameImage: requireChild(children, TAG.faceNameImage, 'name image'),
    addressImage: requireChild(children, TAG.faceAddressImage, 'address image'),
    securityCodeImage: requireChild(children, TAG.faceSecurityCodeImage, 'security-code image'),
    publicKey: requireChild(children, TAG.facePublicKey, 'card public key'),
    issuerSignature: requireChild(children, TAG.faceSignature, 'issuer signature'),
  };
}
