import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Bound parameters one statement may carry: better-sqlite3's SQLite refuses more than 32,766
 * ("too many SQL variables"), MySQL's prepared statements more than 65,535.
 */
export const MAX_BOUND_PARAMETERS = 32_000;

/**
 * How many rows of the entity one multi-row INSERT may carry under MAX_BOUND_PARAMETERS, counting
 * every column as a parameter (TypeORM writes a null as NULL, so a row often binds fewer).
 */
export function rowsPerStatement<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>): number {
  const columns = m.dataSource.getMetadata(entity).columns.filter((c) => c.isInsert).length;
  return Math.max(1, Math.floor(MAX_BOUND_PARAMETERS / Math.max(1, columns)));
}

/**
 * Inserts rows in as many statements as MAX_BOUND_PARAMETERS needs (TypeORM's `insert` puts them
 * all in one). The rows must carry every value themselves, version included: nothing is read back
 * (TypeORM reads generated columns back with one `id = ? OR …` term per row, and SQLite refuses an
 * expression more than 1,000 deep).
 */
export async function insertInStatements<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, rows: T[]): Promise<void> {
  const size = rowsPerStatement(m, entity);
  for (let i = 0; i < rows.length; i += size) {
    await m
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(rows.slice(i, i + size))
      .updateEntity(false)
      .execute();
  }
}
