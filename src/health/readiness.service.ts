import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { transactionWatchOf, type TransactionWatch } from '../database/transaction-watch';

export type CheckResult = 'ok' | 'failed';

export interface Readiness {
  ready: boolean;
  checks: { database: CheckResult; transactions: CheckResult; migrations: CheckResult; shutdown: CheckResult };
}

const PING_TIMEOUT_MS = 2000;
/** While migrations are pending, the database is asked again at most this often. */
const MIGRATION_RECHECK_MS = 5000;

/**
 * Whether this instance should take traffic (/health/ready): the database answers, no write
 * transaction is stuck, no migration is pending, and the instance is not shutting down.
 * Liveness (/health) is separate: the process answers as long as it can serve.
 */
@Injectable()
export class ReadinessService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Readiness');
  private shuttingDown = false;
  private migrationsPending = false;
  private migrationsCheckedAt = 0;
  private readonly watch: TransactionWatch;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {
    this.watch = transactionWatchOf(dataSource);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.MIGRATIONS_RUN) return;
    await this.refreshMigrations(true);
    if (this.migrationsPending) this.logger.warn('Database migrations are pending and MIGRATIONS_RUN=false: the portal answers 503 until `npm run migration:run` has run.');
  }

  /** From SIGTERM on, the instance reports not ready, so that balancers stop sending to it. */
  beginShutdown(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Whether requests other than health checks must be refused (schema not up to date). */
  async schemaPending(): Promise<boolean> {
    if (this.migrationsPending) await this.refreshMigrations(false);
    return this.migrationsPending;
  }

  async check(): Promise<Readiness> {
    const database = await this.ping();
    const transactions: CheckResult = this.watch.oldestOpenMs() > this.config.READY_STUCK_TRANSACTION_SECONDS * 1000 ? 'failed' : 'ok';
    if (database === 'ok' && this.migrationsPending) await this.refreshMigrations(true);
    const checks = {
      database,
      transactions,
      migrations: (this.migrationsPending ? 'failed' : 'ok') as CheckResult,
      shutdown: (this.shuttingDown ? 'failed' : 'ok') as CheckResult,
    };
    return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
  }

  private async ping(): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('ping timed out')), PING_TIMEOUT_MS);
        }),
      ]);
      return 'ok';
    } catch {
      return 'failed';
    } finally {
      clearTimeout(timer);
    }
  }

  private async refreshMigrations(force: boolean): Promise<void> {
    if (this.config.MIGRATIONS_RUN) return;
    const now = Date.now();
    if (!force && now - this.migrationsCheckedAt < MIGRATION_RECHECK_MS) return;
    this.migrationsCheckedAt = now;
    try {
      this.migrationsPending = await this.dataSource.showMigrations();
    } catch {
      // The database cannot be asked: the ping reports that; keep the last answer.
    }
  }
}
