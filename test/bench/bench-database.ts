/**
 * The benchmark's own database: a fresh SQLite file in a temp DATA_DIR, or a fresh schema on
 * the MySQL/MariaDB server DATABASE_URL names (dropped afterwards). Migrations run through a
 * DataSource built like the app's, then the rows go in with multi-row inserts, in chunks,
 * one transaction per chunk.
 */
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { PasswordHasher } from '../../src/auth/password-hasher';
import { SessionEntity } from '../../src/auth/session.entity';
import { loadConfig } from '../../src/config/app-config';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { UserEntity } from '../../src/users/user.entity';
import { VendorEntity } from '../../src/vendors/vendor.entity';
import { creationEvent, makeVendor, oldSessions, Rng, SeedUser, SeedVendor, staffUsers } from './seed-data';

export type DbKind = 'sqlite' | 'mysql';

export interface BenchDatabase {
  kind: DbKind;
  /** DATABASE_URL for the app, or undefined for SQLite in dataDir. */
  url?: string;
  users: SeedUser[];
  vendors: Array<Pick<SeedVendor, 'id' | 'name' | 'tier' | 'status' | 'archivedAt'>>;
  drop(): Promise<void>;
}

const CHUNK = 500;

/** Creates a fresh schema on the server of `baseUrl`; its name starts with the database in the URL. */
async function createMysqlDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const url = new URL(baseUrl.replace(/^mariadb:/, 'mysql:'));
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname)) {
    throw new Error(`the benchmark only talks to a local database server; DATABASE_URL names ${url.hostname}`);
  }
  const prefix = (url.pathname.slice(1) || 'vdp_bench').replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40);
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const conn = {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
  const admin = await createConnection(conn);
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = await createConnection(conn);
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}

export interface SeedOptions {
  kind: DbKind;
  dataDir: string;
  /** For MySQL: the server (and database name prefix) to use. */
  baseUrl?: string;
  vendorCount: number;
  adminEmail: string;
  adminPassword: string;
  log: (line: string) => void;
  /** More rows to seed once the staff and vendors are in. */
  extra?: (dataSource: DataSource, seeded: { users: SeedUser[]; vendors: SeedVendor[]; now: Date; rng: Rng }) => Promise<void>;
}

export async function prepareDatabase(opts: SeedOptions): Promise<BenchDatabase> {
  const mysql = opts.kind === 'mysql' ? await createMysqlDatabase(opts.baseUrl!) : undefined;
  const drop = mysql?.drop ?? (async () => undefined);
  try {
    const config = loadConfig({ DATA_DIR: opts.dataDir, ...(mysql ? { DATABASE_URL: mysql.url } : {}) });
    const dataSource = new DataSource(buildDataSourceOptions(config));
    await dataSource.initialize();
    try {
      const started = Date.now();
      await dataSource.runMigrations({ transaction: 'each' });
      const now = new Date();
      const rng = new Rng(20260302);
      const passwordHash = await new PasswordHasher().hash(opts.adminPassword);
      const users = staffUsers(rng, opts.adminEmail, passwordHash, now);
      const cadence = {
        months: {
          critical: config.REVIEW_MONTHS_CRITICAL,
          high: config.REVIEW_MONTHS_HIGH,
          medium: config.REVIEW_MONTHS_MEDIUM,
          low: config.REVIEW_MONTHS_LOW,
        },
      };
      // Vendors are owned by everyone but the viewer, like the service allows any active staff.
      const owners = users.filter((u) => u.role !== 'viewer');
      const vendors = Array.from({ length: opts.vendorCount }, (_, i) => makeVendor(rng, i + 1, owners, cadence, now));

      await insertChunked(dataSource, UserEntity, users);
      await insertChunked(dataSource, SessionEntity, oldSessions(rng, users, 500, now));
      await insertChunked(dataSource, VendorEntity, vendors);
      await insertChunked(
        dataSource,
        AuditEventEntity,
        vendors.map((v) => creationEvent(v, users.find((u) => u.id === v.ownerId) ?? users[0])),
      );
      const [{ n }] = await dataSource.query('SELECT COUNT(*) AS n FROM vendors');
      if (Number(n) !== opts.vendorCount) throw new Error(`seeded ${n} vendors, expected ${opts.vendorCount}`);
      opts.log(`seeded ${opts.kind}: ${users.length} staff, ${vendors.length} vendors, 500 old sessions in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (opts.extra) await opts.extra(dataSource, { users, vendors, now, rng });
      return {
        kind: opts.kind,
        url: mysql?.url,
        users,
        vendors: vendors.map(({ id, name, tier, status, archivedAt }) => ({ id, name, tier, status, archivedAt })),
        drop,
      };
    } finally {
      await dataSource.destroy();
    }
  } catch (err) {
    await drop().catch(() => undefined);
    throw err;
  }
}

export async function insertChunked(dataSource: DataSource, entity: new () => object, rows: object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await dataSource.transaction(async (m) => {
      await m.createQueryBuilder().insert().into(entity).values(chunk as never).updateEntity(false).execute();
    });
  }
}
