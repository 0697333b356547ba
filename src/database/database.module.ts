import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { DataSource, DataSourceOptions } from 'typeorm';
import { resolveDataSourceOptions } from './data-source-options';
import { gateSqliteConnection } from './sqlite-connection-gate';
import { guardMysqlConnections } from './mysql-connection-guard';
import { withAdvisoryLock } from './advisory-lock';

export const MIGRATION_LOCK = 'vdp_migrations';
const MIGRATION_LOCK_SECONDS = 600;

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      // Migrations run when the app starts unless MIGRATIONS_RUN=false; the CLI runs them too.
      useFactory: async (config: AppConfig) => ({
        ...(await resolveDataSourceOptions(config)),
        migrationsRun: config.MIGRATIONS_RUN,
        migrationsTransactionMode: 'each' as const,
      }),
      dataSourceFactory: async (options?: DataSourceOptions) => {
        const dataSource = new DataSource({ ...options!, migrationsRun: false });
        if (options?.type === 'better-sqlite3') gateSqliteConnection(dataSource);
        else guardMysqlConnections(dataSource);
        await dataSource.initialize();
        if (!options?.migrationsRun) return dataSource;
        // Two instances started at once on an empty database: one runs the migrations, the other
        // waits for it and then finds none pending.
        try {
          await withAdvisoryLock(dataSource, MIGRATION_LOCK, () => dataSource.runMigrations({ transaction: 'each' }), MIGRATION_LOCK_SECONDS);
        } catch (err) {
          await dataSource.destroy();
          throw err;
        }
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
