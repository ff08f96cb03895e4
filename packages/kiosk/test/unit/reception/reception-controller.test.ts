import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, SimulatedClock, waitFor } from 'xstate';
import { parsePatientCommand, type ViewState } from '../../../src/common/ui-protocol.ts';
import { flowMachine } from '../../../src/reception/flow-machine.ts';
import type { Qualification } from '../../../src/reception/flow-types.ts';
import { ReceptionController } from '../../../src/reception/reception-controller.ts';

const adult: Qualification = { displayName: '中年　健一', birthDate: '1970-05-20', registered: true };

function start() {
  const pins: string[] = [];
  const machine = flowMachine.provide({
    actors: {
      readCard: fromPromise(async () => ({ cardRef: 'ab', pinless: false, pinTriesLeft: 3 })),
      verifyPin: fromPromise(async ({ input }: { input: { pin: string } }) => {
        pins.push(input.pin);
        return { result: 'ok' as const };
      }),
      verifyUpstream: fromPromise(async () => adult),
      settle: fromPromise(async () => {}),
    } as never,
  });
  const clock = new SimulatedClock();
  const actor = createActor(machine, { input: { today: '2026-11-24' }, clock });
  actor.start();
  // The kiosk's clock: each answer is stamped with it, one second apart here.
  let tick = 0;
  const controller = new ReceptionController(actor, {
    now: () => new Date(Date.UTC(2026, 10, 24, 0, 30, tick++)),
  });
  const views: ViewState[] = [];
  controller.onView((v) => views.push(v));
  return { actor, clock, controller, views, pins };
}

describe('reception controller', () => {
  it('collects the PIN digit by digit, shows only its length, and hands it to the flow once', async () => {
    const { actor, controller, views, pins } = start();
    controller.card(true, '2026-11-24');
    await waitFor(actor, (s) => s.matches('methodChoice'));
    controller.patient({ type: 'CHOOSE_PIN' });
    expect(controller.view()).toMatchObject({ screen: 'pin', pinLength: 0, pinTriesLeft: 3 });
    for (const digit of [4, 3, 2, 1, 9]) controller.patient({ type: 'PIN_DIGIT', digit });
    expect(controller.view().pinLength).toBe(4);
    controller.patient({ type: 'PIN_BACKSPACE' });
    controller.patient({ type: 'PIN_SUBMIT' });
    // Three digits: not sent.
    expect(pins).toEqual([]);
    controller.patient({ type: 'PIN_DIGIT', digit: 1 });
    controller.patient({ type: 'PIN_SUBMIT' });
    await waitFor(actor, (s) => s.matches('consents'));
    expect(pins).toEqual(['4321']);
    expect(JSON.stringify(views)).not.toContain('4321');
    expect(views.map((v) => v.screen)).toContain('pin-checking');
  });

  it('forgets typed digits when the PIN screen is left', async () => {
    const { actor, controller, pins } = start();
    controller.card(true);
    await waitFor(actor, (s) => s.matches('methodChoice'));
    controller.patient({ type: 'CHOOSE_PIN' });
    controller.patient({ type: 'PIN_DIGIT', digit: 7 });
    controller.patient({ type: 'CANCEL' });
    expect(controller.view()).toMatchObject({ screen: 'method', pinLength: 0 });
    controller.patient({ type: 'CHOOSE_PIN' });
    for (const digit of [1, 2, 3, 4]) controller.patient({ type: 'PIN_DIGIT', digit });
    controller.patient({ type: 'PIN_SUBMIT' });
    await waitFor(actor, (s) => s.matches('consents'));
    expect(pins).toEqual(['1234']);
  });

  it('shows the name on the done screen only, one consent question at a time, each answer stamped when given', async () => {
    const { actor, clock, controller, views } = start();
    controller.card(true);
    await waitFor(actor, (s) => s.matches('methodChoice'));
    controller.patient({ type: 'CHOOSE_PIN' });
    for (const digit of [1, 2, 3, 4]) controller.patient({ type: 'PIN_DIGIT', digit });
    controller.patient({ type: 'PIN_SUBMIT' });
    await waitFor(actor, (s) => s.matches('consents'));
    expect(controller.view().consent).toEqual({ items: ['medication'], bundled: false });
    controller.patient({ type: 'CONSENT', agree: true });
    expect(controller.view().consent).toEqual({ items: ['checkup'], bundled: false });
    controller.patient({ type: 'CONSENT', agree: true });
    expect(controller.view()).toMatchObject({ screen: 'done', displayName: '中年　健一' });
    expect(actor.getSnapshot().context.answers).toEqual([
      { item: 'medication', agreed: true, at: '2026-11-24T00:30:00.000Z' },
      { item: 'checkup', agreed: true, at: '2026-11-24T00:30:01.000Z' },
    ]);
    clock.increment(60_000);
    expect(controller.view()).toMatchObject({ screen: 'limit-info', displayName: null });
    expect(views.filter((v) => v.displayName !== null).every((v) => v.screen === 'done')).toBe(true);
    clock.increment(60_000);
    expect(controller.view()).toMatchObject({ screen: 'limit-info', continuePrompt: true });
  });

  it('drops anything from the renderer that is not a patient command', () => {
    expect(parsePatientCommand({ type: 'PIN_DIGIT', digit: 5 })).toEqual({ type: 'PIN_DIGIT', digit: 5 });
    for (const junk of [
      null,
      'CHOOSE_PIN',
      { type: 'PIN_DIGIT', digit: 10 },
      { type: 'PIN_DIGIT', digit: '5' },
      { type: 'PIN_ENTERED', pin: '1234' },
      { type: 'STAFF_CONFIRMED' },
      { type: 'CARD_REMOVED' },
      { type: 'CONSENT', agree: 'yes' },
      { type: 'CHOOSE_FACE', extra: 1 },
    ]) {
      expect(parsePatientCommand(junk)).toBeNull();
    }
  });
});
