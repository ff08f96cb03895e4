import { NotMyNumberCardError } from '@myna/card/errors.js';
import { assign, fromPromise, setup } from 'xstate';
import type { Screen } from '../common/ui-protocol.ts';
import { isRefusal } from '../upstream/errors.ts';
import {
  type Answer,
  type CardFacts,
  DEFAULT_FLOW_CONFIG,
  type FaceOutcome,
  type FlowConfig,
  type FlowEvent,
  type PinOutcome,
  type Qualification,
  type StopReason,
} from './flow-types.ts';

export type Method = 'face' | 'pin' | 'visual';

export interface FlowContext {
  config: FlowConfig;
  /** Today's date, YYYY-MM-DD, from the injected clock: decides the age-40 check-up question. */
  today: string;
  card: CardFacts | null;
  qualification: Qualification | null;
  method: Method | null;
  faceTries: number;
  faceReasons: string[];
  pinTriesLeft: number | null;
  consentQueue: FlowConfig['consents'];
  /** In the order given, 限度額 last: what the visit is settled with, however it ends. */
  answers: Answer[];
  /** Staff switched 目視確認 on for the next patient only. */
  visualCheckNext: boolean;
  stop: StopReason | null;
  reminders: number;
}

/**
 * What a state tells the renderer: its screen. Exactly one active state node carries a screen, so
 * the view follows from the snapshot alone (a test walks every state to hold this).
 */
export interface FlowMeta {
  screen: Screen;
}

/** The tag of a patient screen's 「続けますか？」 state. */
export const CONTINUE_PROMPT: 'continue-prompt' = 'continue-prompt';

export interface FlowInput {
  config?: FlowConfig;
  today: string;
}

/** Whole years from `birthDate` to `today`, both YYYY-MM-DD. */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

const CHECKUP_MIN_AGE = 40;

/** A new patient's context; why the last visit stopped stays for the idle screen to say. */
const fresh = (context: Pick<FlowContext, 'config' | 'today' | 'visualCheckNext' | 'stop'>): FlowContext => ({
  config: context.config,
  today: context.today,
  visualCheckNext: context.visualCheckNext,
  stop: context.stop,
  card: null,
  qualification: null,
  method: null,
  faceTries: 0,
  faceReasons: [],
  pinTriesLeft: null,
  consentQueue: [],
  answers: [],
  reminders: 0,
});

/** The named `stop` action with its reason: why the visit ends short, for the screen and the audit log. */
const stopWith = (reason: StopReason) => ({ type: 'stop' as const, params: { reason } });

/**
 * Taking the card away from a visit that already stopped (locked PIN, upstream down, …) ends it for
 * that reason, which the audit log and the next patient's idle screen keep; otherwise it was pulled.
 */
const keepStop = [
  { guard: ({ context }: { context: FlowContext }) => context.stop !== null, target: '#flow.idle' },
  { target: '#flow.idle', actions: stopWith('card-removed') },
];

/**
 * Every screen that waits for the patient: after the screen time-out it asks 「続けますか？」, and
 * when that goes unanswered too it gives up: before the upstream answered it asks for the card
 * back; after, `giveUp` settles the visit with the answers given so far first.
 */
function patientScreen<T extends object>(
  node: T & { meta?: FlowMeta },
  giveUp: '#flow.takeCard' | '#flow.recording' = '#flow.takeCard',
) {
  return {
    ...node,
    initial: 'active' as const,
    states: {
      active: { after: { screen: 'asking' } },
      asking: {
        tags: CONTINUE_PROMPT,
        on: { CONTINUE: 'active' },
        after: { prompt: { target: giveUp, actions: stopWith('timed-out') } },
      },
    },
  };
}

/**
 * The patient flow: the only place that orders the steps. Pure: the card, face engine, upstream
 * and clock are actors and delays provided from outside (`.provide`), so tests drive it with
 * events and a simulated clock.
 */
