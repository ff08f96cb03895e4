/** Why a store operation was refused; stable for callers and the CLI. */
export type StoreErrorCode =
  | 'schema-too-new'
  | 'migration-failed'
  | 'refused-pii'
  | 'invalid-event'
  | 'duplicate-key'
  | 'not-found'
  | 'no-database';

/** A store failure. Messages name fields and rules, never the refused value itself. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}
