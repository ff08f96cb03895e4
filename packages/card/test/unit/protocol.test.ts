import { describe, expect, it } from 'vitest';
import type { CardConnection } from '../../src/connection.ts';
import {
  FileNotFoundError,
  PinBlockedError,
  SecurityStatusError,
  StatusWordError,
  WrongPinError,
} from '../../src/errors.ts';
import { ApduProtocol } from '../../src/protocol.ts';

const h = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/** A connection that answers from a script and records what was sent: a unit test of one layer. */
function scripted(answer: (command: string) => string, extendedLength = false) {
  const sent: string[] = [];
  const connection: CardConnection = {
    readerName: 'script',
    atr: h('3B'),
    extendedLength,
    async transmit(command) {
      sent.push(hex(command));
      return h(answer(hex(command)));
    },
    async close() {},
  };
  return { connection, sent };
}

/** A file of `size` bytes behind READ BINARY that returns fewer bytes at its end, as the card does. */
function fileAnswer(file: Uint8Array) {
  return (command: string): string => {
    if (!command.startsWith('00B0')) return '9000';
    const p1 = Number.parseInt(command.slice(4, 6), 16);
    const p2 = Number.parseInt(command.slice(6, 8), 16);
    const offset = p1 & 0x80 ? p2 : (p1 << 8) | p2;
    const leField = command.slice(8);
    const le =
      leField.length === 6
        ? Number.parseInt(leField.slice(2), 16) || 65536
        : Number.parseInt(leField, 16) || 256;
    if (offset >= file.length) return '6B00';
    return `${hex(file.subarray(offset, offset + le))}9000`;
  };
}

