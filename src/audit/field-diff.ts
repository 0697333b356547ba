import type { FieldChanges } from './audit-event.entity';

const normalise = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : v === undefined ? null : v);

/** The fields whose values differ between two snapshots, as before/after pairs. */
export function diffFields<T extends object>(before: Partial<T> | null, after: Partial<T>, fields: ReadonlyArray<keyof T>): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of fields) {
    const a = normalise(before ? before[field] : null);
    const b = normalise(after[field]);
    if (JSON.stringify(a) !== JSON.stringify(b)) changes[String(field)] = { before: a, after: b };
  }
  return changes;
}
