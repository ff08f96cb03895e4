/**
 * The flow machine wired to the kiosk's services. The machine decides the order; this file does
 * each step with the card, the face check, the device key and the upstream, and keeps what a visit
 * needs (the open card session, the face result, the upstream's answer) outside the machine's
 * context, for one visit only.
 */

import { japanIsoDate } from '@myna/protocol/oqs/oqs-time.js';
import { signAttestation, signPinRequest } from '@myna/protocol/signed-requests.js';
import { type ActorOptions, type AnyActorLogic, createActor, fromPromise } from 'xstate';
import { OpticalReadRefusedError } from '../card-front/number-b-gate.ts';
import { cardFrontReason } from './card-front-reasons.ts';
import { flowMachine, type Method } from './flow-machine.ts';
import type { Answer, CardFacts, FaceOutcome, FlowConfig, PinOutcome, Qualification } from './flow-types.ts';
import type {
  Attestor,
  CardSlot,
  ConsentRecord,
  FaceCheck,
  FaceCheckResult,
  PlacedCard,
  ReceptionRecorder,
  UpstreamPort,
  VerifiedVisit,
} from './ports.ts';

export interface ReceptionDeps<Document> {
  slot: CardSlot;
  face: FaceCheck;
  upstream: UpstreamPort<Document>;
  attestor: Attestor;
  recorder: ReceptionRecorder<Document>;
  kioskId: string;
  medicalInstitutionCode: string;
  config?: FlowConfig;
  /** Wall time for signatures, consent times and the age question; inject a fixed one in tests. */
  now?: () => Date;
}

/** What one visit holds between steps; dropped (and the card released) when the visit ends. */
interface Visit<Document> {
  card: PlacedCard;
  cardRef: string;
  face: FaceCheckResult | null;
  verified: VerifiedVisit<Document> | null;
  /** Set once, before anything is kept: a visit is settled exactly once however many ends race. */
  settled: boolean;
}

export function receptionMachine<Document>(deps: ReceptionDeps<Document>) {
  const now = deps.now ?? (() => new Date());
  let visit: Visit<Document> | null = null;
  // A card read still running when the visit ends must not become the next visit's card.
  let generation = 0;

  const audit = (kind: string, outcome: string, data?: Record<string, unknown>) =>
    deps.recorder.audit({ kind, outcome, card: visit?.cardRef ?? null, data });

  const current = (): Visit<Document> => {
    if (!visit) throw new Error('no card session for this visit');
    return visit;
  };

  const readCard = fromPromise<CardFacts>(async () => {
    const mine = generation;
    let card: PlacedCard;
    try {
      card = await deps.slot.open();
    } catch (error) {
      deps.recorder.audit({ kind: 'card.placed', outcome: 'failed', card: null, data: errorData(error) });
      throw error;
    }
    try {
      const { serialNumber } = await card.certificate();
      const pin = await card.pinStatus();
      if (mine !== generation) throw new Error('the card was taken away while it was read');
      const cardRef = deps.recorder.cardRef(serialNumber);
      visit = { card, cardRef, face: null, verified: null, settled: false };
      audit('card.placed', 'ok', { pinless: pin.pinless, pinTriesLeft: pin.triesLeft });
      return { cardRef, pinless: pin.pinless, pinTriesLeft: pin.triesLeft };
    } catch (error) {
      await card.release().catch(() => {});
      if (mine === generation) {
        deps.recorder.audit({ kind: 'card.placed', outcome: 'failed', card: null, data: errorData(error) });
      }
      throw error;
    }
  });

  const matchFace = fromPromise<FaceOutcome>(async () => {
    const v = current();
    let photo: Uint8Array;
    try {
      photo = await v.card.facePhoto();
    } catch (error) {
      if (!(error instanceof OpticalReadRefusedError)) throw error;
      const reason = cardFrontReason(error.code);
      audit('card.front', reason ? 'place-again' : 'refused', { code: error.code });
      // The flow's face retry shows the patient what to fix; a refusal that protects the card offers the PIN.
      if (!reason) throw error;
      return { decision: 'undecided', reasons: [reason] };
    }
    let result: FaceCheckResult;
    try {
      result = await deps.face.check(photo);
    } finally {
      photo.fill(0);
    }
    // An accepted match without passed liveness is a held-up photo until shown otherwise.
    const accepted = result.decision === 'accept' && result.liveness.passed && result.score !== null;
    audit(
      'face.match',
      accepted ? 'accept' : result.decision === 'accept' ? 'liveness-failed' : result.decision,
      {
        score: result.score,
        threshold: result.threshold,
        reasons: result.reasons,
        liveness: result.liveness.passed,
        challenge: result.liveness.challenge,
      },
    );
    if (!accepted) {
      const reasons = result.decision === 'accept' ? ['liveness-failed'] : result.reasons;
      return { decision: result.decision === 'undecided' ? 'undecided' : 'reject', reasons };
    }
    v.face = result;
    return { decision: 'accept', score: result.score as number };
  });

  const verifyPin = fromPromise<PinOutcome, { pin: string }>(async ({ input }) => {
    const outcome = await current().card.verifyPin(input.pin);
    audit('pin.verify', outcome.result, outcome.result === 'wrong' ? { triesLeft: outcome.triesLeft } : {});
    return outcome;
  });

  const verifyUpstream = fromPromise<Qualification, { method: Method }>(async ({ input }) => {
    const v = current();
    try {
      const nonce = await deps.upstream.nonce();
      const jws = await signRequest(deps, v, input.method, nonce, now());
      const verified = await deps.upstream.verify(jws);
      v.verified = verified;
      audit('upstream.verify', 'ok', { method: input.method, registered: verified.qualification.registered });
      return verified.qualification;
    } catch (error) {
      audit('upstream.verify', 'failed', { method: input.method, ...errorData(error) });
      throw error;
    }
  });

  const register = fromPromise<void>(async () => {
    const { verified } = current();
    if (!verified) throw new Error('registration before the upstream verified the visit');
    deps.recorder.keepRegistration({ visitId: verified.visitId });
    audit('insurance.register', 'kept');
  });

  /**
   * The visit's one settlement: the consent record of the answers given (when there are any) kept
   * for the upstream, and the result document handed on. Runs at most once per visit, from the
   * flow's recording step or from the visit's end, whichever comes first; the document goes on in
   * the background (it may wait for the limit certificate), its outcome in the audit log.
   */
  const settle = (v: Visit<Document>, answers: readonly Answer[]): void => {
    const { verified } = v;
    if (!verified) throw new Error('settling a visit the upstream has not verified');
    if (v.settled) return;
    v.settled = true;
    const log = (kind: string, outcome: string, data?: Record<string, unknown>) =>
      deps.recorder.audit({ kind, outcome, card: v.cardRef, data });
    const record: ConsentRecord = {
      visitId: verified.visitId,
      items: answers.map(({ item, agreed, at }) => ({ item, agreed, at })),
    };
    // The document first: it may wait for the upstream's answer to the record kept just after.
    // Called at once (so the document is waiting before the record can be delivered); a throw becomes a failure.
    (async () => deps.recorder.publishResult(verified.document, record))()
      .then(
        (how) =>
          log('result.publish', 'ok', typeof how === 'object' && how !== null ? { ...how } : undefined),
        (error) => log('result.publish', 'failed', errorData(error)),
      )
      // Only when the audit log itself is gone (the kiosk stopping): nothing left to tell.
      .catch(() => {});
    if (record.items.length === 0) return;
    try {
      deps.recorder.keepConsents(record);
      log('consent.record', 'kept', {
        items: record.items.map(({ item, agreed }) => `${item}:${agreed ? 'yes' : 'no'}`),
      });
    } catch (error) {
      log('consent.record', 'failed', errorData(error));
    }
  };

  const settleActor = fromPromise<void, { answers: Answer[] }>(async ({ input }) =>
    settle(current(), input.answers),
  );

  return flowMachine.provide({
    actors: { readCard, matchFace, verifyPin, verifyUpstream, register, settle: settleActor },
    actions: {
      endVisit: ({ context }) => {
        generation++;
        const ended = visit;
        visit = null;
        if (!ended && !context.card) return;
        // Identity proven, the upstream answered, the card usable for insurance: never a lost visit.
        if (ended?.verified && context.qualification?.registered) settle(ended, context.answers);
        deps.recorder.audit({
          kind: 'visit.end',
          outcome: context.stop ?? 'completed',
          card: ended?.cardRef ?? context.card?.cardRef ?? null,
          data: { method: context.method, reminders: context.reminders, settled: ended?.settled === true },
        });
        if (ended) void ended.card.release().catch(() => {});
      },
    },
  });
}

