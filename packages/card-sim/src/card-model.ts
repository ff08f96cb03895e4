/** The virtual card's file system: three applications, each a flat set of EFs with access rules. */
import type { KeyObject } from 'node:crypto';
import { FILLER } from '@myna/card/spec.js';

export type AppName = 'jpki' | 'textInfo' | 'cardFace';

/** Who may read a binary EF: anyone, whoever verified one of the listed PIN EFs, or nobody. */
export type Access =
  | { readonly kind: 'free' }
  | { readonly kind: 'any-of'; readonly pins: readonly number[] }
  | { readonly kind: 'never' };

export const FREE: Access = { kind: 'free' };
export const NEVER: Access = { kind: 'never' };
export const anyOf = (...pins: number[]): Access => ({ kind: 'any-of', pins });

export interface BinaryEf {
  readonly kind: 'binary';
  readonly data: Uint8Array;
  readonly access: Access;
}

export interface PinEf {
  readonly kind: 'pin';
  /** Names the counter in `triesLeft` views, e.g. "jpki.authPin". */
  readonly label: string;
  readonly secret: Uint8Array;
  readonly maxTries: number;
  readonly initialTriesLeft: number;
}

export interface KeyEf {
  readonly kind: 'key';
  readonly privateKey: KeyObject;
  /** The PIN EF that must be verified before the key signs. */
  readonly pin: number;
}

export type Ef = BinaryEf | PinEf | KeyEf;

export interface Application {
  readonly name: AppName;
  readonly aid: Uint8Array;
  readonly efs: ReadonlyMap<number, Ef>;
  /** Key for the PIN-less card-presence signature (`80 2A 00 00`), in the card-face applications. */
  readonly presenceKey?: KeyObject;
}

export interface CardContent {
  /** The person file's id, for status displays. */
  readonly holderId: string;
  readonly applications: readonly Application[];
}

const FILE_ALIGNMENT = 16;
const MIN_FILLER = 2;

/**
 * Physical cards allocate EFs larger than their content and fill the rest with FF. We append at
 * least two FF bytes and round the file up to a multiple of 16, so readers meet filler after every
 * TLV and a short read at the end of every file.
 */
export function withFiller(content: Uint8Array, size = roundUp(content.length + MIN_FILLER)): Uint8Array {
  const file = new Uint8Array(size).fill(FILLER);
  file.set(content);
  return file;
}

function roundUp(n: number): number {
  return Math.ceil(n / FILE_ALIGNMENT) * FILE_ALIGNMENT;
}

export const binary = (data: Uint8Array, access: Access): BinaryEf => ({ kind: 'binary', data, access });
