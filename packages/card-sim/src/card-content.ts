/** Builds a person's whole card: the three applications with their files, keys and PINs. */
import { AID, CARD_FACE, TEXT_INFO } from '@myna/card/spec.js';
import { cardFaceFiles } from './card-face-files.ts';
import type { CardContent } from './card-model.ts';
import { jpkiFiles } from './jpki-files.ts';
import type { Person } from './person.ts';
import { loadTestPki, personKeys, type TestPki } from './test-pki.ts';
import { textInfoFiles } from './text-info-files.ts';

export interface ContentOptions {
  /** Defaults to the shared on-disk test PKI (var/pki or KIOSK_PKI_DIR). */
  readonly pki?: TestPki;
  /** Retry limit of 照合番号A/B (unconfirmed on real cards); defaults to spec.ts. */
  readonly verificationTries?: number;
}

/** `63 Cx` carries the tries left in one hex digit. */
const MAX_TRIES = 15;

export function buildCardContent(person: Person, options: ContentOptions = {}): CardContent {
  const { verificationTries } = options;
  if (
    verificationTries !== undefined &&
    !(Number.isInteger(verificationTries) && verificationTries >= 1 && verificationTries <= MAX_TRIES)
  ) {
    throw new RangeError(`verificationTries must be an integer from 1 to ${MAX_TRIES}`);
  }
  const pki = options.pki ?? loadTestPki();
  const keys = personKeys(person, pki);
  const textInfoTries = options.verificationTries ?? TEXT_INFO.verificationTries;
  const cardFaceTries = options.verificationTries ?? CARD_FACE.verificationTries;
  return {
    holderId: person.id,
    applications: [
      { name: 'jpki', aid: AID.jpki, efs: jpkiFiles(person, pki, keys) },
      {
        name: 'textInfo',
        aid: AID.textInfo,
        efs: textInfoFiles(person, pki, keys, textInfoTries),
        presenceKey: keys.cardKey,
      },
      {
        name: 'cardFace',
        aid: AID.cardFace,
        efs: cardFaceFiles(person, pki, keys, cardFaceTries),
        presenceKey: keys.cardKey,
      },
    ],
  };
}
