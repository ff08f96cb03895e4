import { migrate } from './migrations.ts';
import { openPostgres } from './postgres-database.ts';
import { parseDatabaseUrl, type SqlDatabase } from './sql-database.ts';
import { openSqlite } from './sqlite-database.ts';

/** Opens the database named by `url` and brings its schema up to date. */
export async function openDatabase(url: string): Promise<SqlDatabase> {
  const location = parseDatabaseUrl(url);
  const db = location.dialect === 'sqlite' ? openSqlite(location.file) : openPostgres(location.url);
  try {
    await migrate(db);
    return db;
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
