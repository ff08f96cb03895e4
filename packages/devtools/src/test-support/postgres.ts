/**
 * A throwaway PostgreSQL 15 cluster for tests: initdb into a fresh directory owned by `postgres`,
 * listening only on a unix socket inside that directory (no TCP port to collide with anything),
 * stopped and deleted afterwards. Where the binaries or the `postgres` user are missing the caller
 * gets a reason to print and skips; CI installs them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe } from 'vitest';

const BIN = process.env.KIOSK_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface ThrowawayPostgres {
  /** A fresh, empty database on the cluster, as a postgres:// URL over the unix socket. */
  createDatabase(): Promise<string>;
  stop(): void;
}

/** Why this machine cannot run the throwaway cluster, or undefined when it can. */
export function postgresSkipReason(): string | undefined {
  if (!existsSync(join(BIN, 'initdb')) || !existsSync(join(BIN, 'pg_ctl')))
    return `PostgreSQL binaries not found in ${BIN} (install postgresql-15)`;
  if (!postgresOwner()) return 'no "postgres" system user to run the cluster as';
  if (process.getuid?.() !== 0) return 'starting a cluster as "postgres" needs root (runuser)';
  return undefined;
}

function postgresOwner(): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function asPostgres(args: string[]): void {
  execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'pipe' });
}

/** Starts a cluster; throws with the server's own words when it does not come up. */
export function startThrowawayPostgres(): ThrowawayPostgres {
  const reason = postgresSkipReason();
  if (reason) throw new Error(reason);
  const owner = postgresOwner()!;
  const dir = mkdtempSync(join(tmpdir(), 'upstream-pg-'));
  chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  try {
    asPostgres([
      join(BIN, 'initdb'),
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    asPostgres([
      join(BIN, 'pg_ctl'),
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-o',
      `-c listen_addresses='' -k ${dir} -c fsync=off`,
      '-w',
      'start',
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`the throwaway PostgreSQL cluster did not start: ${stderr || String(error)}`);
  }

  const urlFor = (database: string) =>
    `postgres://postgres@localhost/${database}?host=${encodeURIComponent(dir)}`;
  let stopped = false;
  return {
    async createDatabase() {
      const name = `t_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: urlFor('postgres') });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return urlFor(name);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        asPostgres([join(BIN, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface DatabaseBackend {
  readonly name: 'sqlite' | 'postgres';
  /** Set when the backend cannot run here; tests skip and the reason is printed once. */
  readonly skip: string | undefined;
  /** A fresh, empty database for one test or suite. */
  freshUrl(): Promise<string>;
}

/**
 * SQLite and PostgreSQL, for `describe.each`. The cluster starts on the first PostgreSQL database
 * asked for, so a file that runs only SQLite tests never pays for it; call `stopAll` in afterAll.
 */
export function databaseBackends(): { list: DatabaseBackend[]; stopAll(): void } {
  const skip = postgresSkipReason();
  if (skip) process.stdout.write(`PostgreSQL tests skipped: ${skip}\n`);
  let cluster: ThrowawayPostgres | undefined;
  return {
    list: [
      { name: 'sqlite', skip: undefined, freshUrl: async () => 'sqlite::memory:' },
      {
        name: 'postgres',
        skip,
        freshUrl: async () => {
          cluster ??= startThrowawayPostgres();
          return cluster.createDatabase();
        },
      },
    ],
    stopAll: () => cluster?.stop(),
  };
}

/**
 * `describe` once per database: on SQLite, and on PostgreSQL unless this machine cannot run it (then
 * the suite is reported skipped and the reason printed). The cluster is stopped after the file.
 */
export function describeOnDatabases(title: string, body: (backend: DatabaseBackend) => void): void {
  const backends = databaseBackends();
  afterAll(() => backends.stopAll());
  for (const backend of backends.list)
    describe.skipIf(backend.skip !== undefined)(`${title} on ${backend.name}`, () => body(backend));
}
