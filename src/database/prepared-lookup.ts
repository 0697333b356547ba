import type { DataSource, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

export interface LookupPart {
  /** The alias of this entity in the query: the main alias or a join's. */
  alias: string;
  entity: EntityTarget<ObjectLiteral>;
  /** The properties to read; every column of the entity when omitted. */
  properties?: readonly string[];
}

interface Field {
  key: string;
  alias: string;
  column: ColumnMetadata;
}

/**
 * A lookup by one key whose SQL the query builder writes once (so it is right for SQLite and
 * MySQL alike), and which is then only re-executed; each value is hydrated by the driver, as
 * TypeORM does for entities. For lookups that run on every request: rebuilding a query through
 * the query builder costs several times what running it does (on SQLite, about 150 µs to build
 * against 15 µs to run a primary-key read). Only the SQL text is kept, never a row.
 */
export class PreparedLookup {
  private prepared?: { sql: string; fields: Field[] };

  /**
   * @param query the FROM, joins and WHERE, with the key as the only parameter, named `:key`.
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly parts: readonly LookupPart[],
    private readonly query: (dataSource: DataSource) => SelectQueryBuilder<ObjectLiteral>,
  ) {}

  /** The first matching row as plain objects of hydrated properties by alias, or null. */
  async one(key: string): Promise<Record<string, Record<string, unknown>> | null> {
    const { sql, fields } = (this.prepared ??= this.prepare());
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(sql, [key]);
    if (rows.length === 0) return null;
    const driver = this.dataSource.driver;
    const result: Record<string, Record<string, unknown>> = {};
    for (const part of this.parts) result[part.alias] = {};
    for (const f of fields) result[f.alias][f.column.propertyName] = driver.prepareHydratedValue(rows[0][f.key], f.column);
    return result;
  }

  private prepare(): { sql: string; fields: Field[] } {
    const fields = this.parts.flatMap((part) => {
      const metadata = this.dataSource.getMetadata(part.entity);
      const columns = part.properties
        ? part.properties.map((p) => {
            const column = metadata.findColumnWithPropertyName(p);
            if (!column) throw new Error(`${metadata.name} has no column ${p}`);
            return column;
          })
        : metadata.columns;
      return columns.map((column, i) => ({ key: `${part.alias}_${i}`, alias: part.alias, column }));
    });
    const qb = this.query(this.dataSource);
    qb.select(`${fields[0].alias}.${fields[0].column.propertyPath}`, fields[0].key);
    for (const f of fields.slice(1)) qb.addSelect(`${f.alias}.${f.column.propertyPath}`, f.key);
    const [sql, parameters] = qb.setParameter('key', '').getQueryAndParameters();
    if (parameters.length !== 1) throw new Error(`a prepared lookup takes exactly one parameter, :key (got ${parameters.length})`);
    return { sql, fields };
  }
}
