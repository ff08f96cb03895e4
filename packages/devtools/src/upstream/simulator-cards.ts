/**
 * The virtual cards as the reference upstream is told of them: the test JPKI user-authentication CA
 * as its card trust anchor, and each seeded person's card face and certificate, from card-sim's test
 * PKI and person files. The test PKI makes its certificates on first use with random serials, so
 * whoever starts an upstream asks for these afresh and the links follow the cards as they are now.
 */
import { peopleFile } from '@myna/card-sim/people.js';
import { loadPerson } from '@myna/card-sim/person.js';
import { loadTestPki, personKeys, type TestPki } from '@myna/card-sim/test-pki.js';
import type { PopulationCards } from '@myna/upstream-ref/seed/seed-cards.js';

/** `pki`: the test PKI the virtual cards use (default $KIOSK_PKI_DIR or ./var/pki). */
export function simulatorCards(pki: TestPki = loadTestPki()): PopulationCards {
  return {
    cardCa: pki.authCa.certificateDer,
    seedCards: {
      cardOf: (fixtureId) => {
        const person = loadPerson(peopleFile(fixtureId));
        return {
          name: person.name,
          address: person.address,
          birthDate: person.birthDate,
          sex: person.sex,
          authCertificateDer: personKeys(person, pki).auth.certificateDer,
        };
      },
    },
  };
}
