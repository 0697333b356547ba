import type { DataSource, EntityManager } from 'typeorm';
import { sqliteGateOf } from './sqlite-connection-gate';

/**
 * How long the oldest write transaction of this process has been open, for the readiness
 * check: a transaction stuck open (a hung statement, a lock never granted) holds its locks,
 * and on SQLite the one connection, so the instance should stop taking traffic.
 */
export interface TransactionWatch {
  oldestOpenMs(): number;
}

const watches = new WeakMap<DataSource, TransactionWatch>();

export function transactionWatchOf(dataSource: DataSource): TransactionWatch {
  const known = watches.get(dataSource);
  if (known) return known;
  const gate = sqliteGateOf(dataSource);
  // SQLite: the gate knows how long the connection has been held.
  if (gate) {
    const watch = { oldestOpenMs: () => gate.heldForMs() };
    watches.set(dataSource, watch);
    return watch;
  }
  // MySQL/MariaDB: every transaction of `dataSource.transaction` is on a connection of its own.
  const open = new Map<object, number>();
  const manager = dataSource.manager;
  const transaction = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  manager.transaction = (async (...args: unknown[]) => {
    const key = {};
    open.set(key, performance.now());
    try {
      return await transaction(...args);
    } finally {
      open.delete(key);
    }
  }) as EntityManager['transaction'];
  const watch = {
    oldestOpenMs: () => {
      let oldest = Infinity;
      for (const t of open.values()) oldest = Math.min(oldest, t);
      return oldest === Infinity ? 0 : performance.now() - oldest;
    },
  };
  watches.set(dataSource, watch);
  return watch;
}
