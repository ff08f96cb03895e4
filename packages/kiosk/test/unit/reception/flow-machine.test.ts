import { describe, expect, it } from 'vitest';
import { type AnyActorRef, createActor, fromPromise, SimulatedClock, waitFor } from 'xstate';
import { ageOn, type FlowContext, flowMachine, type Method } from '../../../src/reception/flow-machine.ts';
import {
  type Answer,
  type CardFacts,
  DEFAULT_FLOW_CONFIG,
  type FaceOutcome,
  type FlowConfig,
  type PinOutcome,
  type Qualification,
} from '../../../src/reception/flow-types.ts';

const TODAY = '2026-11-24';
const CARD: CardFacts = { cardRef: 'c0ffee', pinless: false, pinTriesLeft: 3 };
const adult: Qualification = { displayName: '中年　健一', birthDate: '1970-05-20', registered: true };

interface Fakes {
  card?: CardFacts | Error;
  face?: FaceOutcome[];
  pin?: PinOutcome[];
  /** 'hang': the request never answers (the upstream is slow). */
  upstream?: Qualification | Error | 'hang';
  config?: Partial<FlowConfig>;
}

/** The machine with stand-in services (a unit test of the flow alone) and a simulated clock. */
function start(fakes: Fakes = {}) {
  const calls = {
    pins: [] as string[],
    methods: [] as Method[],
    settled: [] as Answer[][],
  };
  const faces = [...(fakes.face ?? [{ decision: 'accept', score: 0.3 }])];
  const pins = [...(fakes.pin ?? [{ result: 'ok' }])];
  const machine = flowMachine.provide({
    actors: {
      readCard: fromPromise(async () => {
        if (fakes.card instanceof Error) throw fakes.card;
        return fakes.card ?? CARD;
      }),
      matchFace: fromPromise(async () => faces.shift() ?? { decision: 'reject', reasons: ['no-match'] }),
      verifyPin: fromPromise(async ({ input }: { input: { pin: string } }) => {
        calls.pins.push(input.pin);
        return pins.shift() ?? { result: 'blocked' };
      }),
      verifyUpstream: fromPromise<Qualification, { method: Method }>(async ({ input }) => {
        calls.methods.push(input.method);
        const upstream = fakes.upstream;
        if (upstream instanceof Error) throw upstream;
        if (upstream === 'hang') return new Promise<Qualification>(() => {});
        return upstream ?? adult;
      }),
      register: fromPromise<void>(async () => {}),
      settle: fromPromise<void, { answers: Answer[] }>(async ({ input }) => {
        calls.settled.push(input.answers);
      }),
    },
  });
  const clock = new SimulatedClock();
  const actor = createActor(machine, {
    input: { today: TODAY, config: { ...DEFAULT_FLOW_CONFIG, ...fakes.config } },
    clock,
  });
  actor.start();
  return { actor, clock, calls };
}

const T1 = '2026-11-24T00:30:01.000Z';
const T2 = '2026-11-24T00:30:09.000Z';
const T3 = '2026-11-24T00:30:20.000Z';

const at = (actor: AnyActorRef, state: string | object) =>
  waitFor(actor, (s) => s.matches(state), { timeout: 1000 });
const context = (actor: AnyActorRef) => actor.getSnapshot().context as FlowContext;

