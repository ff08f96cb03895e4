/**
 * The settle rule of reception.ts: once identity is proven and the upstream answered, every end of
 * the visit gives the clinic exactly one document and the upstream the answers given; before that,
 * nothing. The virtual card and the kiosk store are real; the upstream is the verifying stand-in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dbIn,
  startTestKiosk,
  type TestKiosk,
  testPatient,
} from '@myna/devtools/test-support/reception-kiosk.js';
import { afterAll, describe, expect, it } from 'vitest';
import { type AnyActorRef, waitFor } from 'xstate';
import { DEFAULT_FLOW_CONFIG } from '../../../src/reception/flow-types.ts';
import type { ConsentRecord } from '../../../src/reception/ports.ts';
import { due, exportAudit } from '../../../src/store/index.ts';

const NOW = new Date('2026-11-24T09:30:00+09:00');
const T1 = '2026-11-24T00:30:05.000Z';
const T2 = '2026-11-24T00:30:11.000Z';
const patient = testPatient('middle-aged');
const dir = mkdtempSync(join(tmpdir(), 'kiosk-settle-'));
const running: TestKiosk[] = [];

afterAll(() => {
  for (const k of running) k.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The PIN path only: the device key never signs, so none is needed. */
function kiosk(registered = true): TestKiosk {
  const k = startTestKiosk({
    patient,
    registered,
    attestor: { keyId: 'unused', certificatePem: null, sign: async () => new Uint8Array() },
    dbPath: dbIn(dir, `kiosk-${running.length}`),
    now: NOW,
  });
  running.push(k);
  return k;
}

const at = (actor: AnyActorRef, state: string | object) =>
  waitFor(actor, (s) => s.matches(state), { timeout: 5_000 });

/** Card placed, PIN entered, the upstream answered: the next screen is up. */
async function verified(k: TestKiosk, next: object = { consents: 'asking' }) {
  k.actor.send({ type: 'CARD_INSERTED' });
  await at(k.actor, 'methodChoice');
  k.actor.send({ type: 'CHOOSE_PIN' });
  k.actor.send({ type: 'PIN_ENTERED', pin: patient.person.pin });
  await at(k.actor, next);
}

const kept = (k: TestKiosk) =>
  due(k.store)
    .filter((i) => i.kind === 'consent.record')
    .map((i) => i.payload as ConsentRecord);
const audit = (k: TestKiosk) => exportAudit(k.store);
const ended = (k: TestKiosk) => audit(k).filter((e) => e.kind === 'visit.end');
const settledNow = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('a verified visit is settled exactly once, however it ends', () => {
  it('card taken on the done screen: one document and one consent record with the answers, completed', async () => {
    const k = kiosk();
    await verified(k);
    k.actor.send({ type: 'CONSENT', agree: true, at: T1 });
    k.actor.send({ type: 'CONSENT', agree: false, at: T2 });
    await at(k.actor, 'done');
    k.actor.send({ type: 'CARD_REMOVED' });
    await settledNow();
    const answers = [
      { item: 'medication', agreed: true, at: T1 },
      { item: 'checkup', agreed: false, at: T2 },
    ];
    expect(kept(k)).toEqual([{ visitId: k.upstream.visits[0]!.visitId, items: answers }]);
    expect(k.published).toHaveLength(1);
    expect(k.published[0]!.consents).toEqual(kept(k)[0]);
    expect(ended(k)).toMatchObject([{ outcome: 'completed', data: { settled: true } }]);
    expect(audit(k).map((e) => `${e.kind}:${e.outcome}`)).toContain('result.publish:ok');
    expect(k.connections.closed).toBe(1);
  });

  it('card pulled on the first consent question: the document without answers, no consent record', async () => {
    const k = kiosk();
    await verified(k);
    k.actor.send({ type: 'CARD_REMOVED' });
    await settledNow();
    expect(kept(k)).toEqual([]);
    expect(k.published.map((p) => p.consents.items)).toEqual([[]]);
    expect(ended(k)).toMatchObject([{ outcome: 'card-removed', data: { settled: true } }]);
  });

  it('the card pulled while the last answer is being recorded: still once', async () => {
    const k = kiosk();
    await verified(k);
    k.actor.send({ type: 'CONSENT', agree: true, at: T1 });
    k.actor.send({ type: 'CONSENT', agree: true, at: T1 });
    await at(k.actor, 'done');
    k.clock.increment(DEFAULT_FLOW_CONFIG.doneMs);
    await at(k.actor, 'limitInfo');
    k.actor.send({ type: 'LIMIT_INFO', provide: true, at: T2 });
    k.actor.send({ type: 'CARD_REMOVED' });
    await at(k.actor, 'idle');
    await settledNow();
    expect(kept(k)).toHaveLength(1);
    expect(kept(k)[0]!.items.at(-1)).toEqual({ item: 'limit-info', agreed: true, at: T2 });
    expect(k.published).toHaveLength(1);
    expect(ended(k)).toMatchObject([{ outcome: 'completed', data: { settled: true } }]);
  });

  it('the 限度額 screen timed out: settled at once with the consents, then the card taken: not again', async () => {
    const k = kiosk();
    await verified(k);
    k.actor.send({ type: 'CONSENT', agree: true, at: T1 });
    k.actor.send({ type: 'CONSENT', agree: true, at: T2 });
    await at(k.actor, 'done');
    k.clock.increment(DEFAULT_FLOW_CONFIG.doneMs);
    await at(k.actor, 'limitInfo');
    k.clock.increment(DEFAULT_FLOW_CONFIG.screenTimeoutMs);
    k.clock.increment(DEFAULT_FLOW_CONFIG.continuePromptMs);
    await at(k.actor, 'takeCard');
    await settledNow();
    expect(k.published).toHaveLength(1);
    expect(kept(k).map((r) => r.items.map((i) => i.item))).toEqual([['medication', 'checkup']]);
    k.actor.send({ type: 'CARD_REMOVED' });
    await settledNow();
    expect(k.published).toHaveLength(1);
    expect(kept(k)).toHaveLength(1);
    expect(ended(k)).toMatchObject([{ outcome: 'timed-out', data: { settled: true } }]);
  });

  it('ended before the upstream answered, or with insurance use declined: nothing for the clinic', async () => {
    const early = kiosk();
    early.actor.send({ type: 'CARD_INSERTED' });
    await at(early.actor, 'methodChoice');
    early.actor.send({ type: 'CARD_REMOVED' });
    await at(early.actor, 'idle');

    const declined = kiosk(false);
    declined.actor.send({ type: 'CARD_INSERTED' });
    await at(declined.actor, 'methodChoice');
    declined.actor.send({ type: 'CHOOSE_PIN' });
    declined.actor.send({ type: 'PIN_ENTERED', pin: patient.person.pin });
    await at(declined.actor, { registration: 'asking' });
    declined.actor.send({ type: 'REGISTER', agree: false });
    await at(declined.actor, 'takeCard');
    declined.actor.send({ type: 'CARD_REMOVED' });
    await settledNow();
    for (const k of [early, declined]) {
      expect(k.published).toEqual([]);
      expect(kept(k)).toEqual([]);
      expect(ended(k)).toMatchObject([{ data: { settled: false } }]);
    }
  });
});
