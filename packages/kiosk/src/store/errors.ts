import { CodedError } from '@myna/protocol/coded-error.js';

/** Why a store operation was refused; stable for callers and the CLI. */
export const STORE_ERROR_CODES = [
  'schema-too-new',
  'migration-failed',
  'refused-pii',
  'invalid-event',
  'duplicate-key',
  'not-found',
  'no-database',
] as const;
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

/** A store failure. Messages name fields and rules, never the refused value itself. */
export class StoreError extends CodedError<StoreErrorCode> {}
