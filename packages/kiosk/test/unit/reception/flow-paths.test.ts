/**
 * Model-based walk of the whole flow. Breadth-first over every state the patient's, the staff's
 * and the services' events (and the passing of time) can reach; each state is reached again by
 * replaying its shortest path on a fresh actor. From every state the card is then pulled: the walk
 * checks the flow is back in idle with the card released, nothing of the patient kept and no PIN
 * anywhere on the way; and it checks that every transition the machine defines was taken.
 */

import { NotMyNumberCardError } from '@myna/card/errors.js';
import { describe, expect, it } from 'vitest';
import { type AnyEventObject, createActor, fromPromise, SimulatedClock, type SnapshotFrom } from 'xstate';
import { flowMachine } from '../../../src/reception/flow-machine.ts';
import {
  type CardFacts,
  DEFAULT_FLOW_CONFIG,
  type FlowConfig,
  type Qualification,
} from '../../../src/reception/flow-types.ts';
import { UpstreamError } from '../../../src/upstream/errors.ts';

const TODAY = '2026-11-24';
const PIN = '2468';
const card: CardFacts = { cardRef: 'ab', pinless: false, pinTriesLeft: 3 };
const adult: Qualification = { displayName: '中年　健一', birthDate: '1970-05-20', registered: true };
const done = (id: string, output?: unknown) => ({ type: `xstate.done.actor.${id}`, output });
const failed = (id: string, error: Error = new Error(id)) => ({ type: `xstate.error.actor.${id}`, error });
/** Longer than any screen time-out: lets every pending timer fire. */
const TICK = 'tick';

type Step = AnyEventObject | typeof TICK;

const steps: Step[] = [
  TICK,
  { type: 'CARD_INSERTED' },
  { type: 'CARD_REMOVED' },
  { type: 'CHOOSE_FACE' },
  { type: 'CHOOSE_PIN' },
  { type: 'CHOOSE_EXIT' },
  { type: 'PIN_ENTERED', pin: PIN },
  { type: 'CANCEL' },
  { type: 'CONSENT', agree: true, at: '2026-11-24T00:30:00.000Z' },
  { type: 'CONSENT', agree: false, at: '2026-11-24T00:30:00.000Z' },
  { type: 'REGISTER', agree: true },
  { type: 'REGISTER', agree: false },
  { type: 'LIMIT_INFO', provide: true, at: '2026-11-24T00:30:00.000Z' },
  { type: 'CONTINUE' },
  { type: 'STAFF_VISUAL_CHECK' },
  { type: 'STAFF_CONFIRMED' },
  done('readCard', card),
  done('readCard', { ...card, pinless: true, pinTriesLeft: null }),
  failed('readCard'),
  failed('readCard', new NotMyNumberCardError()),
  done('matchFace', { decision: 'accept', score: 0.3 }),
  done('matchFace', { decision: 'reject', reasons: ['face-covered'] }),
  failed('matchFace'),
  done('verifyPin', { result: 'ok' }),
  done('verifyPin', { result: 'wrong', triesLeft: 1 }),
  done('verifyPin', { result: 'blocked' }),
  failed('verifyPin'),
  done('verifyUpstream', adult),
  done('verifyUpstream', { ...adult, registered: false }),
  done('verifyUpstream', { ...adult, birthDate: '2000-01-01' }),
  failed('verifyUpstream'),
  failed('verifyUpstream', new UpstreamError('refused', 'nonce-replayed', 'refused')),
  done('register'),
  failed('register'),
  done('settle'),
  failed('settle'),
];

/** A service's answer only makes sense while that service is running. */
function applicable(snapshot: Snap, step: Step): boolean {
  if (step === TICK) return true;
  const service = /^xstate\.(?:done|error)\.actor\.(.+)$/.exec(step.type)?.[1];
  return service === undefined || service in snapshot.children;
}

/** Services that never answer by themselves: the walk answers for them with the events above. */
const pending = fromPromise(() => new Promise<never>(() => {}));

/** Visits ended by the machine's `endVisit` action, counted for the replay in progress. */
const visits = { ended: 0 };

// One provided machine for the whole walk: the transitions the actors report are its own objects.
const machine = flowMachine.provide({
  actors: {
    readCard: pending,
    matchFace: pending,
    verifyPin: pending,
    verifyUpstream: pending,
    register: pending,
    settle: pending,
  } as never,
  actions: { endVisit: () => void visits.ended++ },
});