describe('reception flow', () => {
  it('face path: consents for a 56-year-old, done, limit information, card taken, idle', async () => {
    const { actor, clock, calls } = start();
    actor.send({ type: 'CARD_INSERTED' });
    await at(actor, 'methodChoice');
    actor.send({ type: 'CHOOSE_FACE' });
    await at(actor, { consents: 'asking' });
    expect(context(actor).method).toBe('face');
    expect(context(actor).consentQueue).toEqual(['medication', 'checkup']);
    actor.send({ type: 'CONSENT', agree: true, at: T1 });
    actor.send({ type: 'CONSENT', agree: false, at: T2 });
    await at(actor, 'done');
    clock.increment(DEFAULT_FLOW_CONFIG.doneMs);
    await at(actor, 'limitInfo');
    actor.send({ type: 'LIMIT_INFO', provide: true, at: T3 });
    await at(actor, 'takeCard');
    // Each answer with the time it was given, 限度額 last.
    expect(calls.settled).toEqual([
      [
        { item: 'medication', agreed: true, at: T1 },
        { item: 'checkup', agreed: false, at: T2 },
        { item: 'limit-info', agreed: true, at: T3 },
      ],
    ]);
    actor.send({ type: 'CARD_REMOVED' });
    await at(actor, 'idle');
    expect(context(actor).qualification).toBeNull();
    expect(context(actor).stop).toBeNull();
  });

  it.each([
    ['1987-11-25', 38, false],
    ['1986-11-25', 39, false],
    ['1986-11-24', 40, true],
    ['1951-01-01', 75, true],
  ])('born %s (age %i): check-up question asked: %s', async (birthDate, age, asked) => {
    expect(ageOn(birthDate, TODAY)).toBe(age);
    const { actor } = start({ upstream: { ...adult, birthDate } });
    actor.send({ type: 'CARD_INSERTED' });
    await at(actor, 'methodChoice');
    actor.send({ type: 'CHOOSE_FACE' });
    await at(actor, { consents: 'asking' });
    expect(context(actor).consentQueue.includes('checkup')).toBe(asked);
  });

  it('PIN path: a wrong PIN shows the tries left, the right one goes on; the PIN never enters the context', async () => {
    const { actor, calls } = start({ pin: [{ result: 'wrong', triesLeft: 2 }, { result: 'ok' }] });
    actor.send({ type: 'CARD_INSERTED' });
    await at(actor, 'methodChoice');
    actor.send({ type: 'CHOOSE_PIN' });
    await at(actor, { pin: 'entry' });
    actor.send({ type: 'PIN_ENTERED', pin: '9876' });
    await waitFor(actor, (s) => s.matches({ pin: 'entry' }) && s.context.pinTriesLeft === 2);
    expect(JSON.stringify(actor.getSnapshot().context)).not.toContain('9876');
    actor.send({ type: 'PIN_ENTERED', pin: '1234' });
    await at(actor, { consents: 'asking' });
    expect(calls.pins).toEqual(['9876', '1234']);
    expect(calls.methods).toEqual(['pin']);
    expect(JSON.stringify(actor.getSnapshot().context)).not.toMatch(/9876|1234/);
  });

  it('a blocked PIN sends the patient to staff, who can confirm by sight', async () => {
    const { actor, calls } = start({ pin: [{ result: 'blocked' }] });
    actor.send({ type: 'CARD_INSERTED' });
    await at(actor, 'methodChoice');
    actor.send({ type: 'CHOOSE_PIN' });
    actor.send({ type: 'PIN_ENTERED', pin: '0000' });
    await at(actor, 'staff');
    expect(context(actor).stop).toBe('pin-blocked');
    expect(context(actor).pinTriesLeft).toBe(0);
    actor.send({ type: 'STAFF_CONFIRMED' });
    await at(actor, { consents: 'asking' });
    expect(calls.methods).toEqual(['visual']);
  });

  it('face failure falls back to the PIN after the configured attempts; a PIN-less card goes to staff', async () => {
    const fail: FaceOutcome = { decision: 'reject', reasons: ['no-match'] };
    const pinCard = start({ face: [fail, fail] });
    pinCard.actor.send({ type: 'CARD_INSERTED' });
    await at(pinCard.actor, 'methodChoice');
    pinCard.actor.send({ type: 'CHOOSE_FACE' });
    await at(pinCard.actor, { pin: 'entry' });
    expect(context(pinCard.actor)).toMatchObject({ faceTries: 2, stop: 'face-failed' });

    const pinless = start({ card: { ...CARD, pinless: true, pinTriesLeft: null }, face: [fail, fail] });
    pinless.actor.send({ type: 'CARD_INSERTED' });
    await at(pinless.actor, 'methodChoice');
    pinless.actor.send({ type: 'CHOOSE_PIN' });
    await at(pinless.actor, 'staff');
    expect(context(pinless.actor).stop).toBe('pinless-needs-staff');
  });

  it('a card pulled mid-verification returns to idle and stops the upstream request', async () => {
    const { actor } = start({ upstream: 'hang' });
    actor.send({ type: 'CARD_INSERTED' });
    await at(actor, 'methodChoice');
    actor.send({ type: 'CHOOSE_PIN' });
    actor.send({ type: 'PIN_ENTERED', pin: '1234' });
    await at(actor, 'verifying');
    expect(Object.keys(actor.getSnapshot().children)).toHaveLength(1);
    actor.send({ type: 'CARD_REMOVED' });
    expect(actor.getSnapshot().value).toBe('idle');
    expect(context(actor).stop).toBe('card-removed');
    expect(Object.keys(actor.getSnapshot().children)).toEqual([]);
  });

  it('asks 「続けますか？」 after the screen time-out and gives up after the prompt time-out', async () => {
    const { actor, clock } = start();
    actor.send({ type: 'CARD_INSERTED' });
    await at(actor, 'methodChoice');
    clock.increment(DEFAULT_FLOW_CONFIG.screenTimeoutMs);
    expect(actor.getSnapshot().matches({ methodChoice: 'asking' })).toBe(true);
    actor.send({ type: 'CONTINUE' });
    expect(actor.getSnapshot().matches({ methodChoice: 'active' })).toBe(true);
    clock.increment(DEFAULT_FLOW_CONFIG.screenTimeoutMs);
    clock.increment(DEFAULT_FLOW_CONFIG.continuePromptMs);
    expect(actor.getSnapshot().value).toBe('takeCard');
    expect(context(actor).stop).toBe('timed-out');
  });

  it('after the upstream answered, giving up on a consent or 限度額 screen settles the answers given so far', async () => {
    const consent = start();
    consent.actor.send({ type: 'CARD_INSERTED' });
    await at(consent.actor, 'methodChoice');
    consent.actor.send({ type: 'CHOOSE_FACE' });
    await at(consent.actor, { consents: 'asking' });
    consent.actor.send({ type: 'CONSENT', agree: true, at: T1 });
    await at(consent.actor, { consents: 'asking' });
    consent.clock.increment(DEFAULT_FLOW_CONFIG.screenTimeoutMs);
    consent.clock.increment(DEFAULT_FLOW_CONFIG.continuePromptMs);
    await at(consent.actor, 'takeCard');
    expect(consent.calls.settled).toEqual([[{ item: 'medication', agreed: true, at: T1 }]]);
    expect(context(consent.actor).stop).toBe('timed-out');

    const limit = start();
    limit.actor.send({ type: 'CARD_INSERTED' });
    await at(limit.actor, 'methodChoice');
    limit.actor.send({ type: 'CHOOSE_FACE' });
    await at(limit.actor, { consents: 'asking' });
    limit.actor.send({ type: 'CONSENT', agree: false, at: T1 });
    limit.actor.send({ type: 'CONSENT', agree: true, at: T2 });
    await at(limit.actor, 'done');
    limit.clock.increment(DEFAULT_FLOW_CONFIG.doneMs);
    await at(limit.actor, 'limitInfo');
    limit.clock.increment(DEFAULT_FLOW_CONFIG.screenTimeoutMs);
    limit.clock.increment(DEFAULT_FLOW_CONFIG.continuePromptMs);
    await at(limit.actor, 'takeCard');
    expect(limit.calls.settled).toEqual([
      [
        { item: 'medication', agreed: false, at: T1 },
        { item: 'checkup', agreed: true, at: T2 },
      ],
    ]);
    limit.actor.send({ type: 'CARD_REMOVED' });
    expect(context(limit.actor).stop).toBe('timed-out');
  });

  it('the card taken on the done screen, as it says, completes the visit', async () => {
    const { actor } = start();
    actor.send({ type: 'CARD_INSERTED' });
    await at(actor, 'methodChoice');
    actor.send({ type: 'CHOOSE_FACE' });
    await at(actor, { consents: 'asking' });
    actor.send({ type: 'CONSENT', agree: true, at: T1 });
    actor.send({ type: 'CONSENT', agree: true, at: T2 });
    await at(actor, 'done');
    actor.send({ type: 'CARD_REMOVED' });
    expect(actor.getSnapshot().value).toBe('idle');
    expect(context(actor).stop).toBeNull();
  });

  it('目視確認 mode is for one patient: it returns to normal by itself', async () => {
    const { actor, calls } = start();
    actor.send({ type: 'STAFF_VISUAL_CHECK' });
    actor.send({ type: 'CARD_INSERTED' });
    await at(actor, 'staff');
    actor.send({ type: 'STAFF_CONFIRMED' });
    await at(actor, { consents: 'asking' });
    actor.send({ type: 'CARD_REMOVED' });
    actor.send({ type: 'CARD_INSERTED' });
    await at(actor, 'methodChoice');
    expect(calls.methods).toEqual(['visual']);
  });

  it('upstream down: staff screen, reason kept', async () => {
    const { actor } = start({ upstream: new Error('ECONNREFUSED') });
    actor.send({ type: 'CARD_INSERTED' });
    await at(actor, 'methodChoice');
    actor.send({ type: 'CHOOSE_FACE' });
    await at(actor, 'staff');
    expect(context(actor).stop).toBe('upstream-unreachable');
  });

  it('registers a card not yet registered for insurance use, or ends when declined', async () => {
    const unregistered = { ...adult, registered: false };
    const yes = start({ upstream: unregistered });
    yes.actor.send({ type: 'CARD_INSERTED' });
    await at(yes.actor, 'methodChoice');
    yes.actor.send({ type: 'CHOOSE_FACE' });
    await at(yes.actor, { registration: 'asking' });
    yes.actor.send({ type: 'REGISTER', agree: true });
    await at(yes.actor, { consents: 'asking' });
    expect(context(yes.actor).qualification?.registered).toBe(true);

    const no = start({ upstream: unregistered });
    no.actor.send({ type: 'CARD_INSERTED' });
    await at(no.actor, 'methodChoice');
    no.actor.send({ type: 'CHOOSE_FACE' });
    await at(no.actor, { registration: 'asking' });
    no.actor.send({ type: 'REGISTER', agree: false });
    await at(no.actor, 'takeCard');
    expect(context(no.actor).stop).toBe('registration-declined');
  });

  it('keeps reminding while a finished card stays on the reader', async () => {
    const { actor, clock } = start({ config: { limitInfo: false, consents: [] } });
    actor.send({ type: 'CARD_INSERTED' });
    await at(actor, 'methodChoice');
    actor.send({ type: 'CHOOSE_FACE' });
    await at(actor, 'done');
    clock.increment(DEFAULT_FLOW_CONFIG.doneMs);
    await at(actor, 'takeCard');
    clock.increment(DEFAULT_FLOW_CONFIG.takeCardReminderMs);
    clock.increment(DEFAULT_FLOW_CONFIG.takeCardReminderMs);
    expect(context(actor).reminders).toBe(2);
    actor.send({ type: 'CARD_REMOVED' });
    expect(actor.getSnapshot().value).toBe('idle');
    expect(context(actor).stop).toBeNull();
  });

  it('a card that is not a My Number card waits to be taken away', async () => {
    const { actor } = start({ card: new Error('not a My Number card') });
    actor.send({ type: 'CARD_INSERTED' });
    await at(actor, 'cardProblem');
    actor.send({ type: 'CARD_REMOVED' });
    expect(actor.getSnapshot().value).toBe('idle');
  });
});