describe('ApduProtocol', () => {
  it('follows 61xx with GET RESPONSE until the data is complete', async () => {
    const { connection, sent } = scripted((c) => {
      if (c === '00CA000000') return '6110';
      if (c === '00C0000010') return `${'AA'.repeat(16)}6105`;
      if (c === '00C0000005') return `${'BB'.repeat(5)}9000`;
      return '6D00';
    });
    const r = await new ApduProtocol(connection).send({ cla: 0, ins: 0xca, p1: 0, p2: 0, le: 256 });
    expect(r.sw).toBe(0x9000);
    expect(hex(r.data)).toBe('AA'.repeat(16) + 'BB'.repeat(5));
    expect(sent).toEqual(['00CA000000', '00C0000010', '00C0000005']);
  });

  it('resends with the length a 6Cxx names', async () => {
    const { connection, sent } = scripted((c) =>
      c === '00B0000000' ? '6C03' : c === '00B0000003' ? '0102039000' : '6F00',
    );
    const r = await new ApduProtocol(connection).send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 });
    expect(hex(r.data)).toBe('010203');
    expect(sent).toEqual(['00B0000000', '00B0000003']);
  });

  it('maps status words to typed errors', async () => {
    const cases: [string, unknown][] = [
      ['63C2', WrongPinError],
      ['63C0', PinBlockedError],
      ['6984', PinBlockedError],
      ['6982', SecurityStatusError],
      ['6A82', FileNotFoundError],
      ['6F00', StatusWordError],
    ];
    for (const [sw, type] of cases) {
      const { connection } = scripted(() => sw);
      const err = await new ApduProtocol(connection)
        .expectOk({ cla: 0, ins: 0x20, p1: 0, p2: 0x80 }, 'VERIFY')
        .catch((e) => e);
      expect(err, sw).toBeInstanceOf(type);
    }
    const { connection } = scripted(() => '63C2');
    const err = await new ApduProtocol(connection)
      .expectOk({ cla: 0, ins: 0x20, p1: 0, p2: 0x80 }, 'x')
      .catch((e) => e);
    expect(err.triesLeft).toBe(2);
  });

  it('reads a TLV file in ceil(content/256) short reads and leaves the filler', async () => {
    const content = Uint8Array.from([0x30, 0x82, 0x03, 0xe8, ...new Uint8Array(1000).fill(0x11)]);
    const file = Uint8Array.from([...content, ...new Uint8Array(200).fill(0xff)]);
    const { connection, sent } = scripted(fileAnswer(file));
    const protocol = new ApduProtocol(connection);
    const read = await protocol.readFile(0x000a, 'cert');
    expect(hex(read)).toBe(hex(content));
    // The first chunk names the EF by its short id: no SELECT.
    expect(sent).toEqual(['00B08A0000', '00B0010000', '00B0020000', '00B00300EC']);
    expect(protocol.stats.apdus).toBe(Math.ceil(content.length / 256));
  });

  it('reads a whole file with one extended READ BINARY where the reader allows', async () => {
    const file = Uint8Array.from([0xff, 0x10, 0x02, 0x31, 0x32, 0xff, 0xff]);
    const { connection, sent } = scripted(fileAnswer(file), true);
    const read = await new ApduProtocol(connection).readFile(0x0001, 'x');
    expect(hex(read)).toBe('FF10023132');
    expect(sent).toEqual(['00B08100000000']);
  });

  it('goes on with short reads when a card caps an extended READ BINARY below the file size', async () => {
    const content = Uint8Array.from([0x30, 0x82, 0x01, 0x2c, ...new Uint8Array(300).fill(0x22)]);
    const plain = fileAnswer(content);
    const { connection, sent } = scripted(
      (c) => (c.length > 10 ? `${hex(content.subarray(0, 256))}9000` : plain(c)),
      true,
    );
    const read = await new ApduProtocol(connection).readFile(0x000a, 'cert');
    expect(hex(read)).toBe(hex(content));
    expect(sent).toEqual(['00B08A00000000', '00B0010030']);
  });

  it('takes any refusal of a short-EF read (here 6B00) as "use SELECT"', async () => {
    const file = Uint8Array.from([0xff, 0x10, 0x01, 0x31]);
    const plain = fileAnswer(file);
    const { connection, sent } = scripted((c) => (c.startsWith('00B08') ? '6B00' : plain(c)));
    expect(hex(await new ApduProtocol(connection).readFile(0x0001, 'x'))).toBe('FF100131');
    expect(sent).toEqual(['00B0810000', '00A4020C020001', '00B0000000']);
  });

  it('resends a VERIFY by short id refused without comparing (6A82), never one answered 63Cx', async () => {
    const refused = scripted((c) => (c === '00200098' ? '6A82' : c.startsWith('0020') ? '63C2' : '9000'));
    expect(await new ApduProtocol(refused.connection).verify(0x0018, undefined, 'PIN')).toBe(0x63c2);
    expect(refused.sent).toEqual(['00200098', '00A4020C020018', '00200080']);
    const counted = scripted((c) => (c.startsWith('0020') ? '63C1' : '9000'));
    expect(await new ApduProtocol(counted.connection).verify(0x0018, Uint8Array.of(0x31), 'PIN')).toBe(
      0x63c1,
    );
    expect(counted.sent).toEqual(['0020009801' + '31']);
  });

  it('falls back to short reads when the extended one is refused', async () => {
    const file = Uint8Array.from([0xff, 0x10, 0x02, 0x31, 0x32, 0xff]);
    const plain = fileAnswer(file);
    const { connection, sent } = scripted((c) => (c.length > 10 ? '6700' : plain(c)), true);
    const protocol = new ApduProtocol(connection);
    expect(hex(await protocol.readFile(0x0001, 'x'))).toBe('FF10023132');
    expect(protocol.extendedReads).toBe(false);
    expect(sent).toEqual(['00B08100000000', '00B0810000']);
  });

  it('reads a file that is not a TLV to its end', async () => {
    const file = new Uint8Array(300).fill(0x41);
    file[1] = 0x80; // an indefinite length: no TLV to take the size from
    const { connection, sent } = scripted(fileAnswer(file));
    expect((await new ApduProtocol(connection).readFile(0x0002, 'x')).length).toBe(300);
    expect(sent).toEqual(['00B0820000', '00B0010000']);
  });

  it('selects the EF when the card refuses the short-EF form, and stops trying that form', async () => {
    const file = Uint8Array.from([0xff, 0x10, 0x01, 0x31]);
    const plain = fileAnswer(file);
    const { connection, sent } = scripted((c) =>
      c.startsWith('00B08') || (c.startsWith('002000') && c.slice(6, 8) !== '80') ? '6A86' : plain(c),
    );
    const protocol = new ApduProtocol(connection);
    expect(hex(await protocol.readFile(0x0001, 'x'))).toBe('FF100131');
    expect(hex(await protocol.readFile(0x0002, 'y'))).toBe('FF100131');
    expect(await protocol.verify(0x0018, undefined, 'PIN')).toBe(0x9000);
    expect(sent).toEqual([
      '00B0810000',
      '00A4020C020001',
      '00B0000000',
      '00A4020C020002',
      '00B0000000',
      '00A4020C020018',
      '00200080',
    ]);
  });

  it('asks a PIN by its short id without a SELECT, and forgets the current EF afterwards', async () => {
    const { connection, sent } = scripted((c) => (c.startsWith('0020') ? '63C3' : '9000'));
    const protocol = new ApduProtocol(connection);
    await protocol.selectEf(0x000a, 'cert');
    expect(await protocol.verify(0x0018, undefined, 'PIN')).toBe(0x63c3);
    await protocol.selectEf(0x000a, 'cert');
    expect(sent).toEqual(['00A4020C02000A', '00200098', '00A4020C02000A']);
  });

  it('does not reselect what is already selected', async () => {
    const { connection, sent } = scripted(() => '9000');
    const p = new ApduProtocol(connection);
    await p.selectApplication(h('D392F000260100000001'), 'JPKI');
    await p.selectApplication(h('D392F000260100000001'), 'JPKI');
    await p.selectEf(0x0a, 'cert');
    await p.selectEf(0x0a, 'cert');
    expect(sent).toEqual(['00A4040C0AD392F000260100000001', '00A4020C02000A']);
  });
});
