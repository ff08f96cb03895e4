/**
 * The kiosk a patient sees, on the PIN path: the Chromium shell (startKioskHost over startKiosk)
 * in Debian's Chromium, the test people's virtual cards behind a private pcscd + vpcd (in-process,
 * with a printed line, where pcscd cannot run), the reference upstream on loopback over mutual TLS.
 * The patient taps the screens; the test places and takes away the card.
 *
 * One upstream and one reader for the file; one kiosk for the scenarios that share its settings
 * (a short done screen and a one-second take-card reminder), and one of its own for the kiosk whose
 * upstream is down. These kiosks never open the face path: their face check is a stand-in.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { peopleFile } from '@myna/card-sim/people.js';
import { loadPerson } from '@myna/card-sim/person.js';
import { ja } from '@myna/kiosk/ui/locales/ja.js';
import { fromOqsXml } from '@myna/protocol/oqs/oqs-xml.js';
import { POPULATION } from '@myna/upstream-ref/seed/population.js';
import { personRefFor } from '@myna/upstream-ref/seed/seed-population.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVirtualReader, type VirtualReader } from '../../src/demo/virtual-reader.ts';
import {
  type E2eUpstream,
  e2eSkipReason,
  type KioskUnderTest,
  NO_CAMERA,
  type PatientScreen,
  Patients,
  startE2eUpstream,
  startKioskUnderTest,
} from '../../src/test-support/e2e-kiosk.ts';

const skip = e2eSkipReason();
const KIOSK_ID = 'e2e-kiosk-pin';

const person = (id: string) => loadPerson(peopleFile(id));
const personRef = (id: string) => personRefFor(POPULATION.find((p) => p.fixtureId === id)!);

/** The documents written since `before` (file names), read back as the clinic's systems read them. */
function documentsSince(kiosk: KioskUnderTest, before: readonly string[]) {
  return kiosk
    .results()
    .filter((file) => !before.includes(file))
    .map((file) => fromOqsXml(readFileSync(join(kiosk.config.paths.results, file))));
}
const personOf = (result: ReturnType<typeof fromOqsXml>) =>
  result.MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!;

/** How the kiosk's clock is set: the real time, unless a scenario dates the visit. */
let clock: Date | null = null;

