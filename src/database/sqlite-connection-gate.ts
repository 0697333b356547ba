import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/**
 * SQLite (better-sqlite3) gives TypeORM one connection, and every request's statements run on
 * it. Left alone, that loses acknowledged writes in two ways:
 *
 * - Interleaving. A statement of request B that runs while request A's transaction is open
 *   (A awaits between its statements) becomes part of A's transaction: if A rolls back, B's
 *   write goes with it, although B was answered 2xx.
 * - A failed COMMIT, RELEASE or ROLLBACK. TypeORM then keeps its transaction depth at 1 while
 *   SQLite has rolled back (e.g. "database or disk is full"), so every later transaction
 *   becomes `SAVEPOINT typeorm_1`; after the first rollback of one of them, SQLite stays
 *   inside a transaction that nothing ever commits, and every later write is acknowledged
 *   and lost.
 *
 * The gate makes the connection a mutex. A transaction (`manager.transaction`, and TypeORM's
 * own `save`/`remove`, which are routed through it) holds the connection from BEGIN to the
 * end of COMMIT or ROLLBACK; any statement from outside that transaction waits for it, then
 * holds the connection for its own duration. After every outer transaction, and after any
 * failed COMMIT, RELEASE or ROLLBACK, the connection is brought back to a known state: no
 * transaction open on SQLite, TypeORM's depth 0. A transaction whose connection state broke
 * underneath it fails, and so does everything it still tries: it never answers as committed.
 */
export interface SqliteGate {
  /** How long the connection has been held by one transaction, in ms (0 when free). */
  heldForMs(): number;
  /** Statements and transactions waiting for the connection. */
  waiting(): number;
}

/** Raised when a transaction's connection state was lost under it (rolled back by SQLite, or reset after a failed end). */
export class TransactionAbortedError extends Error {
  constructor(reason: string, cause?: unknown) {
    super(`The transaction was rolled back: ${reason}`, { cause });
    this.name = 'TransactionAbortedError';
  }
}

interface Hold {
  /** Set when the holder's transaction was rolled back under it: all it tries next fails. */
  aborted?: TransactionAbortedError;
}

interface RawSqlite {
  inTransaction: boolean;
  exec(sql: string): unknown;
}

type RunnerState = QueryRunner & { transactionDepth: number; isTransactionActive: boolean };

const PERSIST_METHODS = ['save', 'remove', 'softRemove', 'recover'] as const;

const gates = new WeakMap<DataSource, SqliteGate>();

/** The gate of a SQLite data source (undefined on MySQL/MariaDB). */
export function sqliteGateOf(dataSource: DataSource): SqliteGate | undefined {
  return gates.get(dataSource);
}

export function gateSqliteConnection(dataSource: DataSource): SqliteGate {
  const existing = gates.get(dataSource);
  if (existing) return existing;
  const holders = new AsyncLocalStorage<Hold>();
  let holder: Hold | null = null;
  let heldSince = 0;
  let queue: Promise<unknown> = Promise.resolve();
  let waiting = 0;

  const raw = (): RawSqlite => (dataSource.driver as unknown as { databaseConnection: RawSqlite }).databaseConnection;
  const runner = (): RunnerState => dataSource.driver.createQueryRunner('master') as RunnerState;
  const inside = (): boolean => holder !== null && holders.getStore() === holder;

  /** Runs `fn` holding the connection, after everything queued before it. */
  const exclusive = <T>(fn: (hold: Hold) => Promise<T>): Promise<T> => {
    const hold: Hold = {};
    waiting += 1;
    const run = queue.then(async () => {
      waiting -= 1;
      holder = hold;
      heldSince = Date.now();
      try {
        return await holders.run(hold, () => fn(hold));
      } finally {
        holder = null;
        heldSince = 0;
      }
    });
    queue = run.catch(() => undefined);
    return run;
  };

  /** No transaction open, on SQLite or in TypeORM's bookkeeping. Returns whether anything had to change. */
  const reset = (): boolean => {
    const r = runner();
    let changed = false;
    if (raw().inTransaction) {
      try {
        raw().exec('ROLLBACK');
      } catch {
        // Nothing more can be done here; the next BEGIN will fail and say so.
      }
      changed = true;
    }
    if (r.transactionDepth !== 0 || r.isTransactionActive) changed = true;
    r.transactionDepth = 0;
    r.isTransactionActive = false;
    return changed;
  };

  const abort = (hold: Hold | undefined, reason: string, cause?: unknown): TransactionAbortedError => {
    const err = new TransactionAbortedError(reason, cause);
    if (hold && !hold.aborted) hold.aborted = err;
    reset();
    return err;
  };

  // --- transactions -------------------------------------------------------------------
  const manager = dataSource.manager;
  const transaction = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  manager.transaction = ((...args: unknown[]) => {
    if (inside()) return transaction(...args);
    return exclusive(async (hold) => {
      // Whatever an earlier failure left behind is rolled back before this one starts.
      reset();
      let result: unknown;
      try {
        result = await transaction(...args);
      } catch (err) {
        if (reset() && !hold.aborted) abort(hold, 'the connection was left inside a transaction');
        throw err;
      }
      if (hold.aborted) throw hold.aborted;
      // TypeORM answered "committed": SQLite must agree, or nothing was.
      if (reset()) throw abort(hold, 'the commit did not end the transaction');
      return result;
    });
  }) as EntityManager['transaction'];

  // save/remove open their own transaction on the shared runner: they go through the gate too.
  for (const name of PERSIST_METHODS) {
    const original = (manager[name] as (...args: unknown[]) => Promise<unknown>).bind(manager);
    (manager as unknown as Record<string, unknown>)[name] = (...args: unknown[]) =>
      inside() ? original(...args) : manager.transaction(() => original(...args));
  }

  // --- the runner's own transaction ends ----------------------------------------------
  const r = runner();
  const commit = r.commitTransaction.bind(r);
  const rollback = r.rollbackTransaction.bind(r);
  const query = r.query.bind(r) as (...args: unknown[]) => Promise<unknown>;

  r.commitTransaction = async () => {
    const hold = holders.getStore();
    if (hold?.aborted) throw hold.aborted;
    try {
      await commit();
    } catch (err) {
      if (!r.isTransactionActive) throw err; // "not started": nothing to bring back
      throw abort(hold, `${r.transactionDepth > 1 ? 'RELEASE' : 'COMMIT'} failed`, err);
    }
  };
  r.rollbackTransaction = async () => {
    try {
      await rollback();
    } catch (err) {
      if (!r.isTransactionActive) throw err;
      throw abort(holders.getStore(), 'ROLLBACK failed', err);
    }
    if (r.transactionDepth === 0) reset();
  };

  // --- every statement ----------------------------------------------------------------
  r.query = ((...args: unknown[]) => {
    if (!inside()) return exclusive(() => query(...args));
    const hold = holder!;
    if (hold.aborted) return Promise.reject(hold.aborted);
    return query(...args).catch((err: unknown) => {
      // SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR…):
      // what the holder writes next would be committed one statement at a time.
      if (r.transactionDepth > 0 && !raw().inTransaction) abort(hold, 'SQLite rolled it back after an error', err);
      throw err;
    });
  }) as QueryRunner['query'];

  const gate: SqliteGate = {
    heldForMs: () => (heldSince ? Date.now() - heldSince : 0),
    waiting: () => waiting,
  };
  gates.set(dataSource, gate);
  return gate;
}
