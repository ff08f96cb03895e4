/** Fault injection: make the N-th APDU from now fail the way a worn card or a hasty hand does. */

export type FaultKind = 'remove' | 'status' | 'garbage';

export interface Fault {
  /** 1 = the next APDU. */
  readonly atCommand: number;
  readonly kind: FaultKind;
  /** Status word for kind 'status' (default 6F00, "no precise diagnosis"). */
  readonly sw?: number;
}

/** Thrown by process() for a 'remove' fault: the transport drops the card without answering. */
export class SimulatedRemoval extends Error {
  constructor() {
    super('simulated card removal');
    this.name = 'SimulatedRemoval';
  }
}

export const DEFAULT_FAULT_SW = 0x6f00;

/** The junk a 'garbage' fault answers before 90 00: not a response any command would give. */
export const GARBAGE = Uint8Array.of(0x5a, 0xa5, 0x3c, 0xc3, 0x0f, 0x90, 0x00);

export function validateFault(fault: Fault): void {
  if (!Number.isInteger(fault.atCommand) || fault.atCommand < 1) {
    throw new RangeError('fault atCommand must be an integer ≥ 1');
  }
  if (!['remove', 'status', 'garbage'].includes(fault.kind)) {
    throw new RangeError('fault kind must be remove, status or garbage');
  }
  if (fault.sw !== undefined && (!Number.isInteger(fault.sw) || fault.sw < 0 || fault.sw > 0xffff)) {
    throw new RangeError('fault sw must be a 16-bit status word');
  }
}
