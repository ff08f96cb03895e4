/**
 * KioskServices for the shell tests: the real reception flow and controller over stand-in card,
 * PIN, upstream and consent actors, a demo operator whose virtual cards are just CARD_INSERTED /
 * CARD_REMOVED, and a camera sink that keeps what it was given. Enough for a shell to carry real
 * views and commands without a card stack.
 */
import { createActor, fromPromise } from 'xstate';
import type { MainMessage, RendererProfile, StaffCommand } from '../../../../src/common/ui-protocol.ts';
import type { KioskServices, OperatorPerson } from '../../../../src/kiosk/kiosk-services.ts';
import { flowMachine } from '../../../../src/reception/flow-machine.ts';
import { ReceptionController } from '../../../../src/reception/reception-controller.ts';

export const TEST_PROFILE: RendererProfile = {
  vendor: 'test',
  cardGuide: { image: '/assets/guide.svg', orientation: 'portrait', textKey: 'card.place' },
  brand: { primary: '#0b4f9c', accent: '#d35400', logo: null },
  screen: { orientation: 'landscape', width: 1280, height: 800 },
  camera: { width: 640, height: 480, facingMode: 'user' },
  languages: ['ja', 'en'],
  defaultLanguage: 'ja',
};

export const TEST_PEOPLE: OperatorPerson[] = [
  { id: 'adult-pin', label: '中年 健一 (PIN)' },
  { id: 'elderly-face', label: '高齢 花子 (顔認証)' },
];

export interface StandInKiosk extends KioskServices {
  controller: ReceptionController;
  frames: Uint8Array[];
  staffCommands: StaffCommand[];
  pins: string[];
  /** The person whose card lies on the reader, or null. */
  cardOn(): string | null;
  readonly resultsApi: { url: string; tokenFile: string };
  closed(): boolean;
}

export function standInKiosk(options: { demo?: boolean } = {}): StandInKiosk {
  const pins: string[] = [];
  const machine = flowMachine.provide({
    actors: {
      readCard: fromPromise(async () => ({ cardRef: 'ab', pinless: false, pinTriesLeft: 3 })),
      // The camera never decides here: the face screen stays up for as long as a test needs it.
      matchFace: fromPromise(() => new Promise<never>(() => {})),
      verifyPin: fromPromise(async ({ input }: { input: { pin: string } }) => {
        pins.push(input.pin);
        return { result: 'ok' as const };
      }),
      verifyUpstream: fromPromise(async () => ({
        displayName: '中年　健一',
        birthDate: '1970-05-20',
        registered: true,
      })),
      settle: fromPromise(async () => {}),
    } as never,
  });
  const actor = createActor(machine, { input: { today: '2026-11-24' } });
  actor.start();
  const controller = new ReceptionController(actor);
  const frames: Uint8Array[] = [];
  const staffCommands: StaffCommand[] = [];
  let card: string | null = null;
  let closed = false;

  return {
    profile: TEST_PROFILE,
    controller,
    frames,
    staffCommands,
    pins,
    cardOn: () => card,
    closed: () => closed,
    resultsApi: { url: 'http://127.0.0.1:0/', tokenFile: '' },
    onMessage(listener: (message: MainMessage) => void) {
      return controller.onView((view) => listener({ type: 'view', view }));
    },
    patient: (command) => controller.patient(command),
    staff(command) {
      staffCommands.push(command);
      controller.staff(command);
    },
    frame: (jpeg) => void frames.push(new Uint8Array(jpeg)),
    operator: options.demo
      ? {
          people: () => TEST_PEOPLE,
          async insert(personId) {
            if (card !== null) throw new Error('a card is already on the reader');
            card = personId;
            controller.card(true, '2026-11-24');
          },
          async remove() {
            card = null;
            controller.card(false);
          },
        }
      : null,
    async close() {
      closed = true;
      controller.stop();
      actor.stop();
    },
  };
}
