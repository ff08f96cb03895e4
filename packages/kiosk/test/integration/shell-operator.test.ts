import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { KioskHost } from '../../src/shell/chromium/kiosk-host.ts';
import { closeCodeAfter, NO_CHROMIUM } from '../unit/shell/support/browser.ts';
import { useHostInChromium } from '../unit/shell/support/host-in-chromium.ts';
import type { StandInKiosk } from '../unit/shell/support/stand-in-kiosk.ts';

describe.skipIf(NO_CHROMIUM)('demo operator panel, in real Chromium', () => {
  const fixture = useHostInChromium({ demo: true });
  let page: Page;
  let host: KioskHost;
  let services: StandInKiosk;
  beforeEach(async () => {
    ({ page, host, services } = fixture);
    await page.goto(host.operatorUrl as string);
    await expect.poll(() => page.textContent('#connection')).toContain('connected');
  });

  it('places and takes away the test people’s cards through services.operator', async () => {
    expect(page.url()).toBe(`${host.origin}/operator`);
    const buttons = page.getByRole('button', { name: /^カードを置く/ });
    await expect.poll(() => buttons.count()).toBe(2);
    expect(await page.textContent('#screen')).toBe('idle');

    await page.getByRole('button', { name: 'カードを置く: 高齢 花子 (顔認証)' }).click();
    await expect.poll(() => services.cardOn()).toBe('elderly-face');
    await expect.poll(() => page.textContent('#screen')).toBe('method');
    await expect.poll(() => page.textContent('#result')).toContain('insert done');

    // A second card while one lies on the reader: the operator is told why not.
    await page.getByRole('button', { name: 'カードを置く: 中年 健一 (PIN)' }).click();
    await expect.poll(() => page.textContent('#result')).toContain('a card is already on the reader');

    await page.getByRole('button', { name: /カードを取り出す/ }).click();
    await expect.poll(() => services.cardOn()).toBeNull();
    await expect.poll(() => page.textContent('#screen')).toBe('idle');
  });

  it('sends the staff actions: 目視確認 for the next patient, and 確認しました', async () => {
    expect(await page.textContent('#visual-check')).toContain('off');
    await page.getByRole('button', { name: /目視確認/ }).click();
    await expect.poll(() => page.textContent('#visual-check')).toContain('on');
    await page.getByRole('button', { name: /確認しました/ }).click();
    await expect
      .poll(() => services.staffCommands.map((command) => command.type))
      .toEqual(['STAFF_VISUAL_CHECK', 'STAFF_CONFIRMED']);
  });

  it('does not accept the patient screens’ token', async () => {
    const patientToken = new URL(host.appUrl as string).hash.slice('#token='.length);
    expect(await closeCodeAfter(page, { type: 'hello', role: 'operator', token: patientToken })).toBe(1008);
    expect(host.stats().refused).toBe(1);
    expect(services.staffCommands).toEqual([]);
  });

  it('has no accessibility violations axe can find', async () => {
    await expect.poll(() => page.getByRole('button', { name: /^カードを置く/ }).count()).toBe(2);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((violation) => violation.id)).toEqual([]);
  });
});

describe.skipIf(NO_CHROMIUM)('staff panel at a real counter (no demo), in real Chromium', () => {
  const fixture = useHostInChromium({ demo: false, operatorPanel: true });

  it('offers the staff actions and no test cards', async () => {
    const { page, host, services } = fixture;
    await page.goto(host.operatorUrl as string);
    await expect.poll(() => page.textContent('#connection')).toContain('connected');
    expect(await page.isVisible('#cards')).toBe(false);
    await page.getByRole('button', { name: /目視確認/ }).click();
    await expect
      .poll(() => services.staffCommands.map((command) => command.type))
      .toEqual(['STAFF_VISUAL_CHECK']);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((violation) => violation.id)).toEqual([]);
  });
});
