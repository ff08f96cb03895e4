/** Drives a virtual card with raw APDU bytes, as every sim test does. */

import { AID } from '@myna/card/spec.js';
import { virtualCardFor } from '../../src/card-factory.ts';
import { peopleFile } from '../../src/people.ts';
import type { VirtualCardOptions, VirtualMyNumberCard } from '../../src/virtual-card.ts';

export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

export interface Reply {
  data: Buffer;
  sw: string;
}

export function send(card: VirtualMyNumberCard, command: Uint8Array | string): Reply {
  const bytes = typeof command === 'string' ? hex(command) : command;
  const response = Buffer.from(card.process(bytes));
  return { data: response.subarray(0, -2), sw: toHex(response.subarray(-2)) };
}

export function sw(card: VirtualMyNumberCard, command: Uint8Array | string): string {
  return send(card, command).sw;
}

export function card(
  person = 'middle-aged',
  options: VirtualCardOptions & { verificationTries?: number } = {},
) {
  return virtualCardFor(peopleFile(person), options);
}

export const selectApp = (name: keyof typeof AID) => `00A4040C0A${toHex(AID[name])}`;
export const selectEf = (id: number) => `00A4020C02${id.toString(16).padStart(4, '0')}`;
export const verify = (secret: string) =>
  `00200080${Buffer.from(secret).length.toString(16).padStart(2, '0')}${Buffer.from(secret).toString('hex')}`;

/** Reads a whole EF in 256-byte steps, the way a careful reader does. */
export function readAll(c: VirtualMyNumberCard): Buffer {
  const parts: Buffer[] = [];
  for (let offset = 0; ; offset += 256) {
    const r = send(c, `00B0${offset.toString(16).padStart(4, '0')}00`);
    if (r.sw === '6B00') break;
    if (r.sw !== '9000') throw new Error(`read at ${offset}: ${r.sw}`);
    parts.push(r.data);
    if (r.data.length < 256) break;
  }
  return Buffer.concat(parts);
}
