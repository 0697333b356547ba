import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
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

type Row = Record<string, Record<string, unknown>>;

/**
 * A lookup by one key whose SQL the query builder writes once (so it is right for SQLite and
 * MySQL alike, locks and ordering included), and which is then only re-executed; each value is
 * hydrated by the driver (transformers included), as TypeORM does for entities. For lookups that
 * run on every request: rebuilding a query through the query builder costs several times what
 * running it does (on SQLite, about 150 µs to build against 15 µs to run a primary-key read).
 * Only the SQL text is kept, never a row.
 */
export class PreparedLookup {
  private prepared?: { sql: string; fields: Field[] };

  /**
   * @param query the FROM, joins, WHERE (with the key as the only parameter, named `:key`), and
   *   any ORDER BY or lock.
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly parts: readonly LookupPart[],
    private readonly query: (dataSource: DataSource) => SelectQueryBuilder<ObjectLiteral>,
  ) {}

  /**
   * The first matching row as plain objects of hydrated properties by alias, or null. With a
   * manager, the query runs on its connection (inside its transaction).
   */
  async one(key: string, manager?: EntityManager): Promise<Row | null> {
    const rows = await this.run(key, manager);
    return rows.length === 0 ? null : this.hydrate(rows[0]);
  }

  /** Every matching row, in the query's order. */
  async many(key: string, manager?: EntityManager): Promise<Row[]> {
    const rows = await this.run(key, manager);
    return rows.map((r) => this.hydrate(r));
  }

  private async run(key: string, manager: EntityManager | undefined): Promise<Array<Record<string, unknown>>> {
    const { sql } = (this.prepared ??= this.prepare());
    return manager ? manager.query(sql, [key]) : this.dataSource.query(sql, [key]);
  }

  private hydrate(raw: Record<string, unknown>): Row {
    const driver = this.dataSource.driver;
    const result: Row = {};
    for (const part of this.parts) result[part.alias] = {};
    for (const f of this.prepared!.fields) result[f.alias][f.column.propertyName] = driver.prepareHydratedValue(raw[f.key], f.column);
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

/**
 * An UPDATE of chosen columns by chosen columns, written once from the entity's metadata and
 * then only re-executed, with values converted by the driver as TypeORM converts them. Unlike
 * the repository's `update`, it never touches a column it is not given (a `@VersionColumn`
 * moves only when listed). For writes on every request, for the reason given above.
 */
export class PreparedUpdate<T extends ObjectLiteral> {
  private prepared?: { sql: string; set: ColumnMetadata[]; where: ColumnMetadata[] };

  constructor(
    private readonly dataSource: DataSource,
    private readonly entity: EntityTarget<T>,
    private readonly set: ReadonlyArray<keyof T & string>,
    private readonly where: ReadonlyArray<keyof T & string>,
  ) {}

  /**
   * Runs the update inside the manager's transaction; resolves to the number of rows matched.
   * `where` values must not be null (`= NULL` matches nothing).
   */
  async run(manager: EntityManager, set: Partial<T>, where: Partial<T>): Promise<number> {
    const { sql, set: setColumns, where: whereColumns } = (this.prepared ??= this.prepare());
    const driver = this.dataSource.driver;
    const params = [
      ...setColumns.map((c) => driver.preparePersistentValue(set[c.propertyName as keyof T], c)),
      ...whereColumns.map((c) => driver.preparePersistentValue(where[c.propertyName as keyof T], c)),
    ];
    if (!manager.queryRunner) throw new Error('a prepared update runs inside a transaction');
    const result = await manager.queryRunner.query(sql, params, true);
    return result.affected ?? 0;
  }

  private prepare(): { sql: string; set: ColumnMetadata[]; where: ColumnMetadata[] } {
    const metadata = this.dataSource.getMetadata(this.entity);
    const driver = this.dataSource.driver;
    const column = (p: string) => {
      const c = metadata.findColumnWithPropertyName(p);
      if (!c) throw new Error(`${metadata.name} has no column ${p}`);
      return c;
    };
    const set = this.set.map(column);
    const where = this.where.map(column);
    const sql =
      `UPDATE ${driver.escape(metadata.tableName)} SET ${set.map((c) => `${driver.escape(c.databaseName)} = ?`).join(', ')}` +
      ` WHERE ${where.map((c) => `${driver.escape(c.databaseName)} = ?`).join(' AND ')}`;
    return { sql, set, where };
  }
}

/**
 * An INSERT of one row with every column of the entity, written once from its metadata and then
 * only re-executed, values converted by the driver. For inserts on every request.
 */
export class PreparedInsert<T extends ObjectLiteral> {
  private prepared?: { sql: string; columns: ColumnMetadata[] };

  constructor(
    private readonly dataSource: DataSource,
    private readonly entity: EntityTarget<T>,
  ) {}

  /** Inserts the row inside the manager's transaction; every column must be given (null where empty). */
  async run(manager: EntityManager, row: T): Promise<void> {
    const { sql, columns } = (this.prepared ??= this.prepare());
    const driver = this.dataSource.driver;
    if (!manager.queryRunner) throw new Error('a prepared insert runs inside a transaction');
    await manager.queryRunner.query(
      sql,
      columns.map((c) => {
        const value = row[c.propertyName as keyof T];
        if (value === undefined) throw new Error(`${c.entityMetadata.name}.${c.propertyName} is missing from the row to insert`);
        return driver.preparePersistentValue(value, c);
      }),
    );
  }

  private prepare(): { sql: string; columns: ColumnMetadata[] } {
    const metadata = this.dataSource.getMetadata(this.entity);
    const driver = this.dataSource.driver;
    const columns = metadata.columns;
    const sql = `INSERT INTO ${driver.escape(metadata.tableName)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    return { sql, columns };
  }
}
