/**
 * The demo's card: the test people's virtual cards on a private pcscd + vpcd (exactly the path a
 * real reader takes), or in-process with a warning where pcscd cannot run. The operator panel
 * places and takes away cards; the optical read of 照合番号B comes from the person's card face.
 */
import { virtualCardFor } from '../card/sim/card-factory.ts';
import { InProcessConnection } from '../card/sim/in-process-connection.ts';
import { listPeople, peopleFile } from '../card/sim/people.ts';
import { loadPerson, type Person } from '../card/sim/person.ts';
import { type PcscStack, pcscUnavailable, startPcscStack } from '../card/sim/stack/pcsc-stack.ts';
import { verificationNumberB } from '../card/verification-number.ts';
import { type CardSource, pcscCardSource, slotFor } from './card-source.ts';
import type { DemoOperator } from './kiosk-services.ts';

export interface DemoCard extends CardSource {
  operator: DemoOperator;
  /** 'pcsc' through pcscd + vpcd, or 'in-process' where that could not start. */
  transport: 'pcsc' | 'in-process';
}

const FIRST_PERSON = 'middle-aged';

export async function startDemoCard(warn: (line: string) => void): Promise<DemoCard> {
  let person: Person = loadPerson(peopleFile(FIRST_PERSON));
  const numberB = async () => verificationNumberB(person.birthDate, person.cardExpiry, person.securityCode);
  const people = () =>
    listPeople().map((p) => ({ id: p.id, label: `${p.id} (${p.age}歳)${p.notes ? ` — ${p.notes}` : ''}` }));

  let problem = pcscUnavailable();
  let stack: PcscStack | null = null;
  if (!problem) {
    try {
      stack = await startPcscStack({ person: person.file, simArgs: ['--removed'] });
    } catch (error) {
      problem = `the PC/SC stack did not start (${error instanceof Error ? error.message.split('\n')[0] : error})`;
    }
  }
  if (stack) {
    const running = stack;
    const source = await pcscCardSource(numberB, running.readerName);
    return {
      ...source,
      transport: 'pcsc',
      operator: {
        people,
        async insert(id) {
          person = loadPerson(peopleFile(id));
          // Loading a person takes the old card away and places the new one.
          await running.control.person(person.file);
        },
        remove: () => running.control.remove(),
      },
      async close() {
        await source.close();
        await running.stop();
      },
    };
  }

  warn(`${problem}; the demo uses the in-process virtual card instead of PC/SC`);
  const listeners: ((present: boolean) => void)[] = [];
  let present = false;
  return {
    transport: 'in-process',
    slot: slotFor(async () => {
      if (!present) throw new Error('no card on the in-process reader');
      return new InProcessConnection(virtualCardFor(person));
    }, numberB),
    onPresence: (listener) => void listeners.push(listener),
    operator: {
      people,
      async insert(id) {
        if (present) for (const l of listeners) l(false);
        person = loadPerson(peopleFile(id));
        present = true;
        for (const l of listeners) l(true);
      },
      async remove() {
        if (!present) return;
        present = false;
        for (const l of listeners) l(false);
      },
    },
    close: async () => {},
  };
}
