import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * SQLite (better-sqlite3) has one connection, and TypeORM runs every transaction on it: two
 * requests' transactions would interleave as savepoints of one another, so one request's
 * rollback could undo another's writes, and two starting in the same tick fail. This queues
 * `dataSource.transaction` / `manager.transaction` one after another; a transaction started
 * inside one (same async context) nests as usual. MySQL has a pool and needs none of this.
 */
export function serializeTransactions(dataSource: DataSource): void {
  const manager = dataSource.manager;
  const original = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  const inside = new AsyncLocalStorage<true>();
  let tail: Promise<unknown> = Promise.resolve();
  manager.transaction = ((...args: unknown[]) => {
    if (inside.getStore()) return original(...args);
    const run = tail.then(() => inside.run(true, () => original(...args)));
    tail = run.catch(() => undefined);
    return run;
  }) as EntityManager['transaction'];
}
