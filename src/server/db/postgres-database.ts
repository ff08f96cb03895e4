import pg from 'pg';
import { numberPlaceholders } from './postgres-placeholders.ts';
import { type SqlDatabase, type SqlValue, UniqueViolationError } from './sql-database.ts';

/** PostgreSQL's SQLSTATE for unique_violation. */
const UNIQUE_VIOLATION = '23505';

interface Queryable {
  query(text: string, values: SqlValue[]): Promise<pg.QueryResult>;
}

/** A pg Pool behind the async surface; a transaction holds one pooled client from BEGIN to the end. */
export function openPostgres(url: string, options: { max?: number } = {}): SqlDatabase {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return {
    ...statementsOn(pool),
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: SqlDatabase = {
          ...statementsOn(client),
          transaction: (inner) => inner(tx),
          close: () => Promise.reject(new Error('close the database, not a transaction')),
        };
        const result = await work(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

function statementsOn(target: Queryable): Omit<SqlDatabase, 'transaction' | 'close'> {
  const query = async (sql: string, params: readonly SqlValue[]) => {
    try {
      return await target.query(numberPlaceholders(sql), [...params]);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION)
        throw new UniqueViolationError((error as Error).message, { cause: error });
      throw error;
    }
  };
  return {
    dialect: 'postgres',
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => (await query(sql, params)).rows as T[],
    get: async <T>(sql: string, params: readonly SqlValue[] = []) =>
      (await query(sql, params)).rows[0] as T | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => (await query(sql, params)).rowCount ?? 0,
  };
}