export const flowMachine = setup({
  types: {
    context: {} as FlowContext,
    events: {} as FlowEvent,
    input: {} as FlowInput,
    meta: {} as FlowMeta,
    tags: {} as typeof CONTINUE_PROMPT,
  },
  actors: {
    readCard: fromPromise<CardFacts>(async () => {
      throw new Error('readCard not provided');
    }),
    matchFace: fromPromise<FaceOutcome>(async () => {
      throw new Error('matchFace not provided');
    }),
    verifyPin: fromPromise<PinOutcome, { pin: string }>(async () => {
      throw new Error('verifyPin not provided');
    }),
    verifyUpstream: fromPromise<Qualification, { method: Method }>(async () => {
      throw new Error('verifyUpstream not provided');
    }),
    register: fromPromise<void>(async () => {
      throw new Error('register not provided');
    }),
    /** Settles the visit with the answers given: the consent record kept, the document on its way. */
    settle: fromPromise<void, { answers: Answer[] }>(async () => {
      throw new Error('settle not provided');
    }),
  },
  actions: {
    stop: assign((_, params: { reason: StopReason }) => ({ stop: params.reason })),
    /**
     * Ends the visit outside the machine: the card session is released and the outcome recorded,
     * and a verified visit not yet settled is settled with `answers` (a card pulled after the
     * upstream answered is a visit the clinic must still hear of).
     */
    endVisit: () => {},
  },
  delays: {
    screen: ({ context }) => context.config.screenTimeoutMs,
    prompt: ({ context }) => context.config.continuePromptMs,
    done: ({ context }) => context.config.doneMs,
    reminder: ({ context }) => context.config.takeCardReminderMs,
  },
  guards: {
    visualCheckOn: ({ context }) => context.visualCheckNext,
    pinless: ({ context }) => context.card?.pinless === true,
    faceTriesLeft: ({ context }) => context.faceTries < context.config.faceAttempts,
    notRegistered: ({ context }) => context.qualification?.registered === false,
    consentsLeft: ({ context }) => context.consentQueue.length > 0,
    limitInfoEnabled: ({ context }) => context.config.limitInfo,
    refused: ({ event }) => 'error' in event && isRefusal(event.error),
  },
}).createMachine({
  id: 'flow',
  context: ({ input }) =>
    fresh({
      config: input.config ?? DEFAULT_FLOW_CONFIG,
      today: input.today,
      visualCheckNext: false,
      stop: null,
    }),
  initial: 'idle',
  on: {
    // Wherever the patient is, a pulled card ends the visit: nothing half-done goes on.
    CARD_REMOVED: { target: '.idle', actions: stopWith('card-removed') },
  },
  states: {
    idle: {
      meta: { screen: 'idle' },
      // endVisit sees the visit's context before it is forgotten.
      entry: ['endVisit', assign(({ context }) => fresh(context))],
      on: {
        CARD_INSERTED: {
          target: 'readingCard',
          actions: assign({ stop: () => null, today: ({ context, event }) => event.today ?? context.today }),
        },
        CARD_REMOVED: {},
        STAFF_VISUAL_CHECK: { actions: assign({ visualCheckNext: () => true }) },
      },
    },
    readingCard: {
      meta: { screen: 'reading' },
      invoke: {
        id: 'readCard',
        src: 'readCard',
        onDone: [
          {
            guard: 'visualCheckOn',
            target: 'staff',
            actions: assign({
              card: ({ event }) => event.output,
              visualCheckNext: () => false,
              stop: () => null,
            }),
          },
          { target: 'methodChoice', actions: assign({ card: ({ event }) => event.output }) },
        ],
        onError: [
          {
            guard: ({ event }) => event.error instanceof NotMyNumberCardError,
            target: 'cardProblem',
            actions: stopWith('not-my-number-card'),
          },
          { target: 'cardProblem', actions: stopWith('card-error') },
        ],
      },
    },
    /** Not a My Number card, or one that cannot be read: the screen says so until it is taken away. */
    // Always stopped (card error or not a My Number card): taking it away keeps that reason.
    cardProblem: { meta: { screen: 'card-problem' }, on: { CARD_REMOVED: '#flow.idle' } },
    methodChoice: patientScreen({
      meta: { screen: 'method' },
      on: {
        CHOOSE_FACE: { target: '#flow.face', reenter: true },
        CHOOSE_PIN: [
          { guard: 'pinless', target: '#flow.staff', actions: stopWith('pinless-needs-staff') },
          { target: '#flow.pin' },
        ],
        CHOOSE_EXIT: { target: '#flow.takeCard', actions: stopWith('patient-exit') },
      },
    }),
    face: {
      meta: { screen: 'face' },
      entry: assign({ faceTries: ({ context }) => context.faceTries + 1 }),
      invoke: {
        id: 'matchFace',
        src: 'matchFace',
        onDone: [
          {
            guard: ({ event }) => event.output.decision === 'accept',
            target: 'verifying',
            actions: assign({ method: () => 'face' as const, faceReasons: () => [] }),
          },
          {
            guard: 'faceTriesLeft',
            target: 'face',
            reenter: true,
            actions: assign({
              faceReasons: ({ event }) => ('reasons' in event.output ? event.output.reasons : []),
            }),
          },
          // A failed face match falls back to the PIN; a PIN-less card goes to staff.
          { guard: 'pinless', target: 'staff', actions: stopWith('face-failed') },
          { target: 'pin', actions: stopWith('face-failed') },
        ],
        onError: [
          { guard: 'pinless', target: 'staff', actions: stopWith('face-failed') },
          { target: 'pin', actions: stopWith('face-failed') },
        ],
      },
      on: { CANCEL: 'methodChoice' },
    },
    pin: {
      initial: 'entry',
      states: {
        entry: patientScreen({
          meta: { screen: 'pin' },
          on: {
            PIN_ENTERED: '#flow.pin.checking',
            CANCEL: '#flow.methodChoice',
          },
        }),
        checking: {
          meta: { screen: 'pin-checking' },
          invoke: {
            id: 'verifyPin',
            src: 'verifyPin',
            // The PIN lives only in this event and the actor's input: never in the context.
            input: ({ event }) => ({ pin: event.type === 'PIN_ENTERED' ? event.pin : '' }),
            onDone: [
              {
                guard: ({ event }) => event.output.result === 'ok',
                target: '#flow.verifying',
                actions: assign({ method: () => 'pin' as const, stop: () => null }),
              },
              {
                guard: ({ event }) => event.output.result === 'wrong',
                target: 'entry',
                actions: assign({
                  pinTriesLeft: ({ event }) =>
                    event.output.result === 'wrong' ? event.output.triesLeft : null,
                }),
              },
              {
                target: '#flow.staff',
                actions: [assign({ pinTriesLeft: () => 0 }), stopWith('pin-blocked')],
              },
            ],
            onError: { target: '#flow.staff', actions: stopWith('card-error') },
          },
        },
      },
    },
    /** 目視確認 and every dead end: staff take over, or the card is taken back. */
    staff: {
      meta: { screen: 'staff' },
      on: {
        CARD_REMOVED: keepStop,
        STAFF_CONFIRMED: {
          target: 'verifying',
          actions: assign({ method: () => 'visual' as const, stop: () => null }),
        },
      },
    },
    verifying: {
      meta: { screen: 'verifying' },
      invoke: {
        id: 'verifyUpstream',
        src: 'verifyUpstream',
        input: ({ context }) => ({ method: context.method ?? 'pin' }),
        onDone: [
          {
            guard: ({ event }) => !event.output.registered,
            target: 'registration',
            actions: assign({ qualification: ({ event }) => event.output }),
          },
          { target: 'consents', actions: assign({ qualification: ({ event }) => event.output }) },
        ],
        onError: [
          { guard: 'refused', target: 'staff', actions: stopWith('upstream-refused') },
          { target: 'staff', actions: stopWith('upstream-unreachable') },
        ],
      },
    },
    registration: {
      initial: 'asking',
      states: {
        asking: patientScreen({
          meta: { screen: 'registration' },
          on: {
            REGISTER: [
              { guard: ({ event }) => event.agree, target: '#flow.registration.registering' },
              { target: '#flow.takeCard', actions: stopWith('registration-declined') },
            ],
          },
        }),
        registering: {
          meta: { screen: 'registering' },
          invoke: {
            id: 'register',
            src: 'register',
            onDone: {
              target: '#flow.consents',
              actions: assign({
                qualification: ({ context }) =>
                  context.qualification ? { ...context.qualification, registered: true } : null,
              }),
            },
            // The application waits in the outbox; failing here means the kiosk could not keep it.
            onError: { target: '#flow.staff', actions: stopWith('kiosk-fault') },
          },
        },
      },
    },
    consents: {
      meta: { screen: 'consent' },
      entry: assign({
        consentQueue: ({ context }) =>
          context.config.consents.filter(
            (item) =>
              item !== 'checkup' ||
              (context.qualification !== null &&
                ageOn(context.qualification.birthDate, context.today) >= CHECKUP_MIN_AGE),
          ),
      }),
      initial: 'next',
      states: {
        next: {
          always: [{ guard: 'consentsLeft', target: 'asking' }, { target: '#flow.done' }],
        },
        asking: patientScreen(
          {
            on: {
              CONSENT: {
                target: '#flow.consents.next',
                actions: assign(({ context, event }) => {
                  // A bundled consent answers every remaining question at once.
                  const items = context.config.bundledConsent
                    ? context.consentQueue
                    : context.consentQueue.slice(0, 1);
                  return {
                    answers: [
                      ...context.answers,
                      ...items.map((item) => ({ item, agreed: event.agree, at: event.at })),
                    ],
                    consentQueue: context.consentQueue.slice(items.length),
                  };
                }),
              },
            },
          },
          '#flow.recording',
        ),
      },
    },
    /** 「●●様 確認が完了しました。」 */
    done: {
      meta: { screen: 'done' },
      after: {
        done: [{ guard: 'limitInfoEnabled', target: 'limitInfo' }, { target: 'recording' }],
      },
      // Every question asked is answered: taking the card now, as the screen says, completes the visit.
      on: { CARD_REMOVED: 'idle' },
    },
    limitInfo: patientScreen(
      {
        meta: { screen: 'limit-info' },
        on: {
          LIMIT_INFO: {
            target: '#flow.recording',
            actions: assign({
              answers: ({ context, event }) => [
                ...context.answers,
                { item: 'limit-info' as const, agreed: event.provide, at: event.at },
              ],
            }),
          },
        },
      },
      '#flow.recording',
    ),
    recording: {
      meta: { screen: 'recording' },
      invoke: {
        id: 'settle',
        src: 'settle',
        input: ({ context }) => ({ answers: context.answers }),
        onDone: 'takeCard',
        // The records wait in the outbox: the patient is done either way.
        onError: 'takeCard',
      },
      // The answers are all in; the visit ends as it stood (completed, or timed out).
      on: { CARD_REMOVED: 'idle' },
    },
    /** 「受付完了後はマイナンバーカードを忘れずにお取りください！」, louder each time. */
    takeCard: {
      meta: { screen: 'take-card' },
      after: {
        reminder: {
          target: 'takeCard',
          reenter: true,
          actions: assign({ reminders: ({ context }) => context.reminders + 1 }),
        },
      },
      on: { CARD_REMOVED: 'idle' },
    },
  },
});
