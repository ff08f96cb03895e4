/**
 * A reader with virtual My Number cards, for the demo and the end-to-end tests: the card behind a
 * private pcscd + vpcd (the path a real reader takes), or, where pcscd cannot run, the same
 * virtual card in-process with one warning saying so. Any person file can be placed, a fixture or
 * one a test made, and each kiosk gets a card source of its own on this one reader. In-process, a
 * placed card keeps its state (PIN tries, verified PIN) across connections, as a real card does.
 */

import { virtualCardFor } from '@myna/card-sim/card-factory.js';
import { InProcessConnection } from '@myna/card-sim/in-process-connection.js';
import { loadPerson, type Person } from '@myna/card-sim/person.js';
import { type PcscStack, pcscUnavailable, startPcscStack } from '@myna/card-sim/stack/pcsc-stack.js';
import type { VirtualMyNumberCard } from '@myna/card-sim/virtual-card.js';
import type { CardCamera } from '@myna/kiosk/card-front/card-camera.js';
import type { CardFrontSource } from '@myna/kiosk/card-front/number-b-gate.js';
import { type CardSource, pcscCardSource, slotFor } from '@myna/kiosk/kiosk/card-source.js';
import { cardFrontPhoto } from '../card-front/card-front-set.ts';

export interface VirtualReader {
  readonly transport: 'pcsc' | 'in-process';
  /** A card source for one kiosk, reading the card front as the kiosk does; the kiosk closes it, the reader stays. */
  source(cardFront: CardFrontSource): Promise<CardSource>;
  /**
   * The reader's card-tray camera: a photograph of the front of the card that lies there (made
   * for its holder by the card-front generator), or nothing while no card does.
   */
  readonly cardCamera: CardCamera;
  /** Places a fresh card of the person in `file` (PIN tries as the file says), taking any other away. */
  place(file: string): Promise<void>;
  /** Takes the card away. */
  take(): Promise<void>;
  close(): Promise<void>;
}

export async function startVirtualReader(
  firstPerson: string,
  warn: (line: string) => void,
): Promise<VirtualReader> {
  let person: Person = loadPerson(firstPerson);
  let placed = true;
  const photos = new Map<string, Promise<Buffer>>();
  const cardCamera: CardCamera = {
    async frame() {
      if (!placed) return null;
      const key = person.file;
      if (!photos.has(key))
        photos.set(
          key,
          cardFrontPhoto(person).then((p) => p.jpeg),
        );
      // A copy: the kiosk wipes each still it has read.
      return Uint8Array.from(await photos.get(key)!);
    },
  };

  const started = await pcscStackOrWhyNot(person.file);
  if ('stack' in started) {
    const { stack } = started;
    return {
      transport: 'pcsc',
      cardCamera,
      source: (cardFront) => pcscCardSource(cardFront, stack.readerName),
      async place(file) {
        person = loadPerson(file);
        placed = true;
        await stack.control.person(person.file);
      },
      async take() {
        placed = false;
        await stack.control.remove();
      },
      close: () => stack.stop(),
    };
  }

  warn(`${started.problem}; the kiosk reads the virtual card in-process instead of through PC/SC`);
  // In-process, the reader starts empty.
  placed = false;
  const listeners = new Set<(present: boolean) => void>();
  let card: VirtualMyNumberCard | null = null;
  const tell = (present: boolean) => {
    for (const listener of listeners) listener(present);
  };
  return {
    transport: 'in-process',
    cardCamera,
    async source(cardFront) {
      // This kiosk's listeners, told while it is open.
      const own: ((present: boolean) => void)[] = [];
      const tellOwn = (present: boolean) => {
        for (const listener of own) listener(present);
      };
      listeners.add(tellOwn);
      return {
        slot: slotFor(async () => {
          if (!card) throw new Error('no card on the in-process reader');
          return new InProcessConnection(card);
        }, cardFront),
        onPresence: (listener) => void own.push(listener),
        close: async () => void listeners.delete(tellOwn),
      };
    },
    async place(file) {
      if (card) tell(false);
      person = loadPerson(file);
      card = virtualCardFor(person);
      placed = true;
      tell(true);
    },
    async take() {
      placed = false;
      if (!card) return;
      card = null;
      tell(false);
    },
    close: async () => listeners.clear(),
  };
}

/** A private pcscd + vpcd with the card removed, or the one line that says why there is none. */
async function pcscStackOrWhyNot(person: string): Promise<{ stack: PcscStack } | { problem: string }> {
  const problem = pcscUnavailable();
  if (problem) return { problem };
  try {
    return { stack: await startPcscStack({ person, simArgs: ['--removed'] }) };
  } catch (error) {
    return { problem: `the PC/SC stack did not start (${String(error).split('\n')[0]})` };
  }
}
