import { CardRemovedError, TransportError } from '@myna/card/errors.js';
import { describe, expect, it } from 'vitest';
import { SimulatedRemoval } from '../../src/faults.ts';
import { InProcessConnection } from '../../src/in-process-connection.ts';
import { card, hex, selectApp, send, sw, toHex } from './card-helpers.ts';

describe('fault injection', () => {
  it("'status' answers the given status word at the N-th APDU from now, then the card goes on", () => {
    const c = card();
    sw(c, selectApp('jpki'));
    c.injectFault({ atCommand: 2, kind: 'status', sw: 0x6581 });
    expect(sw(c, selectApp('jpki'))).toBe('9000');
    expect(sw(c, selectApp('jpki'))).toBe('6581');
    expect(sw(c, selectApp('jpki'))).toBe('9000');
    expect(c.commandCount).toBe(4);
  });

  it("'status' without sw answers 6F00", () => {
    const c = card();
    c.injectFault({ atCommand: 1, kind: 'status' });
    expect(sw(c, selectApp('jpki'))).toBe('6F00');
  });

  it("'garbage' answers junk bytes and 9000", () => {
    const c = card();
    c.injectFault({ atCommand: 1, kind: 'garbage' });
    const r = send(c, selectApp('jpki'));
    expect(r.sw).toBe('9000');
    expect(r.data.length).toBeGreaterThan(0);
  });

  it("'remove' throws SimulatedRemoval without answering", () => {
    const c = card();
    c.injectFault({ atCommand: 1, kind: 'remove' });
    expect(() => c.process(hex(selectApp('jpki')))).toThrow(SimulatedRemoval);
    expect(sw(c, selectApp('jpki'))).toBe('9000');
  });

  it('refuses a fault that could never fire', () => {
    const c = card();
    expect(() => c.injectFault({ atCommand: 0, kind: 'status' })).toThrow(RangeError);
    expect(() => c.injectFault({ atCommand: 1, kind: 'status', sw: 0x10000 })).toThrow(RangeError);
  });
});

describe('InProcessConnection', () => {
  it('transmits asynchronously and reports the card', async () => {
    const c = card('middle-aged', { extendedLength: false });
    const connection = new InProcessConnection(c);
    expect(connection.readerName).toBe('Virtual card (in-process)');
    expect(connection.extendedLength).toBe(false);
    expect(toHex(connection.atr)).toBe('3BE000FF8131FE4514');
    const pending = connection.transmit(hex(selectApp('jpki')));
    expect(pending).toBeInstanceOf(Promise);
    expect(toHex(await pending)).toBe('9000');
  });

  it('throws CardRemovedError after remove() and on a removal fault; insert() powers the card up again', async () => {
    const c = card();
    const connection = new InProcessConnection(c);
    connection.remove();
    await expect(connection.transmit(hex(selectApp('jpki')))).rejects.toBeInstanceOf(CardRemovedError);
    connection.insert();
    expect(toHex(await connection.transmit(hex(selectApp('jpki'))))).toBe('9000');
    c.injectFault({ atCommand: 1, kind: 'remove' });
    await expect(connection.transmit(hex(selectApp('jpki')))).rejects.toBeInstanceOf(CardRemovedError);
    expect(connection.inserted).toBe(false);
    await expect(connection.transmit(hex(selectApp('jpki')))).rejects.toBeInstanceOf(CardRemovedError);
    connection.insert();
    // Power-on cleared the selection.
    expect(toHex(await connection.transmit(hex('00A4020C02000A')))).toBe('6A82');
  });

  it('throws TransportError once closed', async () => {
    const connection = new InProcessConnection(card());
    await connection.close();
    await connection.close();
    await expect(connection.transmit(hex(selectApp('jpki')))).rejects.toBeInstanceOf(TransportError);
  });
});
