/**
 * A full read (certificate + My Number + basic four + card face with photo) through real pcscd +
 * vpcd, and the card pulled out at each of its APDUs in turn: every time a typed "card removed",
 * nothing half-parsed handed back, and the next insertion reads cleanly.
 */
import { once } from 'node:events';
import { CardRemovedError } from '@myna/card/errors.js';
import { type FullRead, readCardFully } from '@myna/card/full-read.js';
import { MyNumberCard } from '@myna/card/my-number-card.js';
import { PcscReaders } from '@myna/card/pcsc/readers.js';
import { verificationNumberB } from '@myna/card/verification-number.js';
import { peopleFile } from '@myna/card-sim/people.js';
import { loadPerson } from '@myna/card-sim/person.js';
import { type PcscStack, pcscSkipReason, startPcscStack } from '@myna/card-sim/stack/pcsc-stack.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PERSON = peopleFile('young-rare-kanji');
const person = loadPerson(PERSON);
const secrets = {
  pin: person.pin!,
  numberB: verificationNumberB(person.birthDate, person.cardExpiry, person.securityCode),
};

function checkRead(read: FullRead): void {
  expect(read.myNumber).toBe(person.myNumber);
  expect(read.basicFour.name).toBe(person.name);
  expect(read.basicFour.address).toBe(person.address);
  expect(Buffer.compare(Buffer.from(read.face.photo), Buffer.from(person.photoJp2))).toBe(0);
  expect(read.certificate.summary.expired).toBe(false);
}

async function fullRead(readers: PcscReaders, reader: string): Promise<FullRead> {
  const connection = await readers.connect(reader);
  try {
    return await readCardFully(await MyNumberCard.recognise(connection), secrets);
  } finally {
    await connection.close();
  }
}

function present(readers: PcscReaders, reader: string): boolean {
  return readers.readers().find((r) => r.name === reader)?.cardPresent ?? false;
}

for (const style of [
  { name: 'short reads (no extended APDUs)', simArgs: ['--no-extended'], pullEach: true },
  { name: 'GET RESPONSE chains', simArgs: ['--response-style', 'get-response'], pullEach: false },
]) {
  describe.skipIf(pcscSkipReason())(`full read through pcscd + vpcd: ${style.name}`, () => {
    let stack: PcscStack;
    let readers: PcscReaders;

    beforeAll(async () => {
      stack = await startPcscStack({ person: PERSON, simArgs: style.simArgs });
      readers = await PcscReaders.open();
    });

    afterAll(async () => {
      await readers?.close();
      await stack?.stop();
    });

    it('reads everything exactly', async () => {
      const before = (await stack.control.status()).commandCount;
      checkRead(await fullRead(readers, stack.readerName));
      expect((await stack.control.status()).commandCount).toBeGreaterThan(before + 10);
    });

    if (!style.pullEach) return;
    it('fails with CardRemovedError at every APDU, then reads cleanly after reinsertion', async () => {
      const before = (await stack.control.status()).commandCount;
      checkRead(await fullRead(readers, stack.readerName));
      const apdus = (await stack.control.status()).commandCount - before;
      expect(apdus).toBeGreaterThan(15);

      for (let at = 1; at <= apdus; at++) {
        await stack.control.fault({ atCommand: at, kind: 'remove' });
        const outcome = await fullRead(readers, stack.readerName).then(
          (read) => ({ read }),
          (error: unknown) => ({ error }),
        );
        expect(outcome, `pulled at APDU ${at} of ${apdus}`).toEqual({
          error: expect.any(CardRemovedError),
        });
        if (present(readers, stack.readerName)) await once(readers, 'card-removed');
        await stack.control.insert();
        await readers.waitForCard({ reader: stack.readerName, timeoutMs: 5_000 });
      }
      checkRead(await fullRead(readers, stack.readerName));
    }, 180_000);
  });
}
