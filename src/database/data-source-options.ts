import * as fs from 'node:fs';
import * as path from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { AuditEventEntity } from '../audit/audit-event.entity';
import { SessionEntity } from '../auth/session.entity';
import { UserEntity } from '../users/user.entity';
import { VendorEntity } from '../vendors/vendor.entity';
import { AnswerEntity } from '../assessments/answer.entity';
import { AssessmentModuleEntity } from '../assessments/assessment-module.entity';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { EvidenceFileEntity } from '../assessments/evidence-file.entity';
import { PortalLinkEntity } from '../portal/portal-link.entity';
import { PortalSessionEntity } from '../portal/portal-session.entity';
import { QuestionnaireVersionEntity } from '../questionnaires/questionnaire-version.entity';
import { FindingEntity } from '../reviews/finding.entity';
import { ContractClauseEntity } from '../contracts/contract-clause.entity';
import { ContractEntity } from '../contracts/contract.entity';
import { ReminderOutboxEntity } from '../reminders/reminder-outbox.entity';
import { ReminderRunEntity } from '../reminders/reminder-run.entity';
import { ReviewCycleEntity } from '../review-cycles/review-cycle.entity';
import { applyLargeTextColumns } from './large-text';
import { QueryErrorLogger } from './query-logger';
import { InitialSchema1764374400000 } from './migrations/1764374400000-initial-schema';
import { QuestionnairesAssessments1764892800000 } from './migrations/1764892800000-questionnaires-assessments';
import { Contracts1765584000000 } from './migrations/1765584000000-contracts';
import { ReviewsReminders1765670400000 } from './migrations/1765670400000-reviews-reminders';
import { AnswerPrefill1765756800000 } from './migrations/1765756800000-answer-prefill';
import { ReportSnapshots1765843200000 } from './migrations/1765843200000-report-snapshots';
import { OutboxMailBodies1766016000000 } from './migrations/1766016000000-outbox-mail-bodies';
import { ContractRenewalEnds1766102400000 } from './migrations/1766102400000-contract-renewal-ends';
import { ReportSnapshotEntity } from '../reports/report-snapshot.entity';

export const ENTITIES = [
  UserEntity,
  SessionEntity,
  VendorEntity,
  AuditEventEntity,
  QuestionnaireVersionEntity,
  AssessmentEntity,
  AssessmentModuleEntity,
  AnswerEntity,
  EvidenceFileEntity,
  PortalLinkEntity,
  PortalSessionEntity,
  FindingEntity,
  ContractEntity,
  ContractClauseEntity,
  ReviewCycleEntity,
  ReminderOutboxEntity,
  ReminderRunEntity,
  ReportSnapshotEntity,
];
export const MIGRATIONS = [InitialSchema1764374400000, QuestionnairesAssessments1764892800000, Contracts1765584000000, ReviewsReminders1765670400000, AnswerPrefill1765756800000, ReportSnapshots1765843200000, OutboxMailBodies1766016000000, ContractRenewalEnds1766102400000];

export type DatabaseKind = 'sqlite' | 'mysql';
/** Which server a DATABASE_URL reaches. TypeORM reads MariaDB's catalogue differently, so it must know. */
export type MysqlFlavour = 'mysql' | 'mariadb';

export function databaseKind(config: Pick<AppConfig, 'DATABASE_URL'>): DatabaseKind {
  return config.DATABASE_URL ? 'mysql' : 'sqlite';
}

export function sqliteFile(config: Pick<AppConfig, 'dataDir'>): string {
  return path.join(config.dataDir, 'portal.sqlite');
}

/**
 * Asks the server behind DATABASE_URL whether it is MariaDB (a `mariadb://` URL says so
 * without asking). With `type: 'mysql'` on MariaDB, TypeORM reads every nullable column's
 * default as the string 'NULL', so the schema never matches the entities.
 */
export async function detectMysqlFlavour(databaseUrl: string): Promise<MysqlFlavour> {
  if (databaseUrl.startsWith('mariadb:')) return 'mariadb';
  const conn = await createConnection(databaseUrl.replace(/^mariadb:/, 'mysql:'));
  try {
    const [rows] = await conn.query('SELECT VERSION() AS v');
    return /mariadb/i.test(String((rows as Array<{ v: unknown }>)[0]?.v)) ? 'mariadb' : 'mysql';
  } finally {
    await conn.end();
  }
}

/**
 * The data folder is the portal's own (0700), and the database with its WAL and shared-memory
 * files are readable by the portal's user only (0600): they hold contact data and the hashes of
 * live sessions. SQLite gives the -wal and -shm files the mode of the database file, so the file
 * is created 0600 before SQLite opens it; files of an older install are brought to 0600.
 */
export function prepareSqliteFiles(config: Pick<AppConfig, 'dataDir'>): void {
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(config.dataDir, 0o700);
  const file = sqliteFile(config);
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
  }
}

/** `buildDataSourceOptions` with the MySQL flavour taken from the server itself. */
export async function resolveDataSourceOptions(config: AppConfig): Promise<DataSourceOptions> {
  return buildDataSourceOptions(config, config.DATABASE_URL ? await detectMysqlFlavour(config.DATABASE_URL) : undefined);
}

/**
 * SQLite in DATA_DIR unless DATABASE_URL names a MySQL/MariaDB server. The schema comes
 * from migrations only: `synchronize` stays off. Pass the flavour from
 * `detectMysqlFlavour` (or use `resolveDataSourceOptions`) when the URL says `mysql:` but
 * the server may be MariaDB.
 */
export function buildDataSourceOptions(config: AppConfig, flavour?: MysqlFlavour): DataSourceOptions {
  applyLargeTextColumns(databaseKind(config));
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: ['error'] as Array<'error'>,
    logger: new QueryErrorLogger(),
  };
  if (config.DATABASE_URL) {
    const url = config.DATABASE_URL.replace(/^mariadb:/, 'mysql:');
    // A server on the same host may be reached through its Unix socket, which TypeORM does not
    // read from the URL: mysql://user@localhost/db?socketPath=/run/mysqld/mysqld.sock.
    const socketPath = new URL(url).searchParams.get('socketPath');
    return {
      ...common,
      type: flavour ?? (config.DATABASE_URL.startsWith('mariadb:') ? 'mariadb' : 'mysql'),
      url,
      ...(socketPath ? { socketPath } : {}),
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      // trace: mysql2 captures a stack trace at every query, to add the caller's frames to a
      // failed query's error: measured at 7.7 % of the app's CPU on a portal save (nine queries).
      // Errors still name the SQL error and are logged with the request that failed.
      extra: { connectionLimit: 10, trace: false },
    };
  }
  prepareSqliteFiles(config);
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
