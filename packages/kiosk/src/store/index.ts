/** The kiosk store: settings, the hash-chained audit log and the outbox, in one SQLite file. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export * from './audit.ts';
export * from './db.ts';
export * from './errors.ts';
export { MIGRATIONS, type Migration } from './migrations.ts';
export * from './outbox.ts';
export { assertNoPii, forbiddenFieldReason, PII_LIMITS } from './pii.ts';
export * from './retention.ts';

/** `$KIOSK_DB`, else `var/kiosk.db` under the repository root. */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.KIOSK_DB || resolve(dirname(fileURLToPath(import.meta.url)), '../../var/kiosk.db');
}
