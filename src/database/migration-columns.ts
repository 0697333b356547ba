import type { TableColumnOptions, TableForeignKeyOptions } from 'typeorm';

/**
 * Portable column and key builders for migrations (Table API), so that one migration runs
 * unchanged on SQLite and MySQL/MariaDB. What they produce must never change: landed migrations
 * use them.
 */
export const id = (): TableColumnOptions => ({ name: 'id', type: 'varchar', length: '36', isPrimary: true });
export const varchar = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
export const datetime = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', isNullable: nullable });
export const integer = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable: nullable });
export const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
export const date = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'date', isNullable: nullable });
export const boolean = (name: string): TableColumnOptions => ({ name, type: 'boolean' });
export const fk = (name: string, column: string, table: string, onDelete: 'CASCADE' | 'RESTRICT'): TableForeignKeyOptions => ({
  name,
  columnNames: [column],
  referencedTableName: table,
  referencedColumnNames: ['id'],
  onDelete,
  onUpdate: 'NO ACTION',
});
