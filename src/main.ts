import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureApp, createAdapter } from './app.setup';
import { gracefulShutdown } from './shutdown';
import { ConfigValidationError, loadConfig, loadDotEnv } from './config/app-config';
import { databaseKind } from './database/data-source-options';
import { JsonLogger } from './common/logging/json-logger';
import { ClauseLibraryError, loadClauseLibrary } from './contracts/clause-library-loader';
import { loadModules, ModuleLoadError } from './questionnaires/module-loader';

async function bootstrap(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadConfig();
    // Questionnaire modules and the clause library are checked before anything starts: a bad file stops the start.
    loadModules();
    loadClauseLibrary();
  } catch (err) {
    if (err instanceof ConfigValidationError || err instanceof ModuleLoadError || err instanceof ClauseLibraryError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = new JsonLogger(config.LOG_LEVEL);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createAdapter(config), { logger });
  await configureApp(app, config);
  const shutdown = gracefulShutdown(app, config.SHUTDOWN_GRACE_SECONDS, logger);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutdown(signal));
  await app.listen(config.PORT, config.HOST);
  logger.log(`Vendor portal on http://localhost:${config.PORT} (${databaseKind(config)} database, data in ${config.dataDir})`, 'Main');
}

bootstrap().catch((err: unknown) => {
  // A shipped module changed without a new version is found once the database is open.
  console.error(err instanceof ModuleLoadError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
