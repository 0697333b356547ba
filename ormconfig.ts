/** Data source for the TypeORM CLI (`npm run migration:run`, `migration:revert`, `migration:check`). */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig, loadDotEnv } from './src/config/app-config';
import { resolveDataSourceOptions } from './src/database/data-source-options';

loadDotEnv();

// A promise: the options depend on whether DATABASE_URL reaches MySQL or MariaDB (the CLI awaits it).
export default resolveDataSourceOptions(loadConfig()).then((options) => new DataSource(options));
