/** PcscReaders and PcscConnection against real pcscd + vpcd + the virtual card (`kiosk sim card`). */
import { once } from 'node:events';
import { peopleFile } from '@myna/card-sim/people.js';
import { type PcscStack, pcscSkipReason, startPcscStack } from '@myna/card-sim/stack/pcsc-stack.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardRemovedError, NoCardError, NoReaderError, ReaderBusyError } from '../../src/errors.ts';
import { PcscReaders } from '../../src/pcsc/readers.ts';
import { AID, CONTACT_ATR } from '../../src/spec.ts';

const SELECT_JPKI = Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, AID.jpki.length, ...AID.jpki]);
const OK = [0x90, 0x00];

describe.skipIf(pcscSkipReason())('PC/SC through pcscd and vpcd', () => {
  let stack: PcscStack;
  let readers: PcscReaders;

  beforeAll(async () => {
    stack = await startPcscStack({ person: peopleFile('middle-aged') });
    readers = await PcscReaders.open();
  });

  afterAll(async () => {
    await readers?.close();
    await stack?.stop();
  });

  it('lists the vpcd reader with the card and its ATR', async () => {
    expect(await readers.waitForCard({ timeoutMs: 5_000 })).toBe(stack.readerName);
    const reader = readers.readers().find((r) => r.name === stack.readerName);
    expect(reader).toEqual({ name: stack.readerName, cardPresent: true, atr: CONTACT_ATR });
  });

  it('names the readers it has when asked for one it has not', async () => {
    const waiting = readers.waitForCard({ reader: 'Nope 00 00', timeoutMs: 100 });
    await expect(waiting).rejects.toThrow(NoReaderError);
    await expect(waiting).rejects.toThrow(`reader "Nope 00 00" not found; readers: ${stack.readerName}`);
  });

  it('selects the JPKI application', async () => {
    const connection = await readers.connect(stack.readerName);
    try {
      expect(connection.atr).toEqual(CONTACT_ATR);
      expect(connection.extendedLength).toBe(true);
      expect([...(await connection.transmit(SELECT_JPKI))]).toEqual(OK);
    } finally {
      await connection.close();
      await connection.close();
    }
  });

  it('holds the card exclusively', async () => {
    const connection = await readers.connect(stack.readerName);
    const other = await PcscReaders.open();
    try {
      await expect(readers.connect(stack.readerName)).rejects.toThrow(ReaderBusyError);
      await expect(other.connect(stack.readerName)).rejects.toThrow(ReaderBusyError);
      await connection.close();
      const second = await other.connect(stack.readerName);
      await second.close();
    } finally {
      await connection.close();
      await other.close();
    }
  });

  it('reports removal and insertion as events', async () => {
    const removed = once(readers, 'card-removed');
    let start = performance.now();
    await stack.control.remove();
    expect(await removed).toEqual([{ reader: stack.readerName }]);
    const removalMs = performance.now() - start;
    await expect(readers.waitForCard({ timeoutMs: 50 })).rejects.toThrow(NoCardError);
    await expect(readers.connect(stack.readerName)).rejects.toThrow(NoCardError);

    const inserted = once(readers, 'card-inserted');
    start = performance.now();
    await stack.control.insert();
    expect(await inserted).toEqual([{ reader: stack.readerName, atr: CONTACT_ATR }]);
    console.log(
      `presence latency: removal ${removalMs.toFixed(0)} ms, insertion ${(performance.now() - start).toFixed(0)} ms`,
    );
  });

  it('turns a card pulled mid-command into CardRemovedError, and the next card works', async () => {
    const connection = await readers.connect(stack.readerName);
    try {
      await stack.control.fault({ atCommand: 2, kind: 'remove' });
      expect([...(await connection.transmit(SELECT_JPKI))]).toEqual(OK);
      await expect(connection.transmit(SELECT_JPKI)).rejects.toThrow(CardRemovedError);
    } finally {
      await connection.close();
    }
    await stack.control.insert();
    await readers.waitForCard({ reader: stack.readerName, timeoutMs: 5_000 });
    const next = await readers.connect(stack.readerName);
    try {
      expect([...(await next.transmit(SELECT_JPKI))]).toEqual(OK);
    } finally {
      await next.close();
    }
  });
});
