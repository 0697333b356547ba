import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { DataSource, DataSourceOptions } from 'typeorm';
import { resolveDataSourceOptions } from './data-source-options';
import { gateSqliteConnection } from './sqlite-connection-gate';
import { guardMysqlConnections } from './mysql-connection-guard';

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
        const dataSource = new DataSource(options!);
        if (options?.type === 'better-sqlite3') gateSqliteConnection(dataSource);
        else guardMysqlConnections(dataSource);
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
