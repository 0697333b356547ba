import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { AuditEventEntity } from '../audit/audit-event.entity';
import { SessionEntity } from '../auth/session.entity';
import { UserEntity } from '../users/user.entity';
import { VendorEntity } from '../vendors/vendor.entity';
import { InitialSchema1764374400000 } from './migrations/1764374400000-initial-schema';

export const ENTITIES = [UserEntity, SessionEntity, VendorEntity, AuditEventEntity];
export const MIGRATIONS = [InitialSchema1764374400000];

export type DatabaseKind = 'sqlite' | 'mysql';

export function databaseKind(config: Pick<AppConfig, 'DATABASE_URL'>): DatabaseKind {
  return config.DATABASE_URL ? 'mysql' : 'sqlite';
}

export function sqliteFile(config: Pick<AppConfig, 'dataDir'>): string {
  return path.join(config.dataDir, 'portal.sqlite');
}

/**
 * SQLite in DATA_DIR unless DATABASE_URL names a MySQL/MariaDB server. The schema comes
 * from migrations only: `synchronize` stays off.
 */
export function buildDataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: ['error'] as Array<'error'>,
  };
  if (config.DATABASE_URL) {
    return {
      ...common,
      type: 'mysql',
      url: config.DATABASE_URL.replace(/^mariadb:/, 'mysql:'),
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      extra: { connectionLimit: 10 },
    };
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: sqliteFile(config),
    enableWAL: true,
    prepareDatabase: (db: { pragma: (s: string) => unknown }) => {
      db.pragma('synchronous = NORMAL');
    },
  };
}
