import { Column, ColumnOptions, getMetadataArgsStorage } from 'typeorm';
import type { DatabaseKind } from './data-source-options';

/**
 * Text that may exceed MySQL's 64 KB `TEXT` (a questionnaire definition in two languages runs
 * past 100 KB): `MEDIUMTEXT` (16 MB) on MySQL/MariaDB, `TEXT` (unbounded) on SQLite. TypeORM
 * validates column types per driver when the data source is built, so the type is decided then,
 * by `applyLargeTextColumns`, and migrations call `largeTextType` to create the same column.
 */
const LARGE_TEXT = new Set<string>();

const keyOf = (target: object, property: string) => `${(target as { name?: string }).name ?? ''}.${property}`;

export function LargeTextColumn(options: Omit<ColumnOptions, 'type'> = {}): PropertyDecorator {
  return (target, propertyKey) => {
    Column({ ...options, type: 'text' })(target, propertyKey);
    LARGE_TEXT.add(keyOf(target.constructor, String(propertyKey)));
  };
}

export function largeTextType(kind: DatabaseKind): 'text' | 'mediumtext' {
  return kind === 'mysql' ? 'mediumtext' : 'text';
}

/** Gives every `@LargeTextColumn` the type of the database in use; call before building a data source. */
export function applyLargeTextColumns(kind: DatabaseKind): void {
  for (const column of getMetadataArgsStorage().columns) {
    if (LARGE_TEXT.has(keyOf(column.target as object, column.propertyName))) column.options.type = largeTextType(kind);
  }
}

/** JSON kept in a text column. */
export const JSON_TEXT = {
  to: (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value)),
  from: (value: string | null): unknown => (value === null || value === undefined ? null : JSON.parse(value)),
};