/** Two clinics: between them every configurable branch (limit information, bundled consent) is taken. */
const CLINICS: FlowConfig[] = [
  { ...DEFAULT_FLOW_CONFIG, consents: ['medication', 'checkup', 'surgery'] },
  {
    ...DEFAULT_FLOW_CONFIG,
    consents: ['medication', 'checkup', 'diagnosis'],
    bundledConsent: true,
    limitInfo: false,
    faceAttempts: 1,
  },
];

function replay(path: readonly Step[], config: FlowConfig) {
  visits.ended = 0;
  const transitions = new Set<unknown>();
  const clock = new SimulatedClock();
  const actor = createActor(machine, {
    input: { today: TODAY, config },
    clock,
    inspect: (event) => {
      if (event.type === '@xstate.microstep') {
        for (const t of (event as unknown as { _transitions: unknown[] })._transitions) transitions.add(t);
      }
    },
  });
  actor.start();
  for (const step of path) {
    if (step === TICK) clock.increment(10 * 60_000);
    else actor.send(step as never);
  }
  return { actor, visits, transitions };
}

type Snap = SnapshotFrom<typeof flowMachine>;

/** What distinguishes two states for the walk; counters that only grow are capped. */
const key = (s: Snap) =>
  JSON.stringify([
    s.value,
    s.context.card?.pinless,
    Math.min(s.context.faceTries, s.context.config.faceAttempts),
    s.context.pinTriesLeft,
    s.context.method,
    s.context.consentQueue,
    s.context.visualCheckNext,
    s.context.qualification?.registered,
    s.context.qualification?.birthDate,
    s.context.stop,
    Object.keys(s.children).sort(),
  ]);

/** Every transition definition in the machine, from every state node. */
function definedTransitions(): Set<unknown> {
  const all = new Set<unknown>();
  const visit = (node: typeof machine.root) => {
    for (const list of node.transitions.values()) for (const t of list) all.add(t);
    for (const t of node.always ?? []) all.add(t);
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root);
  return all;
}

function walk(config: FlowConfig) {
  const paths = new Map<string, Step[]>();
  const taken = new Set<unknown>();
  const start = replay([], config);
  paths.set(key(start.actor.getSnapshot()), []);
  let frontier: Step[][] = [[]];
  while (frontier.length > 0) {
    const next: Step[][] = [];
    for (const path of frontier) {
      const at = replay(path, config);
      const here = at.actor.getSnapshot();
      at.actor.stop();
      for (const step of steps) {
        if (!applicable(here, step)) continue;
        const candidate = [...path, step];
        const { actor, transitions } = replay(candidate, config);
        for (const t of transitions) taken.add(t);
        const k = key(actor.getSnapshot());
        actor.stop();
        if (paths.has(k)) continue;
        paths.set(k, candidate);
        next.push(candidate);
      }
    }
    frontier = next;
  }
  return { paths, taken };
}

describe('every path through the flow', () => {
  const walks = CLINICS.map((config) => ({ config, ...walk(config) }));
  const taken = new Set(walks.flatMap((w) => [...w.taken]));

  it('takes every transition the machine defines', () => {
    const missing = [...definedTransitions()].filter((t) => !taken.has(t));
    const describe = (t: unknown) => {
      const { source, eventType } = t as { source: { id: string }; eventType: string };
      return `${source.id} on ${eventType}`;
    };
    expect(missing.map(describe)).toEqual([]);
    for (const { paths } of walks) expect(paths.size).toBeGreaterThan(60);
  });

  it('ends in idle with the card released and nothing of the patient kept, from every state', () => {
    for (const [state, path, config] of walks.flatMap((w) =>
      [...w.paths].map(([k, p]) => [k, p, w.config] as const),
    )) {
      const { actor, visits } = replay(path, config);
      // Every state is the end of its own path, so this sees every context the walk can produce.
      expect(JSON.stringify(actor.getSnapshot().context), state).not.toContain(PIN);
      const wasIdle = actor.getSnapshot().matches('idle');
      const endedBefore = visits.ended;
      actor.send({ type: 'CARD_REMOVED' });
      const { value, context, children } = actor.getSnapshot();
      expect(value, state).toBe('idle');
      expect(context.card, state).toBeNull();
      expect(context.qualification, state).toBeNull();
      expect(context.method, state).toBeNull();
      expect(context.answers, state).toEqual([]);
      expect(Object.keys(children), state).toEqual([]);
      // The card session is released exactly once when a visit ends, and not again in idle.
      expect(visits.ended - endedBefore, state).toBe(wasIdle ? 0 : 1);
      actor.stop();
    }
  });
});
