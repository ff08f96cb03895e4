/**
 * A card holder whose card photo is a real face, made at test time: the fixtures' photo is
 * synthetic, and the face path needs a photo the face engine can match against a camera. The
 * person file and its JPEG 2000 photo (a card-like version of a ../shared/faces picture, encoded
 * with opj_compress) go into a folder of the test's own; the reference upstream learns the person
 * through its own database, the same rows its seeding writes for a fixture person.
 */
import { X509Certificate } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { myNumberCheckDigit } from '@myna/card/my-number.js';
import { loadPerson, type Person } from '@myna/card-sim/person.js';
import { loadTestPki, personKeys } from '@myna/card-sim/test-pki.js';
import { openSqlite } from '@myna/upstream-ref/db/sqlite-database.js';
import { certificateFingerprint } from '@myna/upstream-ref/pki/fingerprint.js';
import { cardLikeJp2, facePath } from './face-images.ts';

export interface CardHolderOptions {
  /** Lower-case id, also the name of the test PKI's key file for the card. */
  id: string;
  /** Family and given name separated by U+3000. */
  name: string;
  birthDate: string;
  pin: string;
  /** The picture of ../shared/faces/set-a that becomes the card photo, e.g. 'img62.jpg'. */
  photo: string;
}

/** Writes the person file and its card photo into `dir`; returns the loaded person. */
export async function makeCardHolder(dir: string, options: CardHolderOptions): Promise<Person> {
  writeFileSync(join(dir, `${options.id}.jp2`), await cardLikeJp2(facePath(options.photo)));
  const first11 = `9${options.birthDate.replaceAll('-', '').slice(2)}0${options.pin}`.slice(0, 11);
  const file = join(dir, `${options.id}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      id: options.id,
      notes: `made by the end-to-end tests: card photo from ${options.photo}`,
      name: options.name,
      address: '東京都千代田区千代田１番１号',
      birthDate: options.birthDate,
      sex: '1',
      myNumber: `${first11}${myNumberCheckDigit(first11)}`,
      pin: options.pin,
      signingPassword: 'E2ETEST1',
      // A card ends on its holder's birthday: the card-front gate refuses a read that does not.
      cardExpiry: `2034${options.birthDate.slice(4)}`,
      securityCode: '2468',
      photo: `${options.id}.jp2`,
    }),
  );
  return loadPerson(file);
}

/** The test PKI's card keys for a made person: the next run makes them afresh. */
export function forgetCardKeys(person: Person): void {
  rmSync(join(loadTestPki().dir, 'people', `${person.id}.json`), { force: true });
}

/**
 * Makes the upstream (its SQLite file) know `person` as an insured person with insurance use
 * registered, linked to the serial of the card's user-authentication certificate exactly as the
 * seeding links a fixture person. Returns the person reference the upstream keys them by.
 */
export async function insurePerson(upstreamDb: string, person: Person): Promise<string> {
  const pki = loadTestPki();
  const serial = new X509Certificate(personKeys(person, pki).auth.certificateDer).serialNumber.toUpperCase();
  const issuer = certificateFingerprint(new X509Certificate(pki.authCa.certificateDer));
  const personRef = `p-e2e-${person.id}`;
  const db = openSqlite(upstreamDb);
  try {
    await db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO insured_persons (person_ref, fixture_id, insurer_number, card_classification, card_symbol,
           card_number, card_branch, personal_family, name, name_kana, sex, birth_date, address, post_number,
           contribution_ratio, qualified_from, insurance_use_registered_at)
         VALUES (?, ?, '01270999', '01', '27010203', '9901', '00', '1', ?, 'ｼｹﾝ ｶｵﾀﾛｳ', ?, ?, ?, '100-0001', '030',
           '2020-04-01', '2020-04-01T00:00:00.000Z')`,
        [personRef, person.id, person.name, person.sex, person.birthDate, person.address],
      );
      await tx.run('INSERT INTO card_certificates (issuer_sha256, serial, person_ref) VALUES (?, ?, ?)', [
        issuer,
        serial,
        personRef,
      ]);
    });
  } finally {
    await db.close();
  }
  return personRef;
}
