import { Command } from 'commander';
import {
  defaultStorePath,
  enforceRetention,
  exportAudit,
  openStore,
  retentionSettings,
  StoreError,
  setRetention,
  verifyAudit,
} from '../store/index.ts';

/** Exit status of `audit verify` when the chain is broken (outside output.ts's card range). */
export const EXIT_AUDIT_BROKEN = 12;

interface AuditIo {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--since`: an ISO time, or a duration back from now such as `30m`, `24h`, `7d`, `2w`. */
export function parseSince(text: string, now: Date = new Date()): Date {
  const duration = /^(\d+)([smhdw])$/.exec(text.trim());
  if (duration) return new Date(now.getTime() - Number(duration[1]) * UNITS[duration[2]!]!);
  const at = /^\d{4}-\d{2}-\d{2}/.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime()))
    throw new StoreError(
      'invalid-event',
      `--since: expected an ISO time (2025-04-01T00:00:00Z) or a duration (24h, 7d)`,
    );
  return at;
}

/**
 * `kiosk audit verify [--db FILE] [--json]`: exit 0 when the chain is whole, else one line naming the
 * first broken record and exit 12. `kiosk audit export --since ISO|DURATION [--db FILE]`: JSON lines.
 * `kiosk audit retention [--audit-days N] [--outbox-days N] [--db FILE] [--json]`: sets the retention
 * (when given), enforces it now, and prints the settings and what was purged.
 */
export function auditCommand(io: AuditIo = {}): Command {
  const out = io.stdout ?? ((text: string) => process.stdout.write(text));
  const err = io.stderr ?? ((text: string) => process.stderr.write(text));
  const dbPath = (db: string | undefined) => db ?? defaultStorePath(io.env ?? process.env);
  const command = new Command('audit').description('the hash-chained audit log: verify it, export it');
  command
    .command('verify')
    .description('recompute the hash chain and name the first broken record')
    .option(
      '--db <file>',
      'kiosk database (default $KIOSK_DB, else kiosk.db in $KIOSK_DATA_DIR or the platform data folder)',
    )
    .option('--json', 'print the result as JSON')
    .action((options: { db?: string; json?: boolean }) => {
      const store = openStore(dbPath(options.db), { mustExist: true });
      try {
        const result = verifyAudit(store);
        if (options.json) out(`${JSON.stringify(result)}\n`);
        if (result.ok) {
          if (!options.json) out(`audit chain ok: ${result.records} records\n`);
        } else {
          const broken = result.firstBroken!;
          err(`audit chain broken at record ${broken.seq} (${broken.reason}): ${broken.detail}\n`);
          process.exitCode = EXIT_AUDIT_BROKEN;
        }
      } finally {
        store.close();
      }
    });
  command
    .command('export')
    .description('print audit records as JSON lines, oldest first')
    .requiredOption('--since <time>', 'ISO time or duration back from now (24h, 7d)')
    .option(
      '--db <file>',
      'kiosk database (default $KIOSK_DB, else kiosk.db in $KIOSK_DATA_DIR or the platform data folder)',
    )
    .action((options: { db?: string; since: string }) => {
      const since = parseSince(options.since, io.now?.() ?? new Date());
      const store = openStore(dbPath(options.db), { mustExist: true });
      try {
        for (const record of exportAudit(store, { since })) out(`${JSON.stringify(record)}\n`);
      } finally {
        store.close();
      }
    });
  command
    .command('retention')
    .description('set how long audit records and delivered outbox items are kept, and enforce it now')
    .option('--audit-days <n>', 'keep audit records this many days', days)
    .option('--outbox-days <n>', 'keep delivered outbox items this many days', days)
    .option(
      '--db <file>',
      'kiosk database (default $KIOSK_DB, else kiosk.db in $KIOSK_DATA_DIR or the platform data folder)',
    )
    .option('--json', 'print the result as JSON')
    .action((options: { db?: string; auditDays?: number; outboxDays?: number; json?: boolean }) => {
      const store = openStore(dbPath(options.db), { mustExist: true, now: io.now });
      try {
        setRetention(store, { auditDays: options.auditDays, outboxDeliveredDays: options.outboxDays });
        const { auditPurged, outboxPurged } = enforceRetention(store);
        const settings = retentionSettings(store);
        if (options.json) out(`${JSON.stringify({ ...settings, auditPurged, outboxPurged })}\n`);
        else
          out(
            `retention: audit ${settings.auditDays} days, delivered outbox ${settings.outboxDeliveredDays} days; ` +
              `purged ${auditPurged} audit records, ${outboxPurged} outbox items\n`,
          );
      } finally {
        store.close();
      }
    });
  return command;
}

function days(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1)
    throw new StoreError('invalid-event', `expected a whole number of days (1 or more), got "${text}"`);
  return n;
}