/** The identity proof for the method the patient used: the card's own signature, or the kiosk's attestation. */
async function signRequest<Document>(
  deps: ReceptionDeps<Document>,
  visit: Visit<Document>,
  method: Method,
  nonce: string,
  now: Date,
): Promise<string> {
  const { der } = await visit.card.certificate();
  const common = {
    nonce,
    kioskId: deps.kioskId,
    now,
    request: { kind: 'qualification' as const, medicalInstitutionCode: deps.medicalInstitutionCode },
  };
  if (method === 'pin') {
    return signPinRequest({ ...common, cardCertificate: der, signSha256: (m) => visit.card.signSha256(m) });
  }
  if (method === 'face') {
    const face = visit.face;
    if (!face || face.score === null) throw new Error('face path without an accepted match');
    return signAttestation({
      ...common,
      device: deps.attestor,
      cardCertificate: der,
      method: 'face',
      match: { score: face.score, threshold: face.threshold, calibratedFar: face.calibratedFar },
      liveness: face.liveness,
    });
  }
  return signAttestation({
    ...common,
    device: deps.attestor,
    cardCertificate: der,
    method: 'visual',
    staffConfirmed: true,
  });
}

/** Codes for the audit log: never a message that could carry a value. */
function errorData(error: unknown): Record<string, unknown> {
  const code = (error as { code?: unknown })?.code;
  return {
    error: error instanceof Error ? error.name : 'unknown',
    ...(typeof code === 'string' ? { code } : {}),
  };
}

export interface ReceptionOptions {
  /** A simulated clock in tests and benchmarks; the system clock otherwise. */
  clock?: ActorOptions<AnyActorLogic>['clock'];
  today?: string;
}

/** Starts the flow for a kiosk: the returned actor takes card, patient and staff events. */
export function startReception<Document>(deps: ReceptionDeps<Document>, options: ReceptionOptions = {}) {
  const today = options.today ?? japanIsoDate(deps.now?.() ?? new Date());
  const actor = createActor(receptionMachine(deps), {
    input: { today, config: deps.config },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  actor.start();
  return actor;
}
