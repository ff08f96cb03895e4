/**
 * A pooled PostgreSQL connection that its server ends while it idles (a restart, a failover, an
 * administrator): the upstream says so through the logger it was given instead of dropping the
 * error, keeps running, and answers the next query on a new connection.
 */
import {
  postgresSkipReason,
  startThrowawayPostgres,
  type ThrowawayPostgres,
} from '@myna/devtools/test-support/postgres.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src/db/open-database.ts';

const skip = postgresSkipReason();
if (skip) process.stdout.write(`PostgreSQL pool test skipped: ${skip}\n`);

describe.skipIf(skip !== undefined)('the PostgreSQL pool', () => {
  let cluster: ThrowawayPostgres;
  beforeAll(() => {
    cluster = startThrowawayPostgres();
  });
  afterAll(() => cluster?.stop());

  it('logs an idle connection the server ended, and the next query connects anew', async () => {
    const url = await cluster.createDatabase();
    const logged: { err: unknown; message: string }[] = [];
    const db = await openDatabase(url, {
      log: { error: ({ err }, message) => logged.push({ err, message }) },
    });
    try {
      expect(await db.get('SELECT 1 AS one')).toEqual({ one: 1 });
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        const ended = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        expect(ended.rowCount).toBeGreaterThan(0);
      } finally {
        await admin.end();
      }
      await vi.waitFor(() => expect(logged.length).toBeGreaterThan(0));
      expect(logged[0]!.message).toMatch(/idle pooled connection/);
      // 57P01 admin_shutdown: what PostgreSQL says to a session it terminates.
      expect((logged[0]!.err as { code?: string }).code).toBe('57P01');
      expect(await db.get('SELECT 2 AS two')).toEqual({ two: 2 });
    } finally {
      await db.close();
    }
  });
});
