import { randomBytes } from 'node:crypto';

/**
 * Row ids that sort in the order they were made (within one process), so rows written at the same
 * instant — the clock has millisecond steps, and tests hold it still — still list in order, on
 * either database and without an auto-increment column, which the two spell differently.
 */
export function orderedId(): string {
  return `${process.hrtime.bigint().toString(36).padStart(14, '0')}-${randomBytes(4).toString('hex')}`;
}
