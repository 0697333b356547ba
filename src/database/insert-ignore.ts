import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { rowsPerStatement } from './statement-size';

/**
 * Inserts rows, skipping those a unique key already holds (`INSERT OR IGNORE` on SQLite,
 * `INSERT IGNORE` on MySQL/MariaDB), inside the manager's transaction; resolves to the number of
 * rows written. The query builder's `InsertResult` does not report that count on SQLite. Many
 * rows go in as several statements, each under MAX_BOUND_PARAMETERS.
 */
export async function insertIgnore<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, rows: T[]): Promise<number> {
  if (!rows.length) return 0;
  if (!m.queryRunner) throw new Error('insertIgnore runs inside a transaction');
  const perStatement = rowsPerStatement(m, entity);
  let written = 0;
  for (let i = 0; i < rows.length; i += perStatement) {
    const [sql, params] = m
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(rows.slice(i, i + perStatement))
      .orIgnore()
      .updateEntity(false)
      .getQueryAndParameters();
    const result = await m.queryRunner.query(sql, params, true);
    written += result.affected ?? 0;
  }
  return written;
}

/** Whether a failed write broke a unique key (SQLite or MySQL/MariaDB). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e.driverError?.code ?? e.code ?? '';
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
