import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditCommand, EXIT_AUDIT_BROKEN, parseSince } from '../../src/cli/audit-command.ts';
import { appendAudit, exportAudit, openStore, verifyAudit } from '../../src/store/index.ts';

const t0 = Date.parse('2025-04-01T09:00:00.000Z');
let dir: string;
let db: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-audit-cli-'));
  db = join(dir, 'kiosk.db');
  const store = openStore(db);
  for (let i = 0; i < 4; i++)
    appendAudit(store, { kind: 'card.placed', outcome: 'ok', data: { i }, at: new Date(t0 + i * 3_600_000) });
  store.close();
  process.exitCode = undefined;
});
afterEach(() => {
  process.exitCode = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const command = auditCommand({
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: {},
    now: () => new Date(t0 + 4 * 3_600_000),
  });
  command.exitOverride();
  await command.parseAsync(args, { from: 'user' });
  const code = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { stdout, stderr, code };
}

function tamper(sql: string): void {
  const raw = new Database(db);
  raw.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
  raw.exec(sql);
  raw.close();
}

describe('kiosk audit (command object)', () => {
  it('verify: exit 0 and a summary when whole, JSON with --json', async () => {
    expect(await run(['verify', '--db', db])).toEqual({
      stdout: 'audit chain ok: 4 records\n',
      stderr: '',
      code: 0,
    });
    const json = await run(['verify', '--db', db, '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, records: 4 });
  });

  it('verify: one line naming the first broken record and a non-zero exit', async () => {
    tamper(`UPDATE audit SET outcome = 'failed' WHERE seq = 2`);
    const result = await run(['verify', '--db', db]);
    expect(result.code).toBe(EXIT_AUDIT_BROKEN);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^audit chain broken at record 2 \(altered\)/);
    const json = await run(['verify', '--db', db, '--json']);
    expect(JSON.parse(json.stdout).firstBroken).toMatchObject({ seq: 2, reason: 'altered' });
  });

  it('export: JSON lines since an ISO time or a duration', async () => {
    const iso = await run(['export', '--db', db, '--since', new Date(t0 + 2 * 3_600_000).toISOString()]);
    expect(
      iso.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).seq),
    ).toEqual([3, 4]);
    const duration = await run(['export', '--db', db, '--since', '90m']);
    expect(
      duration.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).seq),
    ).toEqual([4]);
    expect(parseSince('7d', new Date(t0)).toISOString()).toBe('2025-03-25T09:00:00.000Z');
    expect(() => parseSince('yesterday')).toThrowError(/--since/);
  });

  it('retention: sets the days, enforces them at once, and the chain still verifies', async () => {
    // The four records are 1–4 hours old at the command's "now"; a day's retention keeps them all.
    expect(JSON.parse((await run(['retention', '--db', db, '--json'])).stdout)).toEqual({
      auditDays: 90,
      outboxDeliveredDays: 30,
      auditPurged: 0,
      outboxPurged: 0,
    });
    const later = auditCommand({ stdout: () => {}, env: {}, now: () => new Date(t0 + 3 * 86_400_000) });
    later.exitOverride();
    await later.parseAsync(['retention', '--audit-days', '2', '--db', db], { from: 'user' });
    const store = openStore(db, { mustExist: true });
    try {
      const kinds = exportAudit(store).map((r) => r.kind);
      expect(kinds).toEqual(['retention.purged']);
      expect(verifyAudit(store).ok).toBe(true);
    } finally {
      store.close();
    }
    await expect(run(['retention', '--audit-days', '0', '--db', db])).rejects.toThrow(/whole number of days/);
  });

  it('refuses a missing database instead of creating one', async () => {
    await expect(run(['verify', '--db', join(dir, 'none.db')])).rejects.toThrowError(/no kiosk database/);
  });
});

// The field kiosk's own command (packages/kiosk/bin/kiosk.js), compiled by npm run build.
describe('kiosk audit (spawned)', () => {
  const kiosk = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, ['bin/kiosk.js', 'audit', ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      cwd: new URL('../..', import.meta.url).pathname,
    });

  it('verifies through KIOSK_DB and names a deleted record', () => {
    expect(kiosk(['verify'], { KIOSK_DB: db }).status).toBe(0);
    tamper('DELETE FROM audit WHERE seq = 3');
    const broken = kiosk(['verify', '--db', db]);
    expect(broken.status).toBe(EXIT_AUDIT_BROKEN);
    expect(broken.stderr).toMatch(/record 3 \(missing\)/);
  });

  it('exports JSON lines', () => {
    const out = kiosk(['export', '--since', '2025-01-01T00:00:00Z', '--db', db]);
    expect(out.status).toBe(0);
    expect(out.stdout.trimEnd().split('\n')).toHaveLength(4);
  });
});
