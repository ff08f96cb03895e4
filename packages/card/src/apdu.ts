import { InvalidInputError, TransportError } from './errors.ts';

/** A command APDU before encoding. `le` is the number of bytes expected back (0: none, 1..65536). */
export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data?: Uint8Array;
  le?: number;
}

export interface ResponseApdu {
  data: Uint8Array;
  sw: number;
}

const SHORT_LC_MAX = 255;
const SHORT_LE_MAX = 256;
const EXTENDED_MAX = 65536;

function checkByte(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) {
    throw new InvalidInputError(`APDU ${name} must be a byte, got ${value}`);
  }
}

/** True when the command cannot be sent in the short form (ISO 7816-4 cases 2S/3S/4S). */
export function needsExtended(command: CommandApdu): boolean {
  return (command.data?.length ?? 0) > SHORT_LC_MAX || (command.le ?? 0) > SHORT_LE_MAX;
}

/**
 * Encodes a command in the shortest form that carries it: short where Lc ≤ 255 and Le ≤ 256,
 * extended otherwise (Lc ≤ 65535, Le ≤ 65536, both encoded on two bytes behind one 00 byte).
 */
export function encodeCommand(command: CommandApdu): Uint8Array {
  const { cla, ins, p1, p2 } = command;
  checkByte('CLA', cla);
  checkByte('INS', ins);
  checkByte('P1', p1);
  checkByte('P2', p2);
  const data = command.data ?? new Uint8Array(0);
  const le = command.le ?? 0;
  if (!Number.isInteger(le) || le < 0 || le > EXTENDED_MAX) {
    throw new InvalidInputError(`APDU Le must be 0..${EXTENDED_MAX}, got ${le}`);
  }
  if (data.length > EXTENDED_MAX - 1) {
    throw new InvalidInputError(`APDU data too long: ${data.length} bytes`);
  }
  const header = [cla, ins, p1, p2];
  if (!needsExtended(command)) {
    const lc = data.length > 0 ? [data.length] : [];
    const leBytes = le > 0 ? [le & 0xff] : [];
    return Uint8Array.from([...header, ...lc, ...data, ...leBytes]);
  }
  const lc = data.length > 0 ? [0x00, data.length >> 8, data.length & 0xff] : [];
  // With a body the Le field is two bytes; without one it keeps the leading 00.
  const leBytes = le > 0 ? [...(data.length > 0 ? [] : [0x00]), (le >> 8) & 0xff, le & 0xff] : [];
  return Uint8Array.from([...header, ...lc, ...data, ...leBytes]);
}

export function parseResponse(raw: Uint8Array): ResponseApdu {
  if (raw.length < 2) {
    throw new TransportError(`response of ${raw.length} byte(s) has no status word`);
  }
  const n = raw.length;
  return { data: raw.slice(0, n - 2), sw: (raw[n - 2]! << 8) | raw[n - 1]! };
}

export function swHex(sw: number): string {
  return sw.toString(16).padStart(4, '0').toUpperCase();
}
