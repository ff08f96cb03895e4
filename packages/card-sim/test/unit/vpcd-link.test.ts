import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { VpcdLink } from '../../src/vpcd-link.ts';
import { card, hex, selectApp, toHex } from './card-helpers.ts';
import { FakeVpcd } from './fake-vpcd.ts';

const GET_ATR = Uint8Array.of(0x04);
const POWER_ON = Uint8Array.of(0x01);
const POWER_OFF = Uint8Array.of(0x00);
const RESET = Uint8Array.of(0x02);

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function linked() {
  const vpcd = await FakeVpcd.start();
  const c = card();
  const link = new VpcdLink(c, { port: vpcd.port, retryMs: 20 });
  cleanup.push(
    () => vpcd.stop(),
    () => link.remove(),
  );
  await link.insert();
  await vpcd.accepted();
  return { vpcd, c, link };
}

describe('VpcdLink', () => {
  it('answers the ATR poll and APDUs, with frames split across writes', async () => {
    const { vpcd, link } = await linked();
    expect(link.inserted).toBe(true);
    expect(toHex((await vpcd.exchange(GET_ATR))!)).toBe('3BE000FF8131FE4514');
    expect(toHex((await vpcd.exchange(hex(selectApp('jpki')), true))!)).toBe('9000');
    expect(toHex((await vpcd.exchange(hex('00A4020C02000A')))!)).toBe('9000');
    const read = (await vpcd.exchange(hex('00B0000004'), true))!;
    expect(toHex(read.subarray(0, 2))).toBe('3082');
    expect(toHex(read.subarray(-2))).toBe('9000');
  });

  it('power on and reset clear the card state and get no answer; power off gets none either', async () => {
    const { vpcd } = await linked();
    await vpcd.exchange(hex(selectApp('jpki')));
    for (const control of [POWER_OFF, POWER_ON, RESET]) await vpcd.send(control);
    // The next frame is the ATR answer: nothing was sent for the controls.
    expect(toHex((await vpcd.exchange(GET_ATR))!)).toBe('3BE000FF8131FE4514');
    expect(toHex((await vpcd.exchange(hex('00A4020C02000A')))!)).toBe('6A82');
  });

  it('a remove fault closes the connection without answering and stays removed until insert()', async () => {
    const { vpcd, c, link } = await linked();
    const removed = once(link, 'removed');
    c.injectFault({ atCommand: 1, kind: 'remove' });
    expect(await vpcd.exchange(hex(selectApp('jpki')))).toBeUndefined();
    expect(await removed).toEqual(['fault']);
    expect(link.inserted).toBe(false);
    await new Promise((r) => setTimeout(r, 80));
    expect(vpcd.connected).toBe(false);
    await link.insert();
    await vpcd.accepted();
    expect(toHex((await vpcd.exchange(GET_ATR))!)).toBe('3BE000FF8131FE4514');
  });

  it('remove() and insert() disconnect and reconnect', async () => {
    const { vpcd, link } = await linked();
    await link.remove();
    expect(link.inserted).toBe(false);
    await link.insert();
    await vpcd.accepted();
    expect(toHex((await vpcd.exchange(GET_ATR))!)).toBe('3BE000FF8131FE4514');
  });

  it('keeps retrying while vpcd is not listening, then inserts', async () => {
    const probe = await FakeVpcd.start();
    const port = probe.port;
    await probe.stop();
    const link = new VpcdLink(card(), { port, retryMs: 20 });
    cleanup.push(() => link.remove());
    const waiting: string[] = [];
    link.on('waiting', (code) => waiting.push(code));
    const inserted = link.insert();
    await new Promise((r) => setTimeout(r, 100));
    expect(link.inserted).toBe(false);
    expect(waiting).toEqual(['ECONNREFUSED']);
    const server = createServer((socket) => socket.on('error', () => {}));
    server.listen(port, '127.0.0.1');
    cleanup.unshift(() => new Promise<void>((r) => server.close(() => r())));
    await inserted;
    expect(link.inserted).toBe(true);
  });

  it('reconnects when vpcd hangs up while the card is meant to be inserted', async () => {
    const { vpcd, link } = await linked();
    const removed = once(link, 'removed');
    vpcd.dropClient();
    expect(await removed).toEqual(['vpcd closed']);
    await once(link, 'inserted');
    expect(toHex((await vpcd.exchange(GET_ATR))!)).toBe('3BE000FF8131FE4514');
  });

  it('remove() cancels a pending insert()', async () => {
    const probe = await FakeVpcd.start();
    const port = probe.port;
    await probe.stop();
    const link = new VpcdLink(card(), { port, retryMs: 20 });
    const inserted = link.insert();
    await link.remove();
    await inserted;
    expect(link.inserted).toBe(false);
  });

  it('refuses to swap the card while it is inserted', async () => {
    const { link } = await linked();
    expect(() => {
      link.card = card('elderly');
    }).toThrow('remove the card');
  });
});
