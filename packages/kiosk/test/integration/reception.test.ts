/**
 * The reception flow with its real parts: the virtual My Number card through the card layer, the
 * kiosk store in a SQLite file, the device key in a SoftHSM2 token, and an upstream that really
 * verifies every signed request. Only the camera is a stand-in (the face engine has its own tests).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exactRead } from '@myna/card/card-front-read.js';
import {
  type ReadyDeviceToken,
  readyDeviceToken,
  softhsmSkipReason,
} from '@myna/devtools/test-support/device-token.js';
import {
  ACCEPTED_FACE,
  dbIn,
  type KioskOptions,
  startTestKiosk,
  type TestKiosk,
  testPatient,
} from '@myna/devtools/test-support/reception-kiosk.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnyActorRef, waitFor } from 'xstate';
import type { FlowContext } from '../../src/reception/flow-machine.ts';
import { DEFAULT_FLOW_CONFIG } from '../../src/reception/flow-types.ts';
import type { Attestor } from '../../src/reception/ports.ts';
import { OUTBOX_KIND } from '../../src/reception/store-recorder.ts';
import { due, exportAudit, type Store, verifyAudit } from '../../src/store/index.ts';
import { deviceSigner } from '../../src/upstream/device-key/index.ts';
import { UpstreamError } from '../../src/upstream/errors.ts';

const TODAY = '2026-11-24';
const NOW = new Date(`${TODAY}T09:30:00+09:00`);
const middleAged = testPatient('middle-aged');
const young = testPatient('young-rare-kanji');

describe.skipIf(softhsmSkipReason())(
  'reception flow with the card, the store, the device key and a verifying upstream',
  () => {
    let token: ReadyDeviceToken;
    let attestor: Attestor;
    let dir: string;
    const running: TestKiosk[] = [];

    beforeAll(async () => {
      token = await readyDeviceToken();
      attestor = await deviceSigner(token.options);
      dir = mkdtempSync(join(tmpdir(), 'kiosk-reception-'));
    });

    afterAll(() => {
      for (const kiosk of running) kiosk.stop();
      token?.remove();
    });

    function kiosk(options: Partial<KioskOptions> = {}): TestKiosk {
      const patient = options.patient ?? middleAged;
      const k = startTestKiosk({
        patient,
        attestor,
        dbPath: dbIn(dir, `kiosk-${running.length}`),
        now: NOW,
        // What the face engine would see must be the card's own photo.
        onPhoto: (photo) =>
          expect(Buffer.from(photo).equals(Buffer.from(patient.person.photoJp2))).toBe(true),
        ...options,
      });
      running.push(k);
      return k;
    }

    const at = (actor: AnyActorRef, state: string | object) =>
      waitFor(actor, (s) => s.matches(state), { timeout: 5_000 });
    const context = (actor: AnyActorRef) => actor.getSnapshot().context as FlowContext;
    const kinds = (store: Store) => exportAudit(store).map((r) => `${r.kind}:${r.outcome}`);

    it('PIN path: the card signs, the upstream verifies, consents kept, result published, card released', async () => {
      const k = kiosk();
      k.actor.send({ type: 'CARD_INSERTED', today: TODAY });
      await at(k.actor, 'methodChoice');
      expect(context(k.actor).card).toMatchObject({ pinless: false, pinTriesLeft: 3 });
      k.actor.send({ type: 'CHOOSE_PIN' });
      k.actor.send({ type: 'PIN_ENTERED', pin: middleAged.person.pin });
      await at(k.actor, { consents: 'asking' });
      expect(context(k.actor).qualification?.displayName).toBe('中年　健一');
      expect(k.upstream.visits.map((v) => v.method)).toEqual(['pin']);
      // 56 years old: the 特定健診 question comes after the medication one.
      expect(context(k.actor).consentQueue).toEqual(['medication', 'checkup']);
      k.actor.send({ type: 'CONSENT', agree: true, at: NOW.toISOString() });
      k.actor.send({ type: 'CONSENT', agree: false, at: NOW.toISOString() });
      await at(k.actor, 'done');
      k.clock.increment(DEFAULT_FLOW_CONFIG.doneMs);
      await at(k.actor, 'limitInfo');
      k.actor.send({ type: 'LIMIT_INFO', provide: true, at: NOW.toISOString() });
      await at(k.actor, 'takeCard');
      // The document goes on in the background (it may wait for the upstream's 限度額 answer).
      await expect.poll(() => kinds(k.store)).toContain('result.publish:ok');

      expect(k.published).toHaveLength(1);
      const { consents } = k.published[0]!;
      expect(consents.visitId).toBe(k.upstream.visits[0]!.visitId);
      expect(consents.items.map(({ item, agreed }) => [item, agreed])).toEqual([
        ['medication', true],
        ['checkup', false],
        ['limit-info', true],
      ]);
      expect(due(k.store).map((item) => item.kind)).toEqual([OUTBOX_KIND.consents]);
      expect(due(k.store)[0]!.payload).toEqual(consents);

      k.actor.send({ type: 'CARD_REMOVED' });
      await at(k.actor, 'idle');
      expect(k.connections.closed).toBe(1);
      expect(kinds(k.store)).toEqual([
        'card.placed:ok',
        'pin.verify:ok',
        'upstream.verify:ok',
        'consent.record:kept',
        'result.publish:ok',
        'visit.end:completed',
      ]);
      expect(verifyAudit(k.store).ok).toBe(true);
      // The store never saw the PIN, the name or the My Number.
      k.store.db.pragma('wal_checkpoint(FULL)');
      const file = readFileSync(k.store.path).toString('utf8');
      for (const secret of [middleAged.person.name, middleAged.person.myNumber, 'KENSHIN45']) {
        expect(file).not.toContain(secret);
      }
      expect(JSON.stringify(exportAudit(k.store))).not.toContain(`"${middleAged.person.pin}"`);
    });

    it('face path: the photo goes to the face check and is wiped, the device key attests, the upstream accepts', async () => {
      const k = kiosk({ patient: young });
      k.actor.send({ type: 'CARD_INSERTED', today: TODAY });
      await at(k.actor, 'methodChoice');
      k.actor.send({ type: 'CHOOSE_FACE' });
      // Under 40: no 特定健診 question.
      await at(k.actor, { consents: 'asking' });
      expect(context(k.actor).consentQueue).toEqual(['medication']);
      expect(k.upstream.visits.map((v) => v.method)).toEqual(['face']);
      expect(k.photos).toHaveLength(1);
      expect(k.photos[0]!.every((b) => b === 0)).toBe(true);
      k.actor.send({ type: 'CARD_REMOVED' });
      await at(k.actor, 'idle');
      expect(context(k.actor).stop).toBe('card-removed');
      expect(k.connections.closed).toBe(1);
      // Nothing half-sent: a visit ended before the consents leaves nothing in the outbox.
      expect(due(k.store)).toEqual([]);
      expect(kinds(k.store).slice(-1)).toEqual(['visit.end:card-removed']);
    });

    it('face match without liveness is refused and falls back to the PIN', async () => {
      const k = kiosk({ face: { ...ACCEPTED_FACE, liveness: { passed: false, challenge: 'blink' } } });
      k.actor.send({ type: 'CARD_INSERTED', today: TODAY });
      await at(k.actor, 'methodChoice');
      k.actor.send({ type: 'CHOOSE_FACE' });
      await at(k.actor, { pin: 'entry' });
      expect(context(k.actor).stop).toBe('face-failed');
      expect(kinds(k.store).filter((kind) => kind.startsWith('face.'))).toEqual([
        'face.match:liveness-failed',
        'face.match:liveness-failed',
      ]);
      expect(k.upstream.visits).toEqual([]);
    });

    it('a card placed back side up: the face screen again with the reason, kept in the audit log as a code; turned over, the face path goes on', async () => {
      const { birthDate, cardExpiry, securityCode } = middleAged.person;
      let turned = false;
      // Every frame sees the back (the read at placement, then the first attempt's own) until the
      // patient, told so on the face screen, turns the card over.
      const k = kiosk({
        cardFront: async () =>
          turned ? exactRead(birthDate, cardExpiry, securityCode) : { problem: 'card-back' },
      });
      k.actor.send({ type: 'CARD_INSERTED', today: TODAY });
      await at(k.actor, 'methodChoice');
      k.actor.send({ type: 'CHOOSE_FACE' });
      await waitFor(k.actor, (s) => s.matches('face') && s.context.faceTries === 2, { timeout: 10_000 });
      expect(context(k.actor).faceReasons).toEqual(['card-front-back']);
      turned = true;
      await at(k.actor, { consents: 'asking' });
      expect(context(k.actor).faceTries).toBe(2);
      expect(k.upstream.visits.map((v) => v.method)).toEqual(['face']);
      const records = exportAudit(k.store).filter((r) => r.kind === 'card.front');
      expect(records.map(({ outcome, data }) => ({ outcome, data }))).toEqual([
        { outcome: 'place-again', data: { code: 'card-back' } },
      ]);
      expect(kinds(k.store).filter((kind) => kind.startsWith('face.'))).toEqual(['face.match:accept']);
      expect(verifyAudit(k.store).ok).toBe(true);
    });

    it('three wrong PINs lock the card and send the patient to staff; the PIN is never retried by the kiosk', async () => {
      const k = kiosk();
      k.actor.send({ type: 'CARD_INSERTED', today: TODAY });
      await at(k.actor, 'methodChoice');
      k.actor.send({ type: 'CHOOSE_PIN' });
      for (const triesLeft of [2, 1]) {
        k.actor.send({ type: 'PIN_ENTERED', pin: '0000' });
        await waitFor(k.actor, (s) => s.matches({ pin: 'entry' }) && s.context.pinTriesLeft === triesLeft);
      }
      k.actor.send({ type: 'PIN_ENTERED', pin: '0000' });
      await at(k.actor, 'staff');
      expect(context(k.actor).stop).toBe('pin-blocked');
      expect(kinds(k.store).filter((kind) => kind.startsWith('pin.'))).toEqual([
        'pin.verify:wrong',
        'pin.verify:wrong',
        'pin.verify:blocked',
      ]);
      expect(k.upstream.visits).toEqual([]);
    });

    it('an unregistered kiosk is refused upstream: staff, and the refusal in the audit log', async () => {
      const k = kiosk({ registeredKiosk: false });
      k.actor.send({ type: 'CARD_INSERTED', today: TODAY });
      await at(k.actor, 'methodChoice');
      k.actor.send({ type: 'CHOOSE_FACE' });
      await at(k.actor, 'staff');
      expect(context(k.actor).stop).toBe('upstream-refused');
      const record = exportAudit(k.store).find((r) => r.kind === 'upstream.verify');
      expect(record).toMatchObject({ outcome: 'failed', data: { method: 'face', code: 'kiosk-unknown' } });
    });

    it('upstream unreachable: staff screen, the event kept in the audit log, nothing sent', async () => {
      const k = kiosk({
        upstream: (standIn) => ({
          nonce: () =>
            Promise.reject(new UpstreamError('unreachable', 'connect-refused', 'no answer from upstream')),
          verify: (jws) => standIn.verify(jws),
        }),
      });
      k.actor.send({ type: 'CARD_INSERTED', today: TODAY });
      await at(k.actor, 'methodChoice');
      k.actor.send({ type: 'CHOOSE_PIN' });
      k.actor.send({ type: 'PIN_ENTERED', pin: middleAged.person.pin });
      await at(k.actor, 'staff');
      expect(context(k.actor).stop).toBe('upstream-unreachable');
      expect(exportAudit(k.store).find((r) => r.kind === 'upstream.verify')).toMatchObject({
        outcome: 'failed',
        data: { method: 'pin', code: 'connect-refused' },
      });
      // Taking the card away afterwards keeps why the visit stopped, for the log and the next patient.
      k.actor.send({ type: 'CARD_REMOVED' });
      await at(k.actor, 'idle');
      expect(context(k.actor).stop).toBe('upstream-unreachable');
      expect(kinds(k.store).slice(-1)).toEqual(['visit.end:upstream-unreachable']);
    });

    it('a card not yet registered for insurance use: registration kept in the outbox, then consents', async () => {
      const k = kiosk({ registered: false });
      k.actor.send({ type: 'CARD_INSERTED', today: TODAY });
      await at(k.actor, 'methodChoice');
      k.actor.send({ type: 'CHOOSE_PIN' });
      k.actor.send({ type: 'PIN_ENTERED', pin: middleAged.person.pin });
      await at(k.actor, { registration: 'asking' });
      k.actor.send({ type: 'REGISTER', agree: true });
      await at(k.actor, { consents: 'asking' });
      expect(due(k.store).map((item) => [item.kind, item.payload])).toEqual([
        [OUTBOX_KIND.registration, { visitId: k.upstream.visits[0]!.visitId }],
      ]);
    });

    it('目視確認: staff switch it on for one patient, confirm by sight, and the next patient gets the normal flow', async () => {
      const k = kiosk();
      k.actor.send({ type: 'STAFF_VISUAL_CHECK' });
      k.actor.send({ type: 'CARD_INSERTED', today: TODAY });
      await at(k.actor, 'staff');
      k.actor.send({ type: 'STAFF_CONFIRMED' });
      await at(k.actor, { consents: 'asking' });
      expect(k.upstream.visits.map((v) => v.method)).toEqual(['visual']);
      k.actor.send({ type: 'CARD_REMOVED' });
      await at(k.actor, 'idle');
      k.actor.send({ type: 'CARD_INSERTED', today: TODAY });
      await at(k.actor, 'methodChoice');
    });
  },
);
