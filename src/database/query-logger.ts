import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's own error logging prints a failed statement with its parameters, straight to the
 * console: session and portal token hashes, password hashes and contact data would reach the
 * logs. This one logs the statement's first words and the error, never a parameter, through the
 * app's logger (so LOG_LEVEL applies).
 */
export class QueryErrorLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');

  logQueryError(error: string | Error, query: string): void {
    const message = typeof error === 'string' ? error : `${(error as { code?: string }).code ?? error.name}: ${error.message}`;
    this.logger.warn(`${query.replace(/\s+/g, ' ').slice(0, 120)} failed: ${message.split('\n')[0]}`);
  }

  logQuery(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    this.logger.log(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}