describe.skipIf(skip)('the kiosk a patient sees: PIN path', () => {
  let upstream: E2eUpstream;
  /** The kiosk's parts for the reference upstream, at its own URL or one nothing answers on. */
  const upstreamAt = (url: string) => ({
    url,
    credentials: upstream.credentials,
    attestor: upstream.attestor,
  });
  let reader: VirtualReader;
  let patients: Patients;

  beforeAll(async () => {
    upstream = await startE2eUpstream(KIOSK_ID);
    reader = await startVirtualReader(peopleFile('middle-aged'), (line) => console.warn(`e2e: ${line}`));
    patients = new Patients(reader);
    console.info(
      `e2e: the virtual card is read through ${reader.transport === 'pcsc' ? 'pcscd + vpcd' : 'the in-process reader'}`,
    );
  }, 60_000);

  afterAll(async () => {
    await reader?.close();
    await upstream?.close();
  });

  /** Card placed, 暗証番号を入力, the PIN typed and sent; stops at the next screen. */
  async function placeAndEnterPin(screen: PatientScreen, id: string, pin = person(id).pin!): Promise<void> {
    await screen.leaving();
    await reader.place(peopleFile(id));
    await screen.reach('method');
    await screen.answer('#choose-pin');
    await screen.reach('pin');
    await screen.enterPin(pin);
    await screen.answer('#pin-ok');
  }

  describe('one kiosk, card after card', () => {
    let kiosk: KioskUnderTest;

    beforeAll(async () => {
      kiosk = await startKioskUnderTest({
        kioskId: KIOSK_ID,
        vendor: 'fujitsu',
        upstream: upstreamAt(upstream.upstream.url),
        reader,
        face: NO_CAMERA,
        flow: { doneMs: 3_000, takeCardReminderMs: 1_000 },
        now: () => clock ?? new Date(),
      });
    }, 60_000);

    afterAll(async () => {
      await kiosk?.close();
    });

    /** The views sent from now on. */
    const viewsFrom = () => {
      const start = kiosk.views.length;
      return () => kiosk.views.slice(start);
    };

    it('full PIN path: masked digits, the consent, the exact name, limit information, take the card, idle', async () => {
      const patient = person('young-rare-kanji');
      const resultsBefore = kiosk.results().length;
      const views = viewsFrom();
      const screen = await patients.arrive(kiosk, 'pin-full');
      await screen.leaving();
      await reader.place(patient.file);
      await screen.reach('method');
      expect(await screen.text('h1')).toBe(ja.method.heading);
      await screen.answer('#choose-pin');
      await screen.reach('pin');
      expect(await screen.text('#pin-tries')).toBe('入力できる残りの回数：3回');
      await screen.enterPin(patient.pin!);
      // Four ●, and the PIN nowhere on the page but on the keys themselves.
      expect((await screen.text('#pin-display')).replace(/\s/g, '')).toMatch(/^●{4}/);
      expect(await screen.page.locator('.pin-slot--filled').count()).toBe(4);
      expect(await screen.markupWithout('.keypad')).not.toContain(patient.pin!);
      await screen.answer('#pin-ok');

      await screen.reach('consent');
      expect(await screen.text('h1')).toBe(
        ja.consent.heading.replace('{{item}}', ja.consent.item.medication),
      );
      await screen.answer('#consent-agree');
      // Under 40: no 特定健診 question, straight to the name.
      await screen.reach('done');
      expect(await screen.page.textContent('#patient-name')).toBe(patient.name);
      expect(await screen.text('h1')).toBe(`${patient.name}様　確認が完了しました。`);
      await screen.reach('limit-info');
      expect(await screen.text('h1')).toBe(ja.limitInfo.heading);
      await screen.answer('#answer-no');
      await screen.reach('take-card');
      expect(await screen.text('h1')).toBe(ja.takeCard.heading);

      await patients.takeCard(screen);
      expect(views().at(-1)).toMatchObject({ screen: 'idle', stop: null });
      expect(views().map((v) => v.screen)).toEqual(
        expect.arrayContaining(['reading', 'method', 'pin', 'pin-checking', 'verifying', 'consent', 'done']),
      );

      // The clinic's result document: this patient, this visit's consent.
      await expect.poll(() => kiosk.results().length, { timeout: 15_000 }).toBe(resultsBefore + 1);
      const files = kiosk.results();
      const newest = files.sort().at(-1)!;
      const result = fromOqsXml(readFileSync(join(kiosk.config.paths.results, newest)));
      const confirmed = result.MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!;
      expect(confirmed.Name).toBe(patient.name);
      expect(confirmed.PharmacistsInfoConsFlg).toBe('1');
      await patients.leave(screen);
    }, 90_000);

    it('wrong PIN three times: the card locks and the staff screen says why', async () => {
      const screen = await patients.arrive(kiosk, 'pin-locked');
      const auditBefore = kiosk.audit().length;
      await placeAndEnterPin(screen, 'middle-aged', '1111');
      await screen.reach('pin');
      expect(await screen.text('#pin-tries')).toBe('入力できる残りの回数：2回');
      await screen.enterPin('1112');
      await screen.answer('#pin-ok');
      await screen.reach('pin');
      expect(await screen.text('#pin-tries')).toBe('入力できる残りの回数：1回');
      await screen.enterPin('1113');
      await screen.answer('#pin-ok');

      await screen.reach('staff');
      expect(await screen.text('h1')).toBe(ja.staff.heading);
      expect(await screen.text('#screen')).toContain(ja.stop['pin-blocked']);
      const tries = kiosk.audit({ since: auditBefore, kind: 'pin.verify' });
      expect(tries.map((r) => r.outcome)).toEqual(['wrong', 'wrong', 'blocked']);
      await patients.takeCard(screen);
      await patients.leave(screen);
    }, 90_000);

    it('ages 39 and 40: the 特定健診 question only from the 40th birthday', async () => {
      // 中年　健一 was born on 1970-05-20; the upstream answers with that birth date.
      const middleAged = person('middle-aged');
      expect(middleAged.birthDate).toBe('1970-05-20');
      const screen = await patients.arrive(kiosk, 'ages');
      try {
        // The day before the 40th birthday (noon in Japan): 39, only the medication question.
        clock = new Date('2010-05-19T03:00:00Z');
        let views = viewsFrom();
        await placeAndEnterPin(screen, 'middle-aged');
        await screen.reach('consent');
        expect(await screen.text('h1')).toContain(ja.consent.item.medication);
        await screen.answer('#consent-agree');
        await screen.reach('done');
        expect(views().flatMap((v) => v.consent?.items ?? [])).not.toContain('checkup');
        await patients.takeCard(screen);

        // The birthday itself: 40, and 過去の健診情報 is asked after the medication question.
        clock = new Date('2010-05-20T03:00:00Z');
        views = viewsFrom();
        await placeAndEnterPin(screen, 'middle-aged');
        await screen.reach('consent');
        await screen.answer('#consent-agree');
        await screen.reach('consent');
        expect(await screen.text('h1')).toBe(ja.consent.heading.replace('{{item}}', ja.consent.item.checkup));
        expect(await screen.text('#screen')).toContain(ja.consent.detail.checkup);
        expect(views().flatMap((v) => v.consent?.items ?? [])).toContain('checkup');
        // The card is taken here: the visit is settled with the answer given (the upstream, whose
        // clock is today, refuses an answer dated 2010 for good).
        await patients.takeCard(screen);
      } finally {
        clock = null;
      }
      await patients.leave(screen);
    }, 90_000);

    it('limit information offered and answered: the agreement reaches the upstream', async () => {
      const patient = person('middle-aged');
      const screen = await patients.arrive(kiosk, 'limit-info');
      const outboxBefore = kiosk.outbox().length;
      const before = kiosk.results();
      await placeAndEnterPin(screen, 'middle-aged');
      await screen.reach('consent');
      await screen.answer('#consent-decline');
      await screen.reach('consent');
      await screen.answer('#consent-agree');
      await screen.reach('done');
      expect(await screen.page.textContent('#patient-name')).toBe(patient.name);
      await screen.reach('limit-info');
      expect(await screen.text('#screen')).toContain(ja.limitInfo.body);
      await screen.answer('#answer-yes');
      await screen.reach('take-card');
      await patients.takeCard(screen);

      const kept = kiosk.outbox().slice(outboxBefore);
      expect(kept.map((i) => i.kind)).toEqual(['consent.record']);
      const items = (kept[0]!.payload as { items: { item: string; agreed: boolean }[] }).items;
      expect(items.map(({ item, agreed }) => ({ item, agreed }))).toEqual([
        { item: 'medication', agreed: false },
        { item: 'checkup', agreed: true },
        { item: 'limit-info', agreed: true },
      ]);
      await expect
        .poll(() => upstream.upstream.repository.latestConsent(personRef('middle-aged'), 'limit-info'), {
          timeout: 15_000,
        })
        .toMatchObject({ agreed: true });
      // One document for the visit, written once the upstream's answer brought the limit certificate.
      await expect.poll(() => documentsSince(kiosk, before).length, { timeout: 15_000 }).toBe(1);
      const [document] = documentsSince(kiosk, before);
      expect(personOf(document!)).toMatchObject({
        Name: patient.name,
        PharmacistsInfoConsFlg: '0',
        SpecificHealthCheckupsInfoConsFlg: '1',
        LimitApplicationCertificateRelatedInfo: {
          LimitApplicationCertificateClassification: expect.any(String),
        },
      });
      // Nothing more follows: a receipt system would import the patient twice.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(documentsSince(kiosk, before)).toHaveLength(1);
      await patients.leave(screen);
    }, 90_000);

    it('card pulled on a consent screen: idle, the visit stopped, and settled with the answer given', async () => {
      const screen = await patients.arrive(kiosk, 'card-pulled');
      const before = kiosk.results();
      const outboxBefore = kiosk.outbox().length;
      const auditBefore = kiosk.audit().length;
      const views = viewsFrom();
      await placeAndEnterPin(screen, 'elderly');
      await screen.reach('consent');
      await screen.answer('#consent-agree');
      await screen.reach('consent');

      await patients.takeCard(screen);
      expect(views().at(-1)).toMatchObject({ screen: 'idle', stop: 'card-removed' });
      const ended = kiosk.audit({ since: auditBefore, kind: 'visit.end' });
      expect(ended).toMatchObject([{ outcome: 'card-removed', data: { settled: true } }]);
      // The one answer given, and nothing for the question left open.
      const kept = kiosk.outbox().slice(outboxBefore);
      expect(kept.map((i) => i.kind)).toEqual(['consent.record']);
      expect((kept[0]!.payload as { items: { item: string }[] }).items.map((i) => i.item)).toEqual([
        'medication',
      ]);
      await expect.poll(() => documentsSince(kiosk, before).length, { timeout: 15_000 }).toBe(1);
      const person = personOf(documentsSince(kiosk, before)[0]!);
      expect(person.PharmacistsInfoConsFlg).toBe('1');
      expect(person.SpecificHealthCheckupsInfoConsFlg).toBeUndefined();
      await expect
        .poll(() => upstream.upstream.repository.latestConsent(personRef('elderly'), 'medication'), {
          timeout: 15_000,
        })
        .toMatchObject({ agreed: true });
      await patients.leave(screen);
    }, 90_000);

    it.each([
      ['done', 'completed'],
      ['limit-info', 'card-removed'],
    ] as const)(
      'card taken on the %s screen: one document with the consents given, the record upstream',
      async (at, outcome) => {
        const patient = person('young-rare-kanji');
        const screen = await patients.arrive(kiosk, `taken-on-${at}`);
        const before = kiosk.results();
        const auditBefore = kiosk.audit().length;
        await placeAndEnterPin(screen, 'young-rare-kanji');
        await screen.reach('consent');
        const recorded = () =>
          upstream.upstream.repository.latestConsent(personRef('young-rare-kanji'), 'medication');
        const answeredAt = Date.now();
        await screen.answer('#consent-agree');
        await screen.reach(at);
        const takenAt = Date.now();
        const answered = async () => new Date((await recorded())?.consentedAt ?? 0).getTime();
        await patients.takeCard(screen);

        expect(kiosk.audit({ since: auditBefore, kind: 'visit.end' })).toMatchObject([
          { outcome, data: { settled: true } },
        ]);
        await expect.poll(() => documentsSince(kiosk, before).length, { timeout: 15_000 }).toBe(1);
        const confirmed = personOf(documentsSince(kiosk, before)[0]!);
        expect(confirmed.Name).toBe(patient.name);
        expect(confirmed.PharmacistsInfoConsFlg).toBe('1');
        expect(confirmed.LimitApplicationCertificateRelatedInfo).toBeUndefined();
        // This visit's answer reaches the upstream, with the time the patient gave it, not the time
        // the visit ended (the done screen lasts 3 s).
        await expect.poll(answered, { timeout: 15_000 }).toBeGreaterThanOrEqual(answeredAt - 1_000);
        expect(await recorded()).toMatchObject({ agreed: true });
        expect(await answered()).toBeLessThan(at === 'limit-info' ? takenAt - 2_000 : takenAt);
        await patients.leave(screen);
      },
      90_000,
    );

    it('card left behind: the take-card screen grows more insistent until the card is taken', async () => {
      const screen = await patients.arrive(kiosk, 'card-left');
      const auditBefore = kiosk.audit().length;
      await placeAndEnterPin(screen, 'young-rare-kanji');
      await screen.reach('consent');
      await screen.answer('#consent-decline');
      await screen.reach('done');
      await screen.reach('limit-info');
      await screen.answer('#answer-no');
      await screen.reach('take-card');

      // One reminder a second (takeCardReminderMs): each raises the level the screen is drawn at.
      const takeCard = '#screen > section[data-screen="take-card"]';
      const at: number[] = [];
      for (const level of [1, 2, 3]) {
        await screen.page.waitForSelector(`${takeCard}[data-level="${level}"]`, { timeout: 5_000 });
        at.push(Date.now());
        expect(await screen.page.isVisible('.take-card-again')).toBe(true);
      }
      for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThan(700);
      // The last level stays while the reminders go on.
      await screen.page.waitForSelector(`${takeCard}[data-reminders="4"]`, { timeout: 5_000 });
      expect(await screen.attribute(takeCard, 'data-level')).toBe('3');

      await patients.takeCard(screen);
      const [ended] = kiosk.audit({ since: auditBefore, kind: 'visit.end' });
      expect(ended).toMatchObject({ outcome: 'completed', data: { reminders: expect.any(Number) } });
      expect((ended!.data as { reminders: number }).reminders).toBeGreaterThanOrEqual(4);
      await patients.leave(screen);
    }, 90_000);
  });

  it('the 限度額 screen left unanswered: the time-out settles the visit with the consents given, once', async () => {
    const kiosk = await startKioskUnderTest({
      kioskId: KIOSK_ID,
      vendor: 'fujitsu',
      upstream: upstreamAt(upstream.upstream.url),
      reader,
      face: NO_CAMERA,
      // The shortest time-outs the config allows: 5 s on screen, 5 s of 「続けますか？」.
      flow: { doneMs: 1_000, screenTimeoutMs: 5_000, continuePromptMs: 5_000, takeCardReminderMs: 1_000 },
    });
    try {
      const screen = await patients.arrive(kiosk, 'limit-info-timed-out');
      const auditBefore = kiosk.audit().length;
      await placeAndEnterPin(screen, 'young-rare-kanji');
      await screen.reach('consent');
      await screen.answer('#consent-decline');
      await screen.reach('limit-info');
      // Walked away: nobody touches the screen, and the document goes out while the card is still in.
      await expect.poll(() => kiosk.results().length, { timeout: 20_000 }).toBe(1);
      expect(kiosk.views.at(-1)).toMatchObject({ screen: 'take-card', stop: 'timed-out' });
      const [document] = documentsSince(kiosk, []);
      expect(personOf(document!)).toMatchObject({ PharmacistsInfoConsFlg: '0' });
      expect(personOf(document!).LimitApplicationCertificateRelatedInfo).toBeUndefined();
      const kept = kiosk.outbox();
      expect(kept.map((i) => i.kind)).toEqual(['consent.record']);
      expect((kept[0]!.payload as { items: { item: string }[] }).items.map((i) => i.item)).toEqual([
        'medication',
      ]);
      await expect
        .poll(() => upstream.upstream.repository.latestConsent(personRef('young-rare-kanji'), 'medication'), {
          timeout: 15_000,
        })
        .toMatchObject({ agreed: false });

      await patients.takeCard(screen);
      expect(kiosk.audit({ since: auditBefore, kind: 'visit.end' })).toMatchObject([
        { outcome: 'timed-out', data: { settled: true } },
      ]);
      expect(kiosk.results()).toHaveLength(1);
      expect(kiosk.outbox()).toHaveLength(1);
      await patients.leave(screen);
    } finally {
      await kiosk.close();
    }
  }, 90_000);

  it('upstream down: the patient is sent to staff, and the audit log keeps why', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const kiosk = await startKioskUnderTest({
      kioskId: KIOSK_ID,
      vendor: 'panasonic',
      upstream: upstreamAt(`https://127.0.0.1:${closedPort}`),
      reader,
      face: NO_CAMERA,
    });
    try {
      const screen = await patients.arrive(kiosk, 'upstream-down');
      await placeAndEnterPin(screen, 'middle-aged');
      await screen.reach('staff');
      expect(await screen.text('h1')).toBe(ja.staff.heading);
      expect(await screen.text('#screen')).toContain(ja.stop['upstream-unreachable']);
      const failed = kiosk.audit({ kind: 'upstream.verify' });
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ outcome: 'failed', data: { method: 'pin' } });
      await patients.takeCard(screen);
      expect(kiosk.outbox()).toEqual([]);
      expect(kiosk.results()).toEqual([]);
      await patients.leave(screen);
    } finally {
      await kiosk.close();
    }
  }, 90_000);
});
