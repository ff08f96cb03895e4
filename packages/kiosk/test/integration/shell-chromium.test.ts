import { request } from 'node:http';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import type { KioskHost } from '../../src/shell/chromium/kiosk-host.ts';
import { closeCodeAfter, jpegLike, NO_CHROMIUM } from '../unit/shell/support/browser.ts';
import { useHostInChromium } from '../unit/shell/support/host-in-chromium.ts';
import type { PlaceholderWindow } from '../unit/shell/support/placeholder-ui.ts';
import type { StandInKiosk } from '../unit/shell/support/stand-in-kiosk.ts';

// The page's globals, for the functions page.evaluate runs there (the project compiles without the DOM library).
declare const window: PlaceholderWindow;
declare const document: {
  createElement(tag: 'script'): { textContent: string; src: string; onload: () => void };
  head: { append(node: unknown): void };
};

describe.skipIf(NO_CHROMIUM)('Chromium app-mode host, in real Chromium', () => {
  const fixture = useHostInChromium();
  let page: Page;
  let host: KioskHost;
  let services: StandInKiosk;
  beforeEach(() => {
    ({ page, host, services } = fixture);
  });

  const appUrl = () => host.appUrl as string;

  it('gives the page its profile and views, and carries its commands to the flow', async () => {
    await page.goto(appUrl());
    await expect.poll(() => page.textContent('#screen')).toBe('idle');
    expect(await page.textContent('#vendor')).toBe('test');
    // The token left the address bar as soon as the bridge read it.
    expect(page.url()).toBe(`${host.origin}/`);

    services.controller.card(true, '2026-11-24');
    await expect.poll(() => page.textContent('#screen')).toBe('method');
    await page.click('#choose-pin');
    await expect.poll(() => page.textContent('#screen')).toBe('pin');
    await page.click('#digit');
    await expect.poll(() => services.controller.view().pinLength).toBe(1);
    expect(host.stats().authenticated.patient).toBe(1);
  });

  it('refuses a page with a wrong token or none, closing with the policy code', async () => {
    await page.goto(`${host.origin}/#token=${'A'.repeat(43)}`);
    await expect.poll(() => host.stats().refused).toBe(1);
    expect(await page.textContent('#screen')).toBe('none');

    const codes = await Promise.all([
      closeCodeAfter(page, { type: 'hello', role: 'patient', token: 'x'.repeat(43) }),
      closeCodeAfter(page, { type: 'hello', role: 'patient' }),
      closeCodeAfter(page, { type: 'patient', command: { type: 'CHOOSE_PIN' } }),
    ]);
    expect(codes).toEqual([1008, 1008, 1008]);
    expect(host.stats().authenticated.patient).toBe(0);
  });

  it('drops what is not a patient command, and counts it', async () => {
    await page.goto(appUrl());
    await expect.poll(() => page.textContent('#screen')).toBe('idle');
    services.controller.card(true, '2026-11-24');
    await expect.poll(() => page.textContent('#screen')).toBe('method');
    await page.evaluate(() => {
      const { kiosk } = window;
      kiosk.send({ type: 'patient', command: { type: 'STAFF_CONFIRMED' } });
      kiosk.send({ type: 'patient', command: { type: 'PIN_ENTERED', pin: '1234' } });
      kiosk.send({ type: 'patient', command: { type: 'CHOOSE_PIN', extra: true } });
      kiosk.send({ type: 'staff', command: { type: 'STAFF_VISUAL_CHECK' } });
      kiosk.send({ type: 'patient', command: { type: 'CHOOSE_FACE' } });
    });
    // The one real command, sent last, arrives; nothing before it moved the flow.
    await expect.poll(() => services.controller.view().screen).toBe('face');
    expect(host.stats().dropped).toMatchObject({ 'not-a-command': 3, 'not-a-message': 1 });
    expect(services.staffCommands).toEqual([]);
    expect(services.pins).toEqual([]);
  });

  it('hands camera frames to services.frame(), and drops oversized or non-JPEG ones', async () => {
    await page.goto(appUrl());
    await expect.poll(() => page.textContent('#screen')).toBe('idle');
    const frame = jpegLike(40_000);
    await page.evaluate(
      ([small, large]) => {
        const { kiosk } = window;
        kiosk.sendFrame(new Uint8Array(small as number[]).buffer);
        kiosk.sendFrame(new Uint8Array(large as number).fill(0xff).buffer);
        kiosk.sendFrame(new TextEncoder().encode('not a jpeg at all').buffer);
      },
      [frame, 600 * 1024],
    );
    await expect.poll(() => host.stats().dropped['not-jpeg']).toBe(1);
    expect(host.stats().dropped['too-large']).toBe(1);
    expect(services.frames).toHaveLength(1);
    expect([...(services.frames[0] ?? [])]).toEqual(frame);
  });

  it('hands card-tray stills and "none" to services.cardFrame(), with their requests, never as face frames', async () => {
    const answers: [number, number[] | null][] = [];
    services.cardFrame = (request, jpeg) => answers.push([request, jpeg && [...jpeg]]);
    await page.goto(appUrl());
    await expect.poll(() => page.textContent('#screen')).toBe('idle');
    // Larger than a face frame may be: a still of the tray at the card camera's full size.
    const still = jpegLike(600 * 1024);
    await page.evaluate((bytes) => {
      const { kiosk } = window;
      kiosk.sendCardFrame(41, new Uint8Array(bytes).buffer);
      kiosk.send({ type: 'card-frame-none', request: 42 });
      kiosk.sendCardFrame(43, new TextEncoder().encode('not a jpeg at all').buffer);
    }, still);
    await expect.poll(() => answers.length).toBe(2);
    expect(answers).toEqual([
      [41, still],
      [42, null],
    ]);
    await expect.poll(() => host.stats().dropped['not-jpeg']).toBe(1);
    expect(services.frames).toEqual([]);
  });

  it('sends the security headers, and its policy stops inline and eval’d script', async () => {
    const response = await page.goto(appUrl());
    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(headers['content-security-policy']).not.toContain('unsafe');
    expect(headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) violations.push(message.text());
    });
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.head.append(script);
    });
    // A script of the page's own origin may run, but eval inside it may not.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const script = document.createElement('script');
          script.src = '/csp-probe.js';
          script.onload = resolve;
          document.head.append(script);
        }),
    );
    expect(await page.evaluate(() => window.inlineRan)).toBeUndefined();
    expect(await page.evaluate(() => window.cspProbe)).toBe('EvalError');
    await expect.poll(() => violations.length).toBeGreaterThan(0);
  });

  it('lets a newer page take over from the older one', async () => {
    await page.goto(appUrl());
    await expect.poll(() => page.textContent('#screen')).toBe('idle');
    // The token is kept in the tab's session storage, so a reload reconnects.
    await page.reload();
    await expect.poll(() => host.stats().authenticated.patient).toBe(2);
    const second = await fixture.browser.newPage();
    try {
      await second.goto(appUrl());
      await expect.poll(() => second.textContent('#screen')).toBe('idle');
      await expect.poll(() => host.stats().replaced).toBeGreaterThanOrEqual(1);
      services.controller.card(true, '2026-11-24');
      await expect.poll(() => second.textContent('#screen')).toBe('method');
      // The replaced page heard nothing more and does not fight back.
      expect(await page.textContent('#screen')).toBe('idle');
      expect(host.stats().authenticated.patient).toBe(3);
    } finally {
      await second.close();
    }
  });

  it('serves nothing outside the build folder, and only to its own host name and origin', async () => {
    const get = (path: string, hostHeader = `127.0.0.1:${host.port}`) =>
      new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port: host.port, path, headers: { host: hostHeader } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
    expect(await get('/app.js')).toBe(200);
    expect(await get('/.secret')).toBe(404);
    expect(await get('/%2e%2e/%2e%2e/etc/passwd')).toBe(404);
    expect(await get('/../../etc/passwd')).toBe(404);
    expect(await get('/operator')).toBe(404);
    // A page elsewhere that rebinds its own name to 127.0.0.1 sends its own Host header.
    expect(await get('/', `attacker.example:${host.port}`)).toBe(403);

    const upgrade = (origin: string) =>
      new Promise<number>((resolve) => {
        const socket = new NodeWebSocket(`ws://127.0.0.1:${host.port}/__kiosk/socket`, { origin });
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('open', () => {
          socket.close();
          resolve(101);
        });
        socket.on('error', () => {});
      });
    expect(await upgrade('http://attacker.example')).toBe(403);
    expect(await upgrade(host.origin)).toBe(101);
  });
});
