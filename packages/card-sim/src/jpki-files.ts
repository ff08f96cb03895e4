/** The JPKI AP's files for one person. */
import { JPKI } from '@myna/card/spec.js';
import { ascii } from './ber-tlv.ts';
import { anyOf, binary, type Ef, FREE, withFiller } from './card-model.ts';
import type { Person } from './person.ts';
import type { PersonKeys, TestPki } from './test-pki.ts';

const TOKEN_LABEL_FIELD = 32;

function tokenInfo(): Uint8Array {
  // The label is space-padded in its 32-byte field; the rest of the 160 bytes is unpublished (zeros).
  const info = new Uint8Array(JPKI.tokenInfoLength);
  info.set(ascii(JPKI.tokenLabel.padEnd(TOKEN_LABEL_FIELD, ' ')));
  return info;
}

/** `8F` per certificate present (auth, signing), then `00`; a PIN-less card has no signing certificate. */
function certificatePresence(hasSigning: boolean): Uint8Array {
  return hasSigning ? JPKI.certificatePresence : Uint8Array.of(0x8f, 0x00, 0x00);
}

export function jpkiFiles(person: Person, pki: TestPki, keys: PersonKeys): Map<number, Ef> {
  const { ef } = JPKI;
  const efs = new Map<number, Ef>([
    [ef.authCertificate, binary(withFiller(keys.auth.certificateDer), FREE)],
    [ef.authCaCertificate, binary(withFiller(pki.authCa.certificateDer), FREE)],
    [ef.signCaCertificate, binary(withFiller(pki.signCa.certificateDer), FREE)],
    [ef.tokenInfo, binary(tokenInfo(), FREE)],
    [ef.certificatePresence, binary(certificatePresence(keys.sign !== undefined), FREE)],
  ]);
  if (person.pin === undefined || person.signingPassword === undefined || keys.sign === undefined) return efs;
  efs.set(ef.authPin, {
    kind: 'pin',
    label: 'jpki.authPin',
    secret: ascii(person.pin),
    maxTries: JPKI.authPinTries,
    initialTriesLeft: person.pinTriesLeft,
  });
  efs.set(ef.authKey, { kind: 'key', privateKey: keys.auth.privateKey, pin: ef.authPin });
  efs.set(ef.signPassword, {
    kind: 'pin',
    label: 'jpki.signPassword',
    secret: ascii(person.signingPassword),
    maxTries: JPKI.signPasswordTries,
    initialTriesLeft: person.signingPasswordTriesLeft,
  });
  efs.set(ef.signKey, { kind: 'key', privateKey: keys.sign.privateKey, pin: ef.signPassword });
  efs.set(ef.signCertificate, binary(withFiller(keys.sign.certificateDer), anyOf(ef.signPassword)));
  return efs;
}
