/** The kiosk store: settings, the hash-chained audit log and the outbox, in one SQLite file. */
import { join } from 'node:path';
import { kioskDataDir } from '../common/node/data-dir.ts';

export * from './audit.ts';
export * from './db.ts';
export * from './errors.ts';
export { MIGRATIONS, type Migration } from './migrations.ts';
export * from './outbox.ts';
export { assertNoPii, forbiddenFieldReason, PII_LIMITS } from './pii.ts';
export * from './retention.ts';

/** `$KIOSK_DB`, else kiosk.db in the kiosk's data folder (the config's default). */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.KIOSK_DB || join(kioskDataDir(env), 'kiosk.db');
}
