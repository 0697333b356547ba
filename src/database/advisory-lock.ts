import type { DataSource } from 'typeorm';

const inProcess = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` while holding the lock `name`, so that runs of it never overlap: in this process
 * (a promise chain per name) and, on MySQL/MariaDB, across every process on the database (a
 * named lock, GET_LOCK, held on a connection of its own for the duration). Waits up to
 * `timeoutSeconds` for the lock, then fails. SQLite has one app process per database file, so
 * the in-process chain is the whole of it there.
 *
 * For work that two app instances would otherwise do at the same moment on the same rows, where
 * InnoDB's gap locks can deadlock (the review-cycle schedule: INSERT IGNORE beside UPDATE).
 */
export async function withAdvisoryLock<T>(dataSource: DataSource, name: string, fn: () => Promise<T>, timeoutSeconds = 120): Promise<T> {
  const before = inProcess.get(name) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(() => acrossProcesses(dataSource, name, fn, timeoutSeconds));
  const tail = run.catch(() => undefined);
  inProcess.set(name, tail);
  try {
    return await run;
  } finally {
    if (inProcess.get(name) === tail) inProcess.delete(name);
  }
}

async function acrossProcesses<T>(dataSource: DataSource, name: string, fn: () => Promise<T>, timeoutSeconds: number): Promise<T> {
  if (dataSource.options.type === 'better-sqlite3') return fn();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [row] = (await runner.query('SELECT GET_LOCK(?, ?) AS got', [name, timeoutSeconds])) as Array<{ got: number | string | null }>;
    if (Number(row?.got) !== 1) throw new Error(`The lock ${name} was not free within ${timeoutSeconds} s`);
    try {
      return await fn();
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [name]);
    }
  } finally {
    await runner.release();
  }
}
