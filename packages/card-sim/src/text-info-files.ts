/** The 券面事項入力補助 AP's (card info input support) files for one person. */
import { TAG, TEXT_INFO } from '@myna/card/spec.js';
import { ascii, indexedRecord, tlv, utf8 } from './ber-tlv.ts';
import { cvCertificate, issuerSign, sha256 } from './card-keys.ts';
import { anyOf, binary, type Ef, FREE, withFiller } from './card-model.ts';
import type { Person } from './person.ts';
import type { PersonKeys, TestPki } from './test-pki.ts';
import { verificationEf } from './verification-efs.ts';

/** `FF 10 0C` + 12 ASCII digits, then exactly `FF FF` (17 bytes, as read from a test card). */
const MY_NUMBER_FILE_SIZE = 17;

function basicFourItems(person: Person): Uint8Array[] {
  return [
    tlv(TAG.name, utf8(person.name)),
    tlv(TAG.address, utf8(person.address)),
    tlv(TAG.birthDate, ascii(person.birthDate.replaceAll('-', ''))),
    tlv(TAG.sex, ascii(person.sex)),
  ];
}

/**
 * Integrity record: DF31 = SHA-256 of the My Number TLV (without filler), DF32 = SHA-256 of the
 * basic four's DF22–DF25 TLVs concatenated, DF33 = the issuer's PKCS#1 v1.5 SHA-256 signature over
 * the two hashes concatenated. Which bytes the real card hashes is unpublished.
 */
function integrityRecord(myNumberTlv: Uint8Array, items: Uint8Array[], pki: TestPki): Uint8Array {
  const myNumberHash = sha256(myNumberTlv);
  const basicFourHash = sha256(...items);
  return tlv(
    TAG.integrity,
    tlv(0xdf31, myNumberHash),
    tlv(0xdf32, basicFourHash),
    tlv(0xdf33, issuerSign(pki.issuerKey, Buffer.concat([myNumberHash, basicFourHash]))),
  );
}

/** AP basic info `FF40`: its content is unpublished; DF41 carries an AP version placeholder. */
const AP_BASIC_INFO = tlv(0xff40, tlv(0xdf41, Uint8Array.of(0x00, 0x01)));

export function textInfoFiles(
  person: Person,
  pki: TestPki,
  keys: PersonKeys,
  verificationTries: number,
): Map<number, Ef> {
  const { ef } = TEXT_INFO;
  const myNumberTlv = tlv(TAG.myNumber, ascii(person.myNumber));
  const items = basicFourItems(person);
  const efs = new Map<number, Ef>([
    [ef.verificationA, verificationEf('textInfo', 'A', person, verificationTries)],
    [ef.verificationB, verificationEf('textInfo', 'B', person, verificationTries)],
    [ef.myNumber, binary(withFiller(myNumberTlv, MY_NUMBER_FILE_SIZE), anyOf(ef.pin, ef.verificationA))],
    [
      ef.basicFour,
      binary(
        withFiller(indexedRecord(TAG.basicFour, TAG.basicFourOffsets, items)),
        anyOf(ef.pin, ef.verificationB),
      ),
    ],
    [
      ef.integrity,
      binary(
        withFiller(integrityRecord(myNumberTlv, items, pki)),
        anyOf(ef.pin, ef.verificationA, ef.verificationB),
      ),
    ],
    [ef.cvCertificate, binary(withFiller(cvCertificate(keys.cardKey, pki.issuerKey)), FREE)],
    [ef.apInfo, binary(withFiller(AP_BASIC_INFO), FREE)],
  ]);
  const pin = person.textInfoPin ?? person.pin;
  if (pin !== undefined) {
    efs.set(ef.pin, {
      kind: 'pin',
      label: 'textInfo.pin',
      secret: ascii(pin),
      maxTries: TEXT_INFO.pinTries,
      initialTriesLeft: person.textInfoPinTriesLeft,
    });
  }
  return efs;
}
