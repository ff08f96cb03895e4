/**
 * The whole kiosk in demo mode without a screen: the reference upstream over mutual TLS, the
 * virtual card through pcscd + vpcd (in-process where pcscd cannot run), the kiosk store, the
 * device key in SoftHSM2, the result folder and the local results API. The patient is played by
 * sending the renderer's commands; only the camera is a stand-in.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MainMessage, ViewState } from '@myna/kiosk/common/ui-protocol.js';
import { defaultKioskConfig } from '@myna/kiosk/config/kiosk-config.js';
import type { KioskServices } from '@myna/kiosk/kiosk/kiosk-services.js';
import { exportAudit, openStore, pendingCount, verifyAudit } from '@myna/kiosk/store/index.js';
import { fromOqsXml } from '@myna/protocol/oqs/oqs-xml.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoKiosk } from '../../src/demo/demo-kiosk.ts';
import { softhsmSkipReason } from '../../src/test-support/device-token.ts';
import { ACCEPTED_FACE, testPatient } from '../../src/test-support/reception-kiosk.ts';

const middleAged = testPatient('middle-aged');

describe.skipIf(softhsmSkipReason())('the kiosk in demo mode, driven as its renderer would', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-demo-'));
  const config = {
    ...defaultKioskConfig(),
    paths: { db: join(dir, 'kiosk.db'), results: join(dir, 'results') },
  };
  let kiosk: KioskServices;
  const views: ViewState[] = [];
  const warnings: string[] = [];

  beforeAll(async () => {
    kiosk = await startDemoKiosk({
      config,
      warn: (line) => warnings.push(line),
      face: { check: async () => ACCEPTED_FACE },
    });
    kiosk.onMessage((message: MainMessage) => {
      if (message.type === 'view') views.push(message.view);
    });
  }, 60_000);

  afterAll(async () => {
    await kiosk?.close();
  });

  const screen = (name: ViewState['screen'], timeoutMs = 10_000) =>
    new Promise<ViewState>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "${name}" screen; saw ${views.map((v) => v.screen).join(' → ')}`)),
        timeoutMs,
      );
      const off = kiosk.onMessage((message) => {
        if (message.type === 'view' && message.view.screen === name) {
          clearTimeout(timer);
          queueMicrotask(() => off());
          resolve(message.view);
        }
      });
    });

  it('sends the renderer the vendor profile and the idle screen first', () => {
    const first: MainMessage[] = [];
    kiosk.onMessage((m) => first.push(m))();
    expect(first.map((m) => m.type)).toEqual(['profile', 'view']);
    expect(first[1]).toMatchObject({ view: { screen: 'idle' } });
  });

  it('PIN path through the operator panel to the result folder, the local API and the upstream', async () => {
    const method = screen('method');
    await kiosk.operator!.insert('middle-aged');
    expect((await method).pinTriesLeft).toBe(3);
    kiosk.patient({ type: 'CHOOSE_PIN' });
    for (const digit of middleAged.person.pin!) kiosk.patient({ type: 'PIN_DIGIT', digit: Number(digit) });
    const consent = screen('consent');
    kiosk.patient({ type: 'PIN_SUBMIT' });
    expect((await consent).consent?.items).toEqual(['medication']);
    const checkup = screen('consent');
    kiosk.patient({ type: 'CONSENT', agree: true });
    await checkup;
    const done = screen('done');
    kiosk.patient({ type: 'CONSENT', agree: false });
    expect((await done).displayName).toBe(middleAged.person.name);
    const limit = screen('limit-info', 15_000);
    await limit;
    const takeCard = screen('take-card');
    kiosk.patient({ type: 'LIMIT_INFO', provide: false });
    await takeCard;

    // The result document, in the OQS shape, with this visit's consents.
    // Written in the background once the visit is settled.
    const xmlFiles = () => readdirSync(config.paths.results).filter((f) => f.endsWith('.xml'));
    await expect.poll(() => xmlFiles().length, { timeout: 10_000 }).toBe(1);
    const files = xmlFiles();
    const result = fromOqsXml(readFileSync(join(config.paths.results, files[0]!)));
    const person = result.MessageBody.ResultList!.ResultOfQualificationConfirmation[0]!;
    expect(person.Name).toBe(middleAged.person.name);
    expect(person.PharmacistsInfoConsFlg).toBe('1');
    expect(person.SpecificHealthCheckupsInfoConsFlg).toBe('0');

    // The same result on the local API, for reception systems that ask instead of polling.
    const token = readFileSync(kiosk.resultsApi!.tokenFile, 'utf8').trim();
    const listed = await fetch(`${kiosk.resultsApi!.url}/v1/results`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(await listed.json())).toContain(middleAged.person.name);
    expect((await fetch(`${kiosk.resultsApi!.url}/v1/results`)).status).toBe(401);

    const idle = screen('idle');
    await kiosk.operator!.remove();
    expect((await idle).stop).toBeNull();

    // The consents reach the upstream through the outbox.
    const store = openStore(config.paths.db, { mustExist: true });
    try {
      for (let i = 0; i < 50 && pendingCount(store) > 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(pendingCount(store)).toBe(0);
      expect(verifyAudit(store).ok).toBe(true);
      expect(exportAudit(store).map((r) => r.kind)).toEqual(
        expect.arrayContaining([
          'card.placed',
          'pin.verify',
          'upstream.verify',
          'consent.record',
          'visit.end',
        ]),
      );
    } finally {
      store.close();
    }
  }, 60_000);

  it('face path: attested by the demo device key and accepted by the upstream', async () => {
    const method = screen('method');
    await kiosk.operator!.insert('young-rare-kanji');
    await method;
    const consent = screen('consent');
    kiosk.patient({ type: 'CHOOSE_FACE' });
    await consent;
    const idle = screen('idle');
    await kiosk.operator!.remove();
    expect((await idle).stop).toBe('card-removed');
  }, 60_000);
});
