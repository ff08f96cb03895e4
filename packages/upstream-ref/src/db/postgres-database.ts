import { BoundedCache } from '@myna/protocol/bounded-cache.js';
import pg from 'pg';
import { numberPlaceholders } from './postgres-placeholders.ts';
import {
  type DatabaseLog,
  type SqlDatabase,
  type SqlValue,
  STDERR_DATABASE_LOG,
  UniqueViolationError,
} from './sql-database.ts';

/** PostgreSQL's SQLSTATE for unique_violation. */
const UNIQUE_VIOLATION = '23505';

interface Queryable {
  query(query: pg.QueryConfig<SqlValue[]>): Promise<pg.QueryResult>;
}

/**
 * Each statement as PostgreSQL gets it: placeholders numbered once, and queries named so that every
 * pooled connection parses and plans each one once rather than at every request. Schema statements
 * stay unnamed: they run once, and a named one would outlive the schema it was planned against.
 */
const PREPARABLE = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;
const queries = new BoundedCache<string, { text: string; name?: string }>(512);
let named = 0;

function queryFor(sql: string, values: readonly SqlValue[]): pg.QueryConfig<SqlValue[]> {
  const known = queries.getOrMake(sql, () => {
    const text = numberPlaceholders(sql);
    named += 1;
    return PREPARABLE.test(sql) ? { text, name: `upstream-${named}` } : { text };
  });
  return { ...known, values: [...values] };
}

/**
 * A pg Pool behind the async surface; a transaction holds one pooled client from BEGIN to the end.
 *
 * Durability: a relaxed transaction commits with `synchronous_commit` off, PostgreSQL's own form of
 * the same bargain (a server crash may lose the last such commits, never a part of one), set in the
 * same round trip as BEGIN. A relaxed statement outside a transaction stays durable: relaxing it
 * would cost the round trips it was meant to save.
 */
export function openPostgres(url: string, options: { max?: number; log?: DatabaseLog } = {}): SqlDatabase {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  const log = options.log ?? STDERR_DATABASE_LOG;
  // Unheard, an idle client that loses its server would crash the process; pg has already dropped
  // the client and the next query connects anew, but the operator should learn the server went away.
  pool.on('error', (err) =>
    log.error({ err }, 'PostgreSQL closed an idle pooled connection; the next query opens another'),
  );
  return {
    ...statementsOn(pool),
    transaction: async (work, transactionOptions) => {
      const client = await pool.connect();
      try {
        // Without parameters pg sends a simple query, which may hold two statements.
        await client.query(
          transactionOptions?.durability === 'relaxed'
            ? 'BEGIN; SET LOCAL synchronous_commit TO OFF'
            : 'BEGIN',
        );
        const tx: SqlDatabase = {
          ...statementsOn(oneAtATime(client)),
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

/**
 * A client answers one query at a time: pg queues a second one sent before the first is answered,
 * and that queue is deprecated (gone in pg 9). Queries a transaction starts together (Promise.all)
 * wait for one another here instead.
 */
function oneAtATime(client: pg.PoolClient): Queryable {
  let turn: Promise<unknown> = Promise.resolve();
  return {
    query: (query) => {
      const result = turn.then(() => client.query(query));
      turn = result.catch(() => undefined);
      return result;
    },
  };
}

function statementsOn(target: Queryable): Omit<SqlDatabase, 'transaction' | 'close'> {
  const query = async (sql: string, params: readonly SqlValue[]) => {
    try {
      return await target.query(queryFor(sql, params));
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
