/** The 券面事項確認 AP's (card face) files for one person. */
import { CARD_FACE, TAG } from '@myna/card/spec.js';
import { ascii, indexedRecord, tlv } from './ber-tlv.ts';
import { digitsImage, textPatternImage } from './card-images.ts';
import { cvCertificate, issuerSign, rawRsaPublicKey, sha256 } from './card-keys.ts';
import { anyOf, binary, type Ef, FREE, NEVER, withFiller } from './card-model.ts';
import type { Person } from './person.ts';
import type { PersonKeys, TestPki } from './test-pki.ts';
import { verificationEf } from './verification-efs.ts';

const yyyymmdd = (date: string): Uint8Array => ascii(date.replaceAll('-', ''));

/**
 * EF 0002. DF28 is the issuer's PKCS#1 v1.5 SHA-256 signature over the 96-byte concatenation of
 * SHA-256(DF22‖DF23‖DF24), SHA-256(DF25‖DF26) and SHA-256(DF27), each hash taken over the complete
 * TLVs (tag, length and value) — the real card's exact hashed bytes are unpublished.
 */
export function cardFaceRecord(person: Person, pki: TestPki, keys: PersonKeys): Uint8Array {
  const birth = tlv(TAG.faceBirthDate, yyyymmdd(person.birthDate));
  const sex = tlv(TAG.faceSex, ascii(person.sex));
  const publicKey = tlv(TAG.facePublicKey, rawRsaPublicKey(keys.cardKey));
  const nameImage = tlv(TAG.faceNameImage, textPatternImage(person.name));
  const addressImage = tlv(TAG.faceAddressImage, textPatternImage(person.address));
  const photo = tlv(TAG.facePhoto, person.photoJp2);
  const hashes = Buffer.concat([
    sha256(birth, sex, publicKey),
    sha256(nameImage, addressImage),
    sha256(photo),
  ]);
  return indexedRecord(TAG.face, TAG.faceOffsets, [
    birth,
    sex,
    publicKey,
    nameImage,
    addressImage,
    photo,
    tlv(TAG.faceSignature, issuerSign(pki.issuerKey, hashes)),
    tlv(TAG.faceExpiry, yyyymmdd(person.cardExpiry)),
    tlv(TAG.faceSecurityCodeImage, digitsImage(person.securityCode)),
  ]);
}

/** Basic info: unpublished layout beyond "includes the municipality code"; FF40 / DF41 here. */
function basicInfo(person: Person): Uint8Array {
  return tlv(0xff40, tlv(0xdf41, ascii(person.municipalityCode)));
}

/** Age record `FF10`: only DF11 (birth date); its DF12 key / DF13 signature are unpublished. */
function ageRecord(person: Person): Uint8Array {
  return tlv(0xff10, tlv(0xdf11, yyyymmdd(person.birthDate)));
}

export function cardFaceFiles(
  person: Person,
  pki: TestPki,
  keys: PersonKeys,
  verificationTries: number,
): Map<number, Ef> {
  const { ef } = CARD_FACE;
  return new Map<number, Ef>([
    [ef.verificationA, verificationEf('cardFace', 'A', person, verificationTries)],
    [ef.verificationB, verificationEf('cardFace', 'B', person, verificationTries)],
    [
      ef.face,
      binary(withFiller(cardFaceRecord(person, pki, keys)), anyOf(ef.verificationA, ef.verificationB)),
    ],
    // Opened by a birth-date key EF 0011 whose protocol is unpublished: never readable here.
    [ef.ageRecord, binary(withFiller(ageRecord(person)), NEVER)],
    [ef.myNumberImage, binary(withFiller(digitsImage(person.myNumber)), anyOf(ef.verificationA))],
    [ef.basicInfo, binary(withFiller(basicInfo(person)), FREE)],
    [ef.cvCertificate, binary(withFiller(cvCertificate(keys.cardKey, pki.issuerKey)), FREE)],
  ]);
}
