import { migrate } from './migrations.ts';
import { openPostgres } from './postgres-database.ts';
import { type DatabaseLog, parseDatabaseUrl, type SqlDatabase } from './sql-database.ts';
import { openSqlite } from './sqlite-database.ts';

/**
 * Opens the database named by `url` and brings its schema up to date. `log` hears the failures no
 * query is waiting for (default: stderr).
 */
export async function openDatabase(url: string, options: { log?: DatabaseLog } = {}): Promise<SqlDatabase> {
  const location = parseDatabaseUrl(url);
  const db =
    location.dialect === 'sqlite' ? openSqlite(location.file, options) : openPostgres(location.url, options);
  try {
    await migrate(db);
    return db;
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
