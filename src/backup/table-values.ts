/**
 * Row values in a form both databases read back alike: a backup of SQLite restores on
 * MySQL/MariaDB and the other way round. Pure functions over a column's database type.
 *
 * - datetime: an ISO instant (UTC), `2026-03-02T09:00:00.000Z`. SQLite keeps what TypeORM wrote
 *   (`2026-03-02 09:00:00.000`); MySQL/MariaDB hands out a Date (the connection is in UTC).
 *   MySQL's DATETIME keeps whole seconds: milliseconds go on the way there, as they do when the
 *   portal itself writes to MySQL.
 * - date: `YYYY-MM-DD`.
 * - boolean: true/false (SQLite and MySQL both store 0/1).
 * - bytes: `{ "$b64": "…" }`.
 */
export type TargetKind = 'sqlite' | 'mysql';
export type PortableValue = string | number | boolean | null | { $b64: string };

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function isoOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  const s = String(value);
  // SQLite: "YYYY-MM-DD HH:MM:SS[.SSS]" in UTC (TypeORM's own format, and datetime('now')'s).
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d{1,6})?Z?$/.exec(s);
  if (!m) throw new Error(`not a datetime: ${JSON.stringify(s).slice(0, 40)}`);
  const ms = m[3] ? m[3].slice(1).padEnd(3, '0').slice(0, 3) : '000';
  return `${m[1]}T${m[2]}.${ms}Z`;
}

function dateOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  const s = String(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) throw new Error(`not a date: ${JSON.stringify(s).slice(0, 40)}`);
  return s.slice(0, 10);
}

/** A value read from either database, as it goes into the archive. */
export function portableValue(value: unknown, type: string): PortableValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'datetime':
      return isoOf(value);
    case 'date':
      return dateOf(value);
    case 'boolean':
      return value === true || value === 1 || value === '1';
  }
  if (Buffer.isBuffer(value)) return { $b64: value.toString('base64') };
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  throw new Error(`a value of type ${typeof value} cannot be backed up`);
}

/** A value from the archive, as the target database takes it. */
export function targetValue(value: PortableValue, type: string, kind: TargetKind): unknown {
  if (value === null) return null;
  if (typeof value === 'object') return Buffer.from(value.$b64, 'base64');
  switch (type) {
    case 'datetime': {
      const iso = String(value);
      const day = iso.slice(0, 10);
      const time = iso.slice(11, 19);
      return kind === 'sqlite' ? `${day} ${time}.${iso.slice(20, 23)}` : `${day} ${time}`;
    }
    case 'boolean':
      return value === true ? 1 : 0;
  }
  return value;
}
