import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

/**
 * Each suite gets a database of its own: a fresh SQLite file, or, when DATABASE_URL names
 * a MySQL/MariaDB server, a fresh schema on it that is dropped afterwards. A server that
 * cannot be reached fails the suite; nothing is skipped.
 */
export interface TestDatabase {
  url?: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) return { drop: async () => undefined };
  const url = new URL(base.replace(/^mariadb:/, 'mysql:'));
  const name = `${url.pathname.slice(1) || 'vdp'}_t${randomBytes(4).toString('hex')}`;
  const admin = await createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}
