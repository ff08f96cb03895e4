/**
 * Strict ISO 7816-4 command APDU parsing: every case (1, 2S, 3S, 4S, 2E, 3E, 4E) is recognised from
 * the byte count alone, and anything that fits none of them is malformed (the card answers 6700).
 */

export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data: Uint8Array;
  /** Bytes the terminal expects back; undefined when the command carries no Le (cases 1 and 3). */
  readonly le: number | undefined;
  readonly extended: boolean;
}

const SHORT_LE_ZERO = 256;
const EXTENDED_LE_ZERO = 65536;
const NO_DATA = new Uint8Array(0);

/** Returns undefined for a malformed APDU. */
export function parseCommandApdu(bytes: Uint8Array): CommandApdu | undefined {
  if (bytes.length < 4) return undefined;
  const [cla, ins, p1, p2] = bytes as unknown as [number, number, number, number];
  const header = { cla, ins, p1, p2 };
  const body = bytes.subarray(4);

  if (body.length === 0) return { ...header, data: NO_DATA, le: undefined, extended: false };
  const b0 = body[0]!;
  if (body.length === 1) return { ...header, data: NO_DATA, le: b0 || SHORT_LE_ZERO, extended: false };

  if (b0 !== 0) {
    if (body.length === 1 + b0) return { ...header, data: body.subarray(1), le: undefined, extended: false };
    if (body.length !== 2 + b0) return undefined;
    const le = body[1 + b0]! || SHORT_LE_ZERO;
    return { ...header, data: body.subarray(1, 1 + b0), le, extended: false };
  }

  // A zero first byte followed by more bytes introduces an extended length.
  if (body.length < 3) return undefined;
  const n = (body[1]! << 8) | body[2]!;
  if (body.length === 3) return { ...header, data: NO_DATA, le: n || EXTENDED_LE_ZERO, extended: true };
  if (n === 0) return undefined;
  if (body.length === 3 + n) return { ...header, data: body.subarray(3), le: undefined, extended: true };
  if (body.length !== 5 + n) return undefined;
  const le = (body[3 + n]! << 8) | body[4 + n]! || EXTENDED_LE_ZERO;
  return { ...header, data: body.subarray(3, 3 + n), le, extended: true };
}
