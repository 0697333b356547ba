/**
 * A `LIKE` pattern that matches `text` anywhere, with its wildcards taken literally.
 * Use it with `LIKE :param ESCAPE '!'`: `!` is an escape character SQLite and MySQL both accept.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => '!' + c)}%`;
}

export const LIKE_ESCAPE = "ESCAPE '!'";
