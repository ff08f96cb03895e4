/**
 * The demo's card: the test people's virtual cards on the virtual reader (pcscd + vpcd, or
 * in-process with a warning where pcscd cannot run). The operator panel places and takes away
 * cards; the optical read of 照合番号B comes from the person's card face.
 */
import { listPeople, peopleFile } from '@myna/card-sim/people.js';
import type { CardCamera } from '@myna/kiosk/card-front/card-camera.js';
import type { CardFrontSource } from '@myna/kiosk/card-front/number-b-gate.js';
import type { CardSource } from '@myna/kiosk/kiosk/card-source.js';
import type { DemoOperator } from '@myna/kiosk/kiosk/kiosk-services.js';
import { startVirtualReader } from './virtual-reader.ts';

export interface DemoCard {
  /** The kiosk's card source; closing it closes the virtual reader too. */
  source(cardFront: CardFrontSource): Promise<CardSource>;
  /** The tray camera: a photograph of the placed person's card front. */
  cardCamera: CardCamera;
  operator: DemoOperator;
  /** 'pcsc' through pcscd + vpcd, or 'in-process' where that could not start. */
  transport: 'pcsc' | 'in-process';
}

const FIRST_PERSON = 'middle-aged';

export async function startDemoCard(warn: (line: string) => void): Promise<DemoCard> {
  const reader = await startVirtualReader(peopleFile(FIRST_PERSON), warn);
  return {
    async source(cardFront) {
      const source = await reader.source(cardFront);
      return {
        ...source,
        async close() {
          await source.close();
          await reader.close();
        },
      };
    },
    cardCamera: reader.cardCamera,
    transport: reader.transport,
    operator: {
      people: () =>
        listPeople().map((p) => ({
          id: p.id,
          label: `${p.id} (${p.age}歳)${p.notes ? ` — ${p.notes}` : ''}`,
        })),
      // Placing a person takes any other card away first.
      insert: (id) => reader.place(peopleFile(id)),
      remove: () => reader.take(),
    },
  };
}
