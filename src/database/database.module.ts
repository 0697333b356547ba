import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { resolveDataSourceOptions } from './data-source-options';

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
    }),
  ],
})
export class DatabaseModule {}
