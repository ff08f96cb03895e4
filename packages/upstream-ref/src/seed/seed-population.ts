/**
 * Puts the synthetic population into an upstream database and links each person to the card that
 * carries their name. The link is the serial number of the card's user-authentication certificate,
 * as the caller hands the cards over: a test PKI may make its serials at random when it first runs,
 * so the links are refreshed on every start and always follow whatever certificates the cards hold
 * now.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { SqlDatabase } from '../db/sql-database.ts';
import { trustAnchor } from '../verify/trust.ts';
import { INSURERS, type InsuredSeed, POPULATION } from './population.ts';
import type { PopulationCards, SeedCard } from './seed-cards.ts';

export interface SeedResult {
  /** People added by this run (0 when the database already held them). */
  added: number;
  /** Card certificates linked (all of them, every run). */
  cardsLinked: number;
  /** SHA-256 of the JPKI user-authentication CA the cards chain to. */
  cardCaSha256: string;
}

/** The person reference handed to kiosks and staff: stable for an insured identity, opaque. */
export function personRefFor(seed: InsuredSeed): string {
  const identity = [seed.insurerNumber, seed.symbol ?? '', seed.number, seed.branch ?? ''].join('|');
  return `p-${createHash('sha256').update(`insured-person|${identity}`).digest('hex').slice(0, 20)}`;
}

export async function seedPopulation(db: SqlDatabase, cards: PopulationCards): Promise<SeedResult> {
  const cardCaSha256 = trustAnchor(cards.cardCa).sha256;
  let added = 0;
  let cardsLinked = 0;
  await db.transaction(async (tx) => {
    for (const insurer of INSURERS) {
      await tx.run(
        `INSERT INTO insurers (insurer_number, name, checkup_data_registered, checkup_registered_on)
         VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [
          insurer.insurerNumber,
          insurer.name,
          insurer.checkupDataRegistered ? 1 : 0,
          insurer.checkupRegisteredOn ?? null,
        ],
      );
    }
    for (const seed of POPULATION) {
      const card = cards.seedCards.cardOf(seed.fixtureId);
      const personRef = personRefFor(seed);
      if (await insertPerson(tx, seed, personRef, card)) added += 1;
      // The card is the insurer's, not the patient's: refreshed every run like the links below, so a
      // database seeded before these columns existed carries them too.
      await tx.run(
        `UPDATE insured_persons SET card_classification = ?, card_issued_on = ?, card_expires_on = ?
         WHERE person_ref = ?`,
        [seed.cardClassification, seed.cardIssuedOn, seed.cardExpiresOn ?? null, personRef],
      );
      const serial = new X509Certificate(card.authCertificateDer).serialNumber;
      await tx.run('DELETE FROM card_certificates WHERE person_ref = ? AND issuer_sha256 = ?', [
        personRef,
        cardCaSha256,
      ]);
      await tx.run('INSERT INTO card_certificates (issuer_sha256, serial, person_ref) VALUES (?, ?, ?)', [
        cardCaSha256,
        serial.toUpperCase(),
        personRef,
      ]);
      cardsLinked += 1;
    }
  });
  return { added, cardsLinked, cardCaSha256 };
}

async function insertPerson(
  tx: SqlDatabase,
  seed: InsuredSeed,
  personRef: string,
  person: SeedCard,
): Promise<boolean> {
  const inserted = await tx.run(
    `INSERT INTO insured_persons (person_ref, fixture_id, insurer_number, card_classification, card_symbol,
       card_number, card_branch, personal_family, name, name_kana, sex, birth_date, address, post_number,
       contribution_ratio, qualified_from, insurance_use_registered_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    [
      personRef,
      seed.fixtureId,
      seed.insurerNumber,
      seed.cardClassification,
      seed.symbol ?? null,
      seed.number,
      seed.branch ?? null,
      seed.personalFamily,
      person.name,
      seed.nameKana,
      person.sex,
      person.birthDate,
      person.address,
      seed.postNumber,
      seed.contributionRatio,
      seed.qualifiedFrom,
      // Registered people applied when their card was issued; the others have not yet.
      seed.insuranceUseRegistered ? `${seed.qualifiedFrom}T00:00:00.000Z` : null,
    ],
  );
  // Already there: its records were written with it, and a patient's own changes are kept.
  if (inserted === 0) return false;
  for (const [index, m] of seed.medications.entries()) {
    await tx.run(
      `INSERT INTO medications (id, person_ref, dispensed_on, pharmacy, prescribing_institution, prescriber,
         drug_name, ingredient_name, dosage, quantity, unit, days) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        `${personRef}-m${index + 1}`,
        personRef,
        m.dispensedOn,
        m.pharmacy,
        m.prescribingInstitution,
        m.prescriber,
        m.drugName,
        m.ingredientName,
        m.dosage,
        m.quantity,
        m.unit,
        m.days,
      ],
    );
  }
  for (const [index, c] of seed.checkups.entries()) {
    await tx.run(
      'INSERT INTO checkups (id, person_ref, kind, examined_on, insurer_number, results) VALUES (?, ?, ?, ?, ?, ?)',
      [
        `${personRef}-c${index + 1}`,
        personRef,
        c.kind,
        c.examinedOn,
        seed.insurerNumber,
        JSON.stringify(c.results),
      ],
    );
  }
  const limit = seed.limitCertificate;
  if (limit) {
    await tx.run(
      `INSERT INTO limit_certificates (person_ref, classification, classification_flag, issued_on, valid_from,
         valid_until) VALUES (?, ?, ?, ?, ?, ?)`,
      [
        personRef,
        limit.classification,
        limit.classificationFlag,
        limit.issuedOn,
        limit.validFrom,
        limit.validUntil,
      ],
    );
  }
  return true;
}
